// Request step 2: the edge cache in front of the routes, and conditional requests answered in
// one place for every route. Two layers: a second of isolate memory (memory.ts), then the Workers
// Cache API. A miss renders the canonical request (canonical.ts) through the routes, which read KV
// through a RecordingReader; the response is kept under its canonical URL and tagged with every
// KV key it was made from (cache-tags.ts), which is how a publish purges exactly what it changed.
//
// What the cache keeps, and for how long, is its own decision, not the runtime's: a copy is kept
// for the response's s-maxage (at most EDGE_TTL_SECONDS, less when content changes by itself
// sooner) and each copy carries its own expiry, checked on every hit. The client-facing
// Cache-Control (with its stale-while-revalidate and stale-if-error for downstream caches) is put
// back on the way out; miniflare's Cache API would otherwise keep a copy for s-maxage *plus* those
// directives — a day — and a publish would stay invisible that long.
import { cacheTag, SITE_TAG } from '../../model/cache-tags'
import { evaluateConditions, methodNotAllowed, sharedMaxAge } from '../http'
import type { SiteConfig } from '../../model/site'
import { RecordingReader, type KvReader } from '../store'
import { canonicalUrl, MAX_CACHED_URL_LENGTH } from './canonical'
import type { MemoryCache, Remembered } from './memory'

/** Statuses worth keeping: rendered pages and feeds, redirects, 404s and 410s. */
const CACHEABLE = new Set([200, 301, 404, 410])

/** The longest any copy is kept, whatever a response's s-maxage says: KV's propagation window. */
export const EDGE_TTL_SECONDS = 60

/** Headers of the Cache API copy only; never sent to a client. */
const STORED_AT = 'X-Sahifa-Stored-At'
const STORED_UNTIL = 'X-Sahifa-Stored-Until'
const CLIENT_CACHE_CONTROL = 'X-Sahifa-Cache-Control'
const INTERNAL_HEADERS = [STORED_AT, STORED_UNTIL, CLIENT_CACHE_CONTROL, 'Cache-Tag', 'CF-Cache-Status', 'Age']

/** Renders the canonical request through the routes, reading KV through `reader`. */
export type Render = (canonical: Request, reader: RecordingReader) => Promise<Response>

export interface EdgeCacheContext {
  site: SiteConfig
  kv: KvReader
  memory: MemoryCache
  render: Render
  waitUntil: (promise: Promise<unknown>) => void
  /** The Cache API cache (caches.default in the worker). */
  cache: Cache
}

/** RFC 9211 Cache-Status: what this cache did with the request. */
const cacheStatus = (detail: string) => `Sahifa; ${detail}`

/** How long a rendered response may be kept, in seconds; 0 = not at all. */
function storableFor(response: Response): number {
  if (!CACHEABLE.has(response.status)) return 0
  const cacheControl = response.headers.get('Cache-Control')
  if (cacheControl?.includes('no-store')) return 0
  return Math.min(EDGE_TTL_SECONDS, sharedMaxAge(cacheControl) ?? 0)
}

/**
 * The response for bytes in hand, with their Content-Length: a GET and a HEAD of one URL carry
 * the same headers, whether it was rendered, remembered or read from the Cache API.
 */
function bytesResponse(status: number, headers: HeadersInit, body: ArrayBuffer, cacheState: string): Response {
  const response = new Response(body, { status, headers })
  response.headers.set('Content-Length', String(body.byteLength))
  response.headers.set('Cache-Status', cacheStatus(cacheState))
  return response
}

/**
 * A rendered response as the client gets it. One that carries its Content-Length (every
 * validatedResponse does) goes as it is, its body never read — copying a feed page's 150 KB
 * through the stream cost ≈ 0.1 ms; any other is read and made again with bytesResponse.
 */
async function forwarded(response: Response, cacheState: string): Promise<Response> {
  if (!response.headers.has('Content-Length'))
    return bytesResponse(response.status, response.headers, await response.arrayBuffer(), cacheState)
  response.headers.set('Cache-Status', cacheStatus(cacheState))
  return response
}

