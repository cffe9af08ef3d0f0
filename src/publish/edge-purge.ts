// Publish step 11: purging the edge cache after KV changed, so the next request shows the change
// instead of a copy rendered before it. What to purge comes from the plan itself — the cache tag of
// every key it wrote or deleted (src/model/cache-tags.ts) — so no changed URL can be forgotten. A
// purge that fails is reported, never fatal: KV is already written, and every cached copy expires
// within its s-maxage anyway.
import { purgeTagsFor, SITE_TAG } from '../model/cache-tags'
import { inBatches, retryWithBackoff, type Clock } from './pool'
import type { Plan } from './publish-plan'
import { apiBase } from './targets/remote-target'

export interface PurgeReport {
  /** Where the purge went, e.g. "Cloudflare zone 0123…" or "local cache (.wrangler/state)". */
  target: string
  /** Tags asked for (the plan's changed keys). */
  tags: number
  /** API requests made. */
  requests: number
  /** True when the whole site was purged rather than its tags one by one. */
  everything: boolean
  failures: string[]
}

export interface EdgePurger {
  readonly name: string
  purge(tags: readonly string[]): Promise<PurgeReport>
}

/** The edge cache a run purges, or why it purges none (no zone configured, `--no-purge`). */
export type EdgeCache = EdgePurger | { skipped: string }

/**
 * The tags a plan's writes and deletes make stale, and those of the photo variants the run deleted
 * from the MEDIA bucket (the worker tags a kept variant with its bucket key): a photo taken down
 * must leave the edge too, though nothing else ever changes it.
 */
export function planPurgeTags(plan: Plan, deletedMedia: readonly string[] = []): string[] {
  return purgeTagsFor([
    ...plan.phases.flatMap((phase) =>
      'put' in phase ? phase.put.map((entry) => entry.key) : phase.delete,
    ),
    ...deletedMedia,
  ])
}

/**
 * The local cache that `npm start` serves from. Miniflare's Cache API knows no tags, so the whole
 * local cache goes: it only ever holds this machine's own renders, and the next request of each
 * URL renders it again in a few milliseconds.
 */
export function localPurger(purgeAll: () => Promise<number>): EdgePurger {
  const name = 'local cache (.wrangler/state)'
  return {
    name,
    async purge(tags) {
      const report = { target: name, tags: tags.length, requests: 1, everything: true }
      try {
        await purgeAll()
        return { ...report, failures: [] }
      } catch (error) {
        return { ...report, failures: [(error as Error).message] }
      }
    },
  }
}

export interface ZoneCredentials {
  zoneId: string
  apiToken: string
}

export interface ZonePurgeOptions {
  /** The API's base URL (default apiBase()). */
  apiBase?: string
  fetch?: typeof fetch
  /** Waits between attempts (tests pass one that returns at once). */
  clock?: Clock
  /** First backoff delay, doubled per retry; a 429's Retry-After wins when it says more. */
  baseDelayMs?: number
  retries?: number
}

/**
 * Cloudflare's purge limits (developers.cloudflare.com/cache/how-to/purge-cache/): at most 100
 * tags per request on every plan; the Free plan refills 5 tag-purge requests a minute from a
 * bucket of 25. Past MAX_TAG_REQUESTS requests' worth, one request purges the site's own tag.
 */
const TAGS_PER_REQUEST = 100
export const MAX_TAG_REQUESTS = 10
const LONGEST_RETRY_AFTER_MS = 60_000

/** Why a purge request failed, for the editor: the API's own message, and what to change. */
async function failureReason(response: Response, zoneId: string): Promise<string> {
  const body = (await response.json().catch(() => null)) as {
    errors?: { message?: string }[]
  } | null
  const detail = body?.errors
    ?.map((error) => error.message)
    .filter(Boolean)
    .join('; ')
  const hint =
    response.status === 401 || response.status === 403
      ? ` — the API token needs the "Zone → Cache Purge → Purge" permission for zone ${zoneId}`
      : ''
  return `HTTP ${response.status}${detail ? `: ${detail}` : ''}${hint}`
}

/** One purge request's outcome: why it failed (null when it went through). */
interface Attempt {
  reason: string | null
  retryable: boolean
  /** The 429's Retry-After, in ms. */
  retryAfterMs?: number
}

/** The zone's cache through Cloudflare's purge API (POST /zones/:id/purge_cache, by tag). */
export function zonePurger(
  credentials: ZoneCredentials,
  options: ZonePurgeOptions = {},
): EdgePurger {
  const { fetch: fetchImpl = fetch, clock, baseDelayMs = 1000, retries = 5 } = options
  const name = `Cloudflare zone ${credentials.zoneId}`
  const url = `${options.apiBase ?? apiBase()}/zones/${encodeURIComponent(credentials.zoneId)}/purge_cache`

  async function attempt(tags: readonly string[]): Promise<Attempt> {
    let response: Response
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${credentials.apiToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ tags }),
        signal: AbortSignal.timeout(30_000),
      })
    } catch (error) {
      return { reason: (error as Error).message, retryable: true }
    }
    if (response.ok) {
      await response.body?.cancel()
      return { reason: null, retryable: false }
    }
    return {
      reason: await failureReason(response, credentials.zoneId),
      // Anything but a rate limit or a server error fails the same way on every try.
      retryable: response.status === 429 || response.status >= 500,
      retryAfterMs: Number(response.headers.get('Retry-After')) * 1000,
    }
  }

  /** One batch with retries: the failure reason (null when it went through) and requests made. */
  async function purgeBatch(tags: readonly string[]) {
    let requests = 0
    const outcome = await retryWithBackoff(
      () => {
        requests++
        return attempt(tags)
      },
      (outcome) => outcome.retryable,
      {
        retries,
        baseDelayMs,
        clock,
        delay: ({ retryAfterMs = 0 }, backoffMs) =>
          Math.min(
            LONGEST_RETRY_AFTER_MS,
            Number.isFinite(retryAfterMs) && retryAfterMs > backoffMs ? retryAfterMs : backoffMs,
          ),
      },
    )
    return { reason: outcome.reason, requests }
  }

  return {
    name,
    async purge(tags) {
      const everything = tags.length > TAGS_PER_REQUEST * MAX_TAG_REQUESTS
      const batches = everything ? [[SITE_TAG]] : inBatches(tags, { maxItems: TAGS_PER_REQUEST })
      const report: PurgeReport = {
        target: name,
        tags: tags.length,
        requests: 0,
        everything,
        failures: [],
      }
      for (const batch of batches) {
        const { reason, requests } = await purgeBatch(batch)
        report.requests += requests
        if (reason !== null) report.failures.push(reason)
      }
      return report
    },
  }
}
