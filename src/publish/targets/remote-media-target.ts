// Publish step 10 (photos), the remote MEDIA bucket: Cloudflare R2 through the REST API's object
// endpoints (PUT and DELETE /accounts/:id/r2/buckets/:bucket/objects/:key, what `wrangler r2
// object` uses), with retries and backoff. The token goes only into the Authorization header.
import { eachLimited, retryWithBackoff, SYSTEM_CLOCK } from '../pool'
import type { MediaTarget } from './media-target'
import { accountBase, budgetOf, type RemoteOptions } from './remote-target'

export interface RemoteMediaCredentials {
  accountId: string
  apiToken: string
  bucket: string
}

const RETRIES = 5
const DELETE_CONCURRENCY = 8

/** No message includes the token. */
export function remoteMediaTarget(
  credentials: RemoteMediaCredentials,
  options: RemoteOptions = {},
): MediaTarget {
  const objects = `${accountBase(options, credentials.accountId)}/r2/buckets/${encodeURIComponent(credentials.bucket)}/objects/`
  const { fetch: fetchImpl = fetch, baseDelayMs = 500, clock = SYSTEM_CLOCK } = options
  // One request per object: they count against the account's API budget, shared with KV's.
  const budget = budgetOf(options, clock)

  /** One call with retries; `tolerated` statuses count as done (a delete of a missing key). */
  async function call(
    method: 'PUT' | 'DELETE',
    key: string,
    init: RequestInit,
    tolerated: number[] = [],
  ) {
    // Media keys are `media/<hex>-<digits>.<ext>`: safe in a URL path as they are.
    const url = objects + key
    const outcome = await retryWithBackoff(
      async () => {
        await budget.take()
        try {
          const response = await fetchImpl(url, {
            ...init,
            method,
            headers: { Authorization: `Bearer ${credentials.apiToken}`, ...init.headers },
          })
          return { response }
        } catch (failure) {
          return { failure }
        }
      },
      // 429 and 5xx are transient; every call is idempotent.
      ({ response }) => !response || response.status === 429 || response.status >= 500,
      { retries: RETRIES, baseDelayMs, clock },
    )
    const { response } = outcome
    if (!response) throw new Error(`R2 API ${method} ${key}: ${String(outcome.failure)}`)
    if (!response.ok && !tolerated.includes(response.status)) {
      throw new Error(`R2 API ${method} ${key}: HTTP ${response.status} ${await response.text()}`)
    }
    await response.body?.cancel()
  }

  return {
    name: `Cloudflare R2 bucket ${credentials.bucket}`,
    put: (key, bytes, contentType) =>
      call('PUT', key, { body: bytes, headers: { 'Content-Type': contentType } }),
    delete: (keys) =>
      eachLimited(keys, DELETE_CONCURRENCY, (key) => call('DELETE', key, {}, [404])),
  }
}
