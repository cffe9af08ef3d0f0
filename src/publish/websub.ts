// Publish step 12, last: WebSub (W3C Recommendation, §7) — after a publish, tell each hub which
// feeds (topics) changed, so subscribers get the new articles in seconds instead of at their next
// poll. Hub failures are reported and retried with backoff; they never undo a publish.
import { listOfHeadKey } from '../model/keys'
import type { SiteConfig } from '../model/site'
import { absoluteUrl, FEED_FORMATS, feedPath } from '../model/urls'
import { eachLimited, retryWithBackoff, type Clock } from './pool'

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
  clock?: Clock
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
  { fetch: fetchImpl = fetch, retries = 3, baseDelayMs = 500, clock }: PingOptions = {},
): Promise<{ delivered: number; failures: PingFailure[] }> {
  const pings = hubs.flatMap((hub) => topics.map((topic) => ({ hub, topic })))
  // Each ping's outcome, in the order of `pings`.
  const outcomes: PingOutcome[] = []
  await eachLimited(pings, CONCURRENCY, async ({ hub, topic }, index) => {
    outcomes[index] = await retryWithBackoff(
      () => pingOnce(fetchImpl, hub, topic),
      (outcome) => outcome.retryable,
      { retries, baseDelayMs, clock },
    )
  })
  const failures = pings.flatMap((ping, i) => {
    const { reason } = outcomes[i]!
    return reason === null ? [] : [{ ...ping, reason }]
  })
  return { delivered: pings.length - failures.length, failures }
}

/** `reason` is null when the hub took the ping. */
interface PingOutcome {
  reason: string | null
  retryable: boolean
}

async function pingOnce(fetchImpl: typeof fetch, hub: string, topic: string): Promise<PingOutcome> {
  try {
    const response = await fetchImpl(hub, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }).toString(),
      signal: AbortSignal.timeout(10_000),
    })
    await response.body?.cancel()
    if (response.ok) return { reason: null, retryable: false }
    // A 4xx other than 429 will not change on retry.
    return {
      reason: `HTTP ${response.status}`,
      retryable: response.status >= 500 || response.status === 429,
    }
  } catch (error) {
    return { reason: (error as Error).message, retryable: true }
  }
}
