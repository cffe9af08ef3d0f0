// Publish step 10, where entries go: the one small interface the plan is written through, so local
// KV, a test's binding and the Cloudflare namespace run through the same code.
import type { KvEntry } from '../desired-state'

export interface KvTarget {
  /** Human-readable name for messages, e.g. "local KV (.wrangler/state)". */
  readonly name: string
  /** Workers KV takes one write per second per key: the least time between two writes of one key. */
  readonly sameKeyIntervalMs: number
  /**
   * Every read sees every write made before it (miniflare's store). Workers KV does not promise
   * that — a write can take 60 s to be seen elsewhere — so a publish there re-reads more to be sure.
   */
  readonly strongConsistency?: boolean
  get(key: string): Promise<string | null>
  /** Several values at once, where the target can (a bulk read); absent keys are null. */
  getMany?(keys: readonly string[]): Promise<Map<string, string | null>>
  /** Write entries; the order within one call is not guaranteed. */
  put(entries: readonly KvEntry[]): Promise<void>
  delete(keys: readonly string[]): Promise<void>
  /** API requests made so far, where a target has a request budget (the Cloudflare API). */
  requests?(): number
  close(): Promise<void>
}
