// Publish step 6a: one publish at a time. KV has no transactions, so two editors publishing at
// once used to interleave their list writes and both report success while one article was lost.
// A run now takes a lease (LEASE_KEY: an owner and an expiry) before it reads the manifest, keeps
// it renewed while it writes, and before each phase checks that the lease is still its own and
// that the manifest is still the pending one it wrote — an optimistic check for what a lease
// cannot promise on an eventually consistent store. A run that loses says so and writes nothing
// more (exit 3); what it wrote is recorded as unsure in nobody's manifest but its own files, so
// running it again converges.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import * as z from 'zod'
import { LEASE_KEY, MANIFEST_KEY } from '../model/keys'
import type { Clock } from './pool'
import type { KvTarget } from './targets/kv-target'

/** A held lease: who holds it (host and process, for the message) and until when (epoch ms). */
const Lease = z.strictObject({
  owner: z.string(),
  holder: z.string(),
  host: z.string(),
  pid: z.number(),
  acquiredAt: z.number(),
  expiresAt: z.number(),
})
type Lease = z.output<typeof Lease>

/** Another publish holds the lease or changed the manifest meanwhile (exit 3; run again). */
export class PublishConflict extends Error {
  constructor(message: string) {
    super(`${message} Nothing this run wrote is lost: run the same command again.`)
    this.name = 'PublishConflict'
  }
}

export interface LeaseOptions {
  clock: Clock
  /** How long a lease holds without renewal; a killed publish frees it after this. */
  ttlMs?: number
  /**
   * How long to wait after writing the lease before reading it back: a publish that read "free"
   * at the same moment has written its own by then, and the later write is the one that stands.
   */
  settleMs?: number
}

/** Leases this process holds now: a leftover of this process's own earlier run can be taken over. */
const heldHere = new Set<string>()

const iso = (time: number) => new Date(time).toISOString()

/** Whether a lease from this host was left by a process that no longer runs (killed mid-publish). */
function leftByDeadProcess(lease: Lease): boolean {
  if (lease.host !== hostname()) return false
  if (lease.pid === process.pid) return !heldHere.has(lease.owner)
  try {
    process.kill(lease.pid, 0)
    return false
  } catch {
    return true
  }
}

async function readLease(target: Pick<KvTarget, 'get'>): Promise<Lease | null> {
  const raw = await target.get(LEASE_KEY)
  if (raw === null) return null
  const parsed = Lease.safeParse(JSON.parse(raw))
  // A lease no schema reads is no lease: an older tool's, or garbage.
  return parsed.success ? parsed.data : null
}

export interface HeldLease {
  /** Before each write phase: still ours (renewed when due), and the manifest still `expected`. */
  check(expected: string | null): Promise<void>
  release(): Promise<void>
}

const isStale = (lease: Lease, now: number) => lease.expiresAt <= now || leftByDeadProcess(lease)

/**
 * For a run with nothing to write: a lease a killed publish left behind is removed (as a crashed
 * run's pending manifest is finished), so the namespace ends as a clean publish leaves it.
 */
export async function clearStaleLease(target: KvTarget, clock: Clock): Promise<void> {
  const existing = await readLease(target)
  if (existing && isStale(existing, clock.now())) await target.delete([LEASE_KEY])
}

/**
 * The settle on a store where every read sees every write (local KV, miniflare's): it only has to
 * outlast the moment between another publish's read of a free lease and its write of its own —
 * milliseconds; the default (250 ms, made for Cloudflare's edge) would be a quarter of a save's or
 * a small publish's time.
 */
const CONSISTENT_SETTLE_MS = 50

/** Takes the lease on `target`'s namespace, or throws PublishConflict naming who holds it. */
export async function takeLease(target: KvTarget, options: LeaseOptions): Promise<HeldLease> {
  const { clock, ttlMs = 60_000 } = options
  const settleMs =
    options.settleMs ??
    (target.strongConsistency ? CONSISTENT_SETTLE_MS : Math.max(250, 2 * target.sameKeyIntervalMs))
  const existing = await readLease(target)
  if (existing && !isStale(existing, clock.now())) {
    throw new PublishConflict(
      `another publish is running (${existing.holder}, since ${iso(existing.acquiredAt)}; ` +
        `its lease ends by ${iso(existing.expiresAt)}): nothing was written.`,
    )
  }
  const owner = randomUUID()
  let lease: Lease = {
    owner,
    holder: `${hostname()} pid ${process.pid}`,
    host: hostname(),
    pid: process.pid,
    acquiredAt: clock.now(),
    expiresAt: clock.now() + ttlMs,
  }
  let writtenAt = clock.now()
  const write = async (value: Lease) => {
    // Workers KV takes one write a second per key.
    await clock.sleep(writtenAt + target.sameKeyIntervalMs - clock.now())
    await target.put([{ key: LEASE_KEY, value: JSON.stringify(value) }])
    writtenAt = clock.now()
  }
  await write(lease)
  heldHere.add(owner)
  await clock.sleep(settleMs)
  if ((await readLease(target))?.owner !== owner) {
    heldHere.delete(owner)
    throw new PublishConflict('another publish started at the same moment and took the lease: nothing was written.')
  }

  let manifestChecked = false
  return {
    async check(expected) {
      const current = await readLease(target)
      if (current?.owner !== owner) {
        throw new PublishConflict(`another publish (${current?.holder ?? 'unknown'}) took over the lease while this one was writing.`)
      }
      // Once the manifest was found as planned with the lease held, a store where every read sees
      // every earlier write needs no second look: only a publish holding the lease writes the
      // manifest, and the owner check above sees one that took it. (At 10,000 articles the
      // manifest is ≈ 2 MB: read before every phase, it was a third of a watch-mode save.)
      if (!(target.strongConsistency && manifestChecked)) {
        if ((await target.get(MANIFEST_KEY)) !== expected) {
          throw new PublishConflict('the manifest changed while this publish was writing: another publish ran meanwhile.')
        }
        manifestChecked = true
      }
      // Renewed a third of the way through, so a long publish never outlives its lease.
      if (clock.now() > lease.expiresAt - (ttlMs * 2) / 3) {
        lease = { ...lease, expiresAt: clock.now() + ttlMs }
        await write(lease)
      }
    },
    async release() {
      heldHere.delete(owner)
      try {
        if ((await readLease(target))?.owner !== owner) return
        await clock.sleep(writtenAt + target.sameKeyIntervalMs - clock.now())
        await target.delete([LEASE_KEY])
      } catch {
        // The publish itself stands. A lease that cannot be deleted ends at its expiry, and the
        // next publish from this host takes over one this process no longer holds.
      }
    },
  }
}
