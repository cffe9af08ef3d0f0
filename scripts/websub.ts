// Publish step: WebSub (W3C Recommendation, §7) — after a publish, tell each hub which feeds
// (topics) changed, so subscribers get the new articles in seconds instead of at their next poll.
// Hub failures are reported and retried with backoff; they never undo a publish.
import { listOfHeadKey } from '../src/model/keys'
import type { SiteConfig } from '../src/model/site'
import { absoluteUrl, FEED_FORMATS, feedPath } from '../src/model/urls'

/**
 * The feed URLs whose first page changed: every format of every list whose head was written or
 * deleted (a head changes whenever its list's newest articles do).
 */
export function changedTopics(site: SiteConfig, changedKeys: Iterable<string>): string[] {
  const topics = new Set<string>()
  for (const key of changedKeys) {
    const list = listOfHeadKey(key)
    if (!list) continue
    for (const format of FEED_FORMATS) topics.add(absoluteUrl(site, feedPath(list, format)))
  }
  return [...topics].sort()
}

export interface PingOptions {
  fetch?: typeof fetch
  /** Attempts after the first, on network errors, 429 and 5xx. */
  retries?: number
  /** First backoff delay; doubled for each retry. */
  baseDelayMs?: number
}

export interface PingFailure {
  hub: string
  topic: string
  reason: string
}

/** Pings in flight at once, across hubs and topics. */
const CONCURRENCY = 8

/** POST `hub.mode=publish` for each topic to each hub; returns what failed after retries. */
export async function pingHubs(
  hubs: readonly string[],
  topics: readonly string[],
  { fetch: fetchImpl = fetch, retries = 3, baseDelayMs = 500 }: PingOptions = {},
): Promise<{ delivered: number; failures: PingFailure[] }> {
  const pings = hubs.flatMap((hub) => topics.map((topic) => ({ hub, topic })))
  // Each ping's failure reason (null when delivered), in the order of `pings`.
  const reasons: (string | null)[] = []
  let next = 0
  const worker = async () => {
    while (next < pings.length) {
      const index = next++
      const { hub, topic } = pings[index]!
      reasons[index] = await pingOnce(fetchImpl, hub, topic, retries, baseDelayMs)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pings.length) }, worker))
  const failures = pings.flatMap((ping, i) => (reasons[i] === null ? [] : [{ ...ping, reason: reasons[i]! }]))
  return { delivered: pings.length - failures.length, failures }
}

async function pingOnce(
  fetchImpl: typeof fetch,
  hub: string,
  topic: string,
  retries: number,
  baseDelayMs: number,
): Promise<string | null> {
  let reason = ''
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)))
    try {
      const response = await fetchImpl(hub, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
        signal: AbortSignal.timeout(10_000),
      })
      await response.body?.cancel()
      if (response.ok) return null
      reason = `HTTP ${response.status}`
      // A 4xx other than 429 will not change on retry.
      if (response.status < 500 && response.status !== 429) return reason
    } catch (error) {
      reason = (error as Error).message
    }
  }
  return reason
}
