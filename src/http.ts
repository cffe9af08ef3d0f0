// Step 6 of the data path: the HTTP policy, named once — Content-Types, Cache-Control per kind of
// resource, validators (strong ETag, Last-Modified) and conditional requests (RFC 9110 §13).

export const CONTENT_TYPE = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const

export const CACHE_CONTROL = {
  /** Aggregators poll feeds; five minutes fresh, then revalidate in the background. */
  feed: 'public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400',
  page: 'public, max-age=60, stale-while-revalidate=600, stale-if-error=86400',
  /** 404s are cached briefly so a slug published a moment later appears soon. */
  notFound: 'public, max-age=60',
  error: 'no-store',
} as const

export interface Representation {
  body: string
  contentType: string
  cacheControl: string
  /** ISO date of the newest content in the body, for Last-Modified. */
  lastModified?: string | undefined
}

/** A strong ETag: the first 128 bits of the body's SHA-256, so it changes exactly when the bytes do. */
export async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body))
  let hex = ''
  for (const byte of new Uint8Array(digest, 0, 16)) hex += byte.toString(16).padStart(2, '0')
  return `"${hex}"`
}

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, '')

/** RFC 9110 §13.1.2: `*` or a list of entity tags, compared weakly. */
export function ifNoneMatchMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  const current = opaqueTag(etag)
  return header.split(',').some((tag) => opaqueTag(tag) === current)
}

/** RFC 9110 §13.1.3: unmodified when Last-Modified (to the second) is not after the date. */
function notModifiedSince(header: string, lastModified: string): boolean {
  const since = Date.parse(header)
  if (Number.isNaN(since)) return false
  return Math.floor(Date.parse(lastModified) / 1000) * 1000 <= since
}

/**
 * The response for a rendered representation: 200 with validators, or 304 when the request's
 * preconditions say the client has it (If-None-Match wins over If-Modified-Since, §13.2.2).
 */
export async function respond(request: Request, representation: Representation): Promise<Response> {
  const etag = await strongEtag(representation.body)
  const headers = new Headers({
    'Cache-Control': representation.cacheControl,
    ETag: etag,
    Vary: 'Accept-Encoding',
  })
  if (representation.lastModified) {
    headers.set('Last-Modified', new Date(representation.lastModified).toUTCString())
  }

  const ifNoneMatch = request.headers.get('If-None-Match')
  const ifModifiedSince = request.headers.get('If-Modified-Since')
  const notModified =
    ifNoneMatch !== null
      ? ifNoneMatchMatches(ifNoneMatch, etag)
      : ifModifiedSince !== null &&
        representation.lastModified !== undefined &&
        notModifiedSince(ifModifiedSince, representation.lastModified)
  if (notModified && (request.method === 'GET' || request.method === 'HEAD')) {
    return new Response(null, { status: 304, headers })
  }

  headers.set('Content-Type', representation.contentType)
  return new Response(representation.body, { status: 200, headers })
}
