// Step 6 of the data path: rendered responses kept in the edge cache (Workers Cache API), and
// conditional requests answered in one place for every route.
//
// A cached response lives as long as its `s-maxage` (KV's propagation window), so a publish is
// visible within about a minute, a scheduled article appears within a minute of its time, and
// meanwhile every request — 304s included — is answered without a KV read or a render.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env'
import { evaluateConditions } from './http'

/** Statuses worth keeping: rendered pages and feeds, redirects, 404s and 410s. */
const CACHEABLE = new Set([200, 301, 404, 410])

/** Path segments percent-encoded one way (Arabic raw or encoded, any hex case → one key). */
function canonicalSegment(segment: string): string {
  try {
    return encodeURIComponent(decodeURIComponent(segment).normalize('NFC'))
  } catch {
    return segment
  }
}

/**
 * The cache key of a request: its path in one canonical encoding plus `page` (the only query
 * parameter any route reads; page 1 is the bare URL). Unknown parameters cannot fragment the cache.
 */
export function cacheKeyUrl(requestUrl: string): string {
  const url = new URL(requestUrl)
  const page = url.searchParams.get('page')
  url.pathname = url.pathname.split('/').map(canonicalSegment).join('/')
  url.search = page === null || page === '1' ? '' : `?page=${encodeURIComponent(page)}`
  url.hash = ''
  return url.toString()
}

export const edgeCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  const request = c.req.raw
  const readable = request.method === 'GET' || request.method === 'HEAD'
  if (!readable || !c.get('site').edgeCache) {
    await next()
    c.res = evaluateConditions(request, c.res)
    return
  }
  const key = new Request(cacheKeyUrl(request.url))
  const cache = caches.default
  const cached = await cache.match(key)
  if (cached) {
    c.res = evaluateConditions(request, cached)
    return
  }
  await next()
  const response = c.res
  if (CACHEABLE.has(response.status) && !response.headers.get('Cache-Control')?.includes('no-store')) {
    c.executionCtx.waitUntil(cache.put(key, response.clone()))
  }
  c.res = evaluateConditions(request, response)
}
