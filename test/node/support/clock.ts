// A clock for tests: it starts at a fixed time and every sleep advances it at once, so backoff and
// KV's per-key spacing run without waiting. `sleeps` records each wait asked for.
import type { Clock } from '../../../src/publish/pool'

export function manualClock(start: number): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  return {
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms)
      now += Math.max(0, ms)
    },
    sleeps,
  }
}
