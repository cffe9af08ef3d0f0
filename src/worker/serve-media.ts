// Request step 1 (media): a photo variant at /media/<hash>-<width>.<ext>, from the MEDIA bucket
// (R2), answered before the page cache and the routes. Its name is its content hash, so the bytes
// behind it never change: clients and the Workers Cache API may keep it a year (immutable), the
// isolate's memory a second (the pages' layer), and a copy needs no purge but the one a publish
// sends when it deletes the variant (tagged with its bucket key, src/model/cache-tags.ts). GET and HEAD, validators and 304, one byte range (206/416)
// for the readers and players that ask for one. Bad input is a 4xx; only R2 failing is a 503.
import { cacheTag, SITE_TAG } from '../model/cache-tags'
import type { MediaName } from '../model/media'
import { rangeStillValid, requestedRange } from './byte-ranges'
import type { MemoryCache } from './cache/memory'
import { CACHE_CONTROL, CONTENT_TYPE, evaluateConditions, methodNotAllowed } from './http'

export interface MediaContext {
  bucket: R2Bucket
  /** The Workers Cache API (caches.default), or null with the edge cache off. */
  cache: Cache | null
  /** The isolate's memory layer the pages use too (cache/memory.ts), in front of the Cache API. */
  memory: MemoryCache
  waitUntil(promise: Promise<unknown>): void
  /** The site's origin: copies are kept under it, whatever Host a request names. */
  origin: string
}

/** Like a KV read: an R2 call slower than this is an outage, answered 503. */
export const MEDIA_TIMEOUT_MS = 3_000

/** The headers of a variant's 200, the only ones a kept copy gives back. */
const REPRESENTATION_HEADERS = [
  'Content-Type',
  'Content-Length',
  'Cache-Control',
  'ETag',
  'Last-Modified',
  'Accept-Ranges',
]

class MediaUnavailable extends Error {}

async function fromBucket<T>(key: string, read: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MediaUnavailable(`no answer within ${MEDIA_TIMEOUT_MS} ms`)),
      MEDIA_TIMEOUT_MS,
    )
  })
  try {
    return await Promise.race([read(), deadline])
  } catch (cause) {
    throw new MediaUnavailable(
      `R2 ${key}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  } finally {
    clearTimeout(timer)
  }
}

const text = (status: number, body: string, headers: Record<string, string>) =>
  new Response(body, { status, headers: { 'Content-Type': CONTENT_TYPE.text, ...headers } })

const notFound = () => text(404, 'Not Found\n', { 'Cache-Control': CACHE_CONTROL.notFound })

function representationHeaders(object: R2Object, name: MediaName): Headers {
  return new Headers({
    'Content-Type': name.type,
    'Content-Length': String(object.size),
    'Cache-Control': CACHE_CONTROL.media,
    ETag: object.httpEtag,
    'Last-Modified': object.uploaded.toUTCString(),
    'Accept-Ranges': 'bytes',
  })
}

interface Representation {
  headers: Headers
  /** Null for a HEAD answered from the bucket's metadata. */
  body: ArrayBuffer | null
  cacheStatus: string
}

/** Keeps the variant a second in the isolate's memory: a deleted photo's purge cannot reach it. */
function remember(context: MediaContext, url: string, headers: Headers, body: ArrayBuffer) {
  const now = Date.now()
  const expires = now + context.memory.ttlMs
  context.memory.set(url, { status: 200, headers: [...headers], body, storedAt: now, expires }, now)
}

/**
 * The whole variant: a copy from the isolate's memory or the Cache API, or the bucket's (then
 * kept), or null when there is none.
 */
async function lookUp(
  request: Request,
  name: MediaName,
  context: MediaContext,
): Promise<Representation | null> {
  const url = `${context.origin}/${name.key}`
  const remembered = context.cache && context.memory.get(url, Date.now())
  if (remembered) {
    const headers = new Headers(remembered.headers)
    return { headers, body: remembered.body, cacheStatus: 'hit; detail=memory' }
  }
  const key = new Request(url)
  const kept = await context.cache?.match(key).catch((error: unknown) => {
    console.error('media cache: match failed:', error)
    return undefined
  })
  if (kept) {
    const headers = new Headers()
    for (const header of REPRESENTATION_HEADERS) headers.set(header, kept.headers.get(header) ?? '')
    const body = await kept.arrayBuffer()
    remember(context, url, headers, body)
    return { headers, body, cacheStatus: 'hit' }
  }
  const forwarded = context.cache ? 'fwd=miss' : 'fwd=bypass'
  if (request.method === 'HEAD') {
    const object = await fromBucket(name.key, () => context.bucket.head(name.key))
    return (
      object && { headers: representationHeaders(object, name), body: null, cacheStatus: forwarded }
    )
  }
  const object = await fromBucket(name.key, () => context.bucket.get(name.key))
  if (!object) return null
  const body = await fromBucket(name.key, () => object.arrayBuffer())
  const headers = representationHeaders(object, name)
  if (!context.cache) return { headers, body, cacheStatus: forwarded }
  const copy = new Response(body, { headers })
  copy.headers.set('Cache-Tag', [SITE_TAG, cacheTag(name.key)].join(','))
  context.waitUntil(
    context.cache
      .put(key, copy)
      .catch((error: unknown) => console.error('media cache: put failed:', error)),
  )
  remember(context, url, headers, body)
  return { headers, body, cacheStatus: `${forwarded}; stored` }
}

/** The answer to a request for the variant `name`. */
export async function serveMedia(
  request: Request,
  name: MediaName,
  context: MediaContext,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed()
  let found: Representation | null
  try {
    found = await lookUp(request, name, context)
  } catch (error) {
    // Logged with the key; the client learns only to come back.
    console.error('media error:', error)
    return text(503, 'Service temporarily unavailable. Please try again shortly.\n', {
      'Cache-Control': CACHE_CONTROL.error,
      'Retry-After': '30',
    })
  }
  if (!found) return notFound()
  const { headers, body } = found
  headers.set('Cache-Status', `Sahifa; ${found.cacheStatus}`)
  const whole = evaluateConditions(
    request,
    new Response(request.method === 'HEAD' ? null : body, { headers }),
  )
  if (whole.status === 304 || request.method === 'HEAD' || body === null) return whole

  const size = body.byteLength
  const range = rangeStillValid(
    request.headers.get('If-Range'),
    headers.get('ETag'),
    headers.get('Last-Modified'),
  )
    ? requestedRange(request.headers.get('Range'), size)
    : null
  if (range === null) return whole
  if (range === 'unsatisfiable') {
    return text(416, 'Range Not Satisfiable\n', {
      'Content-Range': `bytes */${size}`,
      'Accept-Ranges': 'bytes',
      'Cache-Control': CACHE_CONTROL.error,
    })
  }
  const part = new Headers(headers)
  part.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
  part.set('Content-Length', String(range.end - range.start + 1))
  return new Response(body.slice(range.start, range.end + 1), { status: 206, headers: part })
}
