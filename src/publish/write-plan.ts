// Publish step 10: the ordered writes — the pending manifest, each phase of the plan in order and
// in batches through a KV target, then the final manifest. No Node APIs: the test harness seeds KV
// with it, inside workerd too.
import type { Plan } from './publish-plan'
import { inBatches, SYSTEM_CLOCK, type Clock } from './pool'
import type { KvTarget } from './targets/kv-target'

/** Keys per write call: small enough to report progress, large enough for bulk writes to pay. */
const BATCH = { maxItems: 1000 }

export interface WriteOptions {
  /** Called after each batch of writes or deletes. */
  progress?: ((done: number, total: number) => void) | undefined
  /** Spaces the two manifest writes (default: the system clock). */
  clock?: Clock | undefined
  /**
   * Runs before each phase and before the final manifest, once the pending manifest is written:
   * the lease's check that no other publish has written meanwhile (it throws to stop the run).
   */
  beforePhase?: (() => Promise<void>) | undefined
}

export async function writePlan(
  plan: Plan,
  target: KvTarget,
  { progress, clock = SYSTEM_CLOCK, beforePhase }: WriteOptions = {},
): Promise<{ keysWritten: number; keysDeleted: number }> {
  const counts = { keysWritten: 0, keysDeleted: 0 }
  // The pending manifest first: if the run stops anywhere, the next one knows which keys to redo.
  await target.put([plan.pending])
  const pendingWrittenAt = clock.now()
  const total = plan.phases.reduce(
    (n, phase) => n + ('put' in phase ? phase.put : phase.delete).length,
    0,
  )
  const inOrder = async <T>(
    items: readonly T[],
    write: (batch: T[]) => Promise<void>,
    count: keyof typeof counts,
  ) => {
    for (const batch of inBatches(items, BATCH)) {
      await write(batch)
      counts[count] += batch.length
      progress?.(counts.keysWritten + counts.keysDeleted, total)
    }
  }
  for (const phase of plan.phases) {
    await beforePhase?.()
    if ('put' in phase) await inOrder(phase.put, (batch) => target.put(batch), 'keysWritten')
    else await inOrder(phase.delete, (batch) => target.delete(batch), 'keysDeleted')
  }
  // The manifest is the one key written twice in a run: keep KV's one write per second per key.
  await clock.sleep(pendingWrittenAt + target.sameKeyIntervalMs - clock.now())
  await beforePhase?.()
  await target.put([plan.manifest])
  return counts
}
