// Publish step: where entries go. Local KV (local-kv.ts, the state `wrangler dev` serves), a
// test's binding and the Cloudflare namespace behind one small interface, so the plan runs
// through the same code either way.
import type { KvEntry } from './entries'

export interface KvTarget {
  /** Human-readable name for messages, e.g. "local KV (.wrangler/state)". */
  readonly name: string
  /** Workers KV takes one write per second per key: the least time between two writes of one key. */
  readonly sameKeyIntervalMs: number
  get(key: string): Promise<string | null>
  /** Write entries; the order within one call is not guaranteed. */
  put(entries: readonly KvEntry[]): Promise<void>
  delete(keys: readonly string[]): Promise<void>
  close(): Promise<void>
}

/** Minimal shape of a Workers KV binding (miniflare's). */
export interface KvBinding {
  get(key: string, type: 'text'): Promise<string | null>
  put(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** How many single-key operations a binding target runs at once. */
const BINDING_CONCURRENCY = 32

export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await run(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** A target over a KV binding (local miniflare state, or a test's namespace). */
export function bindingTarget(
  name: string,
  kv: KvBinding,
  close: () => Promise<void> = async () => {},
): KvTarget {
  return {
    name,
    // Local KV (miniflare) has no per-key rate limit.
    sameKeyIntervalMs: 0,
    get: (key) => kv.get(key, 'text'),
    put: (entries) =>
      eachLimited(entries, BINDING_CONCURRENCY, (entry) => kv.put(entry.key, entry.value)),
    delete: (keys) => eachLimited(keys, BINDING_CONCURRENCY, (key) => kv.delete(key)),
    close,
  }
}

// Workers KV REST API limits: 10,000 pairs per bulk write or delete (and 100 MB per request).
const BULK_MAX_PAIRS = 10_000
const BULK_MAX_BYTES = 90 * 1024 * 1024
const RETRIES = 5

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
}

/** Bulk writes answer 200 but may list keys they could not write: those are retried like a 5xx. */
async function unwrittenKeys(response: Response): Promise<string[]> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { result?: { unsuccessful_keys?: string[] } } | null
  return body?.result?.unsuccessful_keys ?? []
}

/**
 * The Cloudflare namespace through the REST API, with bulk writes and retries with backoff.
 * The token goes only into the Authorization header: no message includes it.
 */
export function remoteTarget(
  credentials: RemoteCredentials,
  options: RemoteOptions = {},
): KvTarget {
  const { fetch: fetchImpl = fetch, baseDelayMs = 500 } = options
  const base =
    `${options.apiBase ?? apiBase()}/accounts/${encodeURIComponent(credentials.accountId)}` +
    `/storage/kv/namespaces/${encodeURIComponent(credentials.namespaceId)}`
  const headers = { Authorization: `Bearer ${credentials.apiToken}` }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined
      let failure: unknown
      try {
        response = await fetchImpl(base + path, {
          method,
          headers:
            body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      } catch (error) {
        failure = error
      }
      // 429 (one write per second per key, rate limits), 5xx and partly failed bulk writes are
      // transient: back off and retry (every call is idempotent).
      const unwritten = response?.ok && path === '/bulk' ? await unwrittenKeys(response) : []
      const transient =
        !response || response.status === 429 || response.status >= 500 || unwritten.length > 0
      if (!transient || attempt >= RETRIES) {
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
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** attempt))
    }
  }

  function* batches<T>(items: readonly T[], size: (item: T) => number) {
    let batch: T[] = []
    let bytes = 0
    for (const item of items) {
      if (
        batch.length === BULK_MAX_PAIRS ||
        (batch.length > 0 && bytes + size(item) > BULK_MAX_BYTES)
      ) {
        yield batch
        batch = []
        bytes = 0
      }
      batch.push(item)
      bytes += size(item)
    }
    if (batch.length > 0) yield batch
  }

  return {
    name: `Cloudflare KV namespace ${credentials.namespaceId}`,
    sameKeyIntervalMs: 1000,
    async get(key) {
      const response = await call('GET', `/values/${encodeURIComponent(key)}`)
      return response.status === 404 ? null : response.text()
    },
    async put(entries) {
      for (const batch of batches(entries, (entry) => entry.key.length + entry.value.length * 3)) {
        await call('PUT', '/bulk', batch)
      }
    },
    async delete(keys) {
      for (const batch of batches(keys, (key) => key.length))
        await call('POST', '/bulk/delete', batch)
    },
    close: async () => {},
  }
}
