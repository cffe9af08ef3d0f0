// Publish helper: bounded concurrency, batches and retries with backoff — the one copy every KV
// target, the live-state reads, WebSub and the bench's seeder use. Time comes from a Clock, so
// tests can run backoff and KV's per-key spacing without waiting.

/** The time source for waits: the real one, or a test's that advances without sleeping. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
}

/**
 * Runs `run` on every item, at most `limit` at once; rejects with the first failure. Items are
 * taken from the iterable only as a runner is free, so a generator's items need not all exist at
 * once.
 */
export async function eachLimited<T>(
  items: Iterable<T>,
  limit: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]()
  let taken = 0
  const runner = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const index = taken++
      await run(next.value, index)
    }
  }
  await Promise.all(Array.from({ length: limit }, runner))
}

export interface BatchLimits {
  /** Items per batch. */
  maxItems: number
  /** Bytes per batch as `sizeOf` counts them; a single larger item still gets a batch. */
  maxBytes?: number
}

/** Items in order, cut into batches within `limits`. */
export function* inBatches<T>(
  items: Iterable<T>,
  limits: BatchLimits,
  sizeOf: (item: T) => number = () => 0,
): Generator<T[]> {
  const maxBytes = limits.maxBytes ?? Infinity
  let batch: T[] = []
  let bytes = 0
  for (const item of items) {
    const size = sizeOf(item)
    if (batch.length === limits.maxItems || (batch.length > 0 && bytes + size > maxBytes)) {
      yield batch
      batch = []
      bytes = 0
    }
    batch.push(item)
    bytes += size
  }
  if (batch.length > 0) yield batch
}

export interface Backoff<T> {
  /** Attempts after the first. */
  retries: number
  /** The wait before the first retry; doubled for each one after. */
  baseDelayMs: number
  /** The wait after `outcome` when it says more than the backoff (e.g. a 429's Retry-After). */
  delay?: (outcome: T, backoffMs: number) => number
  clock?: Clock | undefined
}

/**
 * Runs `attempt` until `retryable` says its outcome will not change on another try, or the
 * retries are spent; returns the last outcome. Errors `attempt` throws are not caught.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  retryable: (outcome: T) => boolean,
  { retries, baseDelayMs, delay, clock = SYSTEM_CLOCK }: Backoff<T>,
): Promise<T> {
  for (let tried = 0; ; tried++) {
    const outcome = await attempt()
    if (tried >= retries || !retryable(outcome)) return outcome
    const backoffMs = baseDelayMs * 2 ** tried
    await clock.sleep(delay ? delay(outcome, backoffMs) : backoffMs)
  }
}