/** A response from a kept copy, with its Age. */
function fromCopy(copy: Remembered, now: number, detail: string): Response {
  const response = bytesResponse(copy.status, copy.headers, copy.body, `hit; ttl=${Math.max(0, Math.floor((copy.expires - now) / 1000))}${detail}`)
  response.headers.set('Age', String(Math.max(0, Math.floor((now - copy.storedAt) / 1000))))
  return response
}

/** The Cache API copy of `copy`: its own lifetime for the runtime, the client's Cache-Control aside. */
function cacheApiCopy(copy: Remembered, tags: readonly string[]): Response {
  const headers = new Headers(copy.headers)
  headers.set(CLIENT_CACHE_CONTROL, headers.get('Cache-Control') ?? '')
  headers.set('Cache-Control', `public, max-age=${Math.ceil((copy.expires - copy.storedAt) / 1000)}`)
  headers.set(STORED_AT, String(copy.storedAt))
  headers.set(STORED_UNTIL, String(copy.expires))
  headers.set('Cache-Tag', tags.join(','))
  return new Response(copy.body, { status: copy.status, headers })
}

/** A Cache API hit as a copy, or null when it is past its own expiry (whatever the runtime says). */
async function fromCacheApi(cached: Response, now: number): Promise<Remembered | null> {
  const expires = Number(cached.headers.get(STORED_UNTIL))
  const storedAt = Number(cached.headers.get(STORED_AT))
  if (!(expires > now) || !(storedAt > 0)) {
    await cached.body?.cancel()
    return null
  }
  const headers = new Headers(cached.headers)
  headers.set('Cache-Control', headers.get(CLIENT_CACHE_CONTROL) ?? '')
  for (const name of INTERNAL_HEADERS) headers.delete(name)
  return { status: cached.status, headers: [...headers], body: await cached.arrayBuffer(), storedAt, expires }
}

/** The response for a canonical URL: from memory, from the Cache API, or rendered and kept. */
async function lookUpOrRender(url: string, context: EdgeCacheContext): Promise<Response> {
  const { memory, cache } = context
  const render = async () => {
    const reader = new RecordingReader(context.kv)
    return { response: await context.render(new Request(url), reader), reader }
  }
  if (!context.site.edgeCache || url.length > MAX_CACHED_URL_LENGTH) {
    const { response } = await render()
    return forwarded(response, 'fwd=bypass')
  }

  const now = Date.now()
  const remembered = memory.get(url, now)
  if (remembered) return fromCopy(remembered, now, '; detail=memory')

  const key = new Request(url)
  const cached = await cache.match(key).catch((error: unknown) => {
    console.error('edge cache: match failed:', error)
    return undefined
  })
  const copy = cached ? await fromCacheApi(cached, now) : null
  if (copy) {
    memory.set(url, { ...copy, expires: Math.min(copy.expires, now + memory.ttlMs) }, now)
    return fromCopy(copy, now, '')
  }

  const { response, reader } = await render()
  const lifetime = storableFor(response)
  if (lifetime === 0) return forwarded(response, 'fwd=miss')
  const fresh: Remembered = {
    status: response.status,
    headers: [...response.headers],
    body: await response.arrayBuffer(),
    storedAt: now,
    expires: now + lifetime * 1000,
  }
  memory.set(url, { ...fresh, expires: Math.min(fresh.expires, now + memory.ttlMs) }, now)
  const tags = [SITE_TAG, ...Array.from(reader.keys, cacheTag)]
  context.waitUntil(
    cache.put(key, cacheApiCopy(fresh, tags)).catch((error: unknown) => console.error('edge cache: put failed:', error)),
  )
  return bytesResponse(fresh.status, fresh.headers, fresh.body, `fwd=miss; stored; ttl=${lifetime}`)
}

/**
 * The answer to a client's request: the canonical response (cached or rendered), then its
 * conditions (304), then HEAD without a body — with the Content-Length the GET would have.
 */
export async function serveRequest(request: Request, context: EdgeCacheContext): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed()
  const url = canonicalUrl(request.url, new URL(context.site.url).origin)
  const response = evaluateConditions(request, await lookUpOrRender(url, context))
  // HEAD: the GET's headers, Content-Length included, and no body (RFC 9110 §9.3.2).
  return request.method === 'HEAD' && response.body !== null ? new Response(null, response) : response
}
