// Publish step 10, the remote KV target: the Cloudflare namespace through the REST API's bulk
// endpoints, with retries and backoff. The token goes only into the Authorization header.
import { inBatches, retryWithBackoff, SYSTEM_CLOCK, type BatchLimits, type Clock } from '../pool'
import type { KvTarget } from './kv-target'

/** Workers KV REST API limits: 10,000 pairs per bulk write or delete (and 100 MB per request). */
const BULK_LIMITS: BatchLimits = { maxItems: 10_000, maxBytes: 90 * 1024 * 1024 }
/** A bulk read takes at most 100 keys. */
const BULK_READ_LIMITS: BatchLimits = { maxItems: 100 }
const RETRIES = 5

/**
 * Cloudflare's API allows 1,200 requests per five minutes per user (developers.cloudflare.com/
 * fundamentals/api/reference/limits/): a publish paces itself below that instead of meeting 429s.
 */
export const API_REQUESTS_PER_WINDOW = 1_100
export const API_WINDOW_MS = 5 * 60_000

/**
 * At most `limit` requests in any `windowMs`: each take() waits, when it must, until the oldest
 * request of the window is old enough.
 */
export function requestBudget(limit: number, windowMs: number, clock: Clock) {
  const sent: number[] = []
  let total = 0
  return {
    sent: () => total,
    async take() {
      total++
      const windowFrom = clock.now() - windowMs
      const recent = sent.filter((time) => time > windowFrom)
      if (recent.length >= limit) await clock.sleep(recent[recent.length - limit]! + windowMs - clock.now())
      sent.push(clock.now())
      // Only the last window matters: older times need not be kept.
      if (sent.length > 2 * limit) sent.splice(0, sent.length - limit)
    },
  }
}

export interface RemoteCredentials {
  accountId: string
  apiToken: string
  namespaceId: string
}

/**
 * Cloudflare's API, or what CLOUDFLARE_API_BASE_URL names instead (wrangler honours the same
 * variable): a proxy, or a loopback fake in tests.
 */
export const apiBase = (env: NodeJS.ProcessEnv = process.env) =>
  (env.CLOUDFLARE_API_BASE_URL || 'https://api.cloudflare.com/client/v4').replace(/\/+$/, '')

export interface RemoteOptions {
  /** The API's base URL (default apiBase()). */
  apiBase?: string
  fetch?: typeof fetch
  /** First backoff delay; doubled for each retry. */
  baseDelayMs?: number
  clock?: Clock
  /** Requests allowed per API_WINDOW_MS (default API_REQUESTS_PER_WINDOW). */
  requestsPerWindow?: number
}

/** Bulk writes answer 200 but may list keys they could not write: those are retried like a 5xx. */
async function unwrittenKeys(response: Response): Promise<string[]> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { result?: { unsuccessful_keys?: string[] } } | null
  return body?.result?.unsuccessful_keys ?? []
}

interface Attempt {
  response?: Response
  failure?: unknown
  unwritten: string[]
}

/** No message includes the token. */
export function remoteTarget(
  credentials: RemoteCredentials,
  options: RemoteOptions = {},
): KvTarget {
  const { fetch: fetchImpl = fetch, baseDelayMs = 500, clock = SYSTEM_CLOCK } = options
  const budget = requestBudget(options.requestsPerWindow ?? API_REQUESTS_PER_WINDOW, API_WINDOW_MS, clock)
  const base =
    `${options.apiBase ?? apiBase()}/accounts/${encodeURIComponent(credentials.accountId)}` +
    `/storage/kv/namespaces/${encodeURIComponent(credentials.namespaceId)}`
  const headers = { Authorization: `Bearer ${credentials.apiToken}` }

  async function attempt(method: string, path: string, body?: unknown): Promise<Attempt> {
    await budget.take()
    try {
      const response = await fetchImpl(base + path, {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const unwritten = response.ok && path === '/bulk' ? await unwrittenKeys(response) : []
      return { response, unwritten }
    } catch (error) {
      return { failure: error, unwritten: [] }
    }
  }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    // 429 (one write per second per key, rate limits), 5xx and partly failed bulk writes are
    // transient: back off and retry (every call is idempotent).
    const { response, failure, unwritten } = await retryWithBackoff(
      () => attempt(method, path, body),
      (outcome) =>
        !outcome.response ||
        outcome.response.status === 429 ||
        outcome.response.status >= 500 ||
        outcome.unwritten.length > 0,
      { retries: RETRIES, baseDelayMs, clock },
    )
    if (!response) throw new Error(`Cloudflare API ${method} ${path}: ${String(failure)}`)
    if (!response.ok && response.status !== 404) {
      throw new Error(
        `Cloudflare API ${method} ${path}: HTTP ${response.status} ${await response.text()}`,
      )
    }
    if (unwritten.length > 0)
      throw new Error(`Cloudflare API ${method} ${path}: ${unwritten.length} keys not written`)
    return response
  }

  return {
    name: `Cloudflare KV namespace ${credentials.namespaceId}`,
    sameKeyIntervalMs: 1000,
    async get(key) {
      const response = await call('GET', `/values/${encodeURIComponent(key)}`)
      return response.status === 404 ? null : response.text()
    },
    async getMany(keys) {
      const values = new Map<string, string | null>()
      for (const batch of inBatches(keys, BULK_READ_LIMITS)) {
        const response = await call('POST', '/bulk/get', { keys: batch, type: 'text' })
        const body = (await response.json()) as { result?: { values?: Record<string, string | null> } }
        for (const key of batch) values.set(key, body.result?.values?.[key] ?? null)
      }
      return values
    },
    requests: () => budget.sent(),
    async put(entries) {
      const size = (entry: (typeof entries)[number]) => entry.key.length + entry.value.length * 3
      for (const batch of inBatches(entries, BULK_LIMITS, size)) await call('PUT', '/bulk', batch)
    },
    async delete(keys) {
      for (const batch of inBatches(keys, BULK_LIMITS, (key) => key.length))
        await call('POST', '/bulk/delete', batch)
    },
    close: async () => {},
  }
}
