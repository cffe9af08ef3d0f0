// Request step 1: its canonical form. The routes only ever see this — the site's origin, the
// path in one percent-encoding, and `page`, the one query parameter any route reads — so nothing
// else a client sends (other parameters, their bytes, the Host header) can reach a response, and
// every response can be cached under the URL it was made from.

/**
 * Longest canonical URL the edge cache keeps. Every real URL is far shorter (a slug is at most 400
 * bytes, 1,200 characters percent-encoded); longer ones are answered, never stored.
 */
export const MAX_CACHED_URL_LENGTH = 2048

const PAGE = /^[1-9][0-9]{0,5}$/

/** A path segment in one canonical encoding (Arabic raw or encoded, any hex case → one form). */
function canonicalSegment(segment: string): string {
  try {
    return encodeURIComponent(decodeURIComponent(segment).normalize('NFC'))
  } catch {
    // Malformed percent-encoding: no route matches it; the URL parser already made it ASCII.
    return segment
  }
}

/**
 * The canonical URL of a request URL, on `origin` (the site's): the path canonically encoded and
 * `?page=N` for a page after the first. A page the routes would refuse (`?page=abc`, `?page=01`)
 * becomes `?page=0`, which they refuse the same way, so junk cannot fragment the cache.
 */
export function canonicalUrl(requestUrl: string, origin: string): string {
  const url = new URL(requestUrl)
  const path = url.pathname.split('/').map(canonicalSegment).join('/')
  const page = url.searchParams.get('page')
  const query = page === null || page === '1' ? '' : `?page=${PAGE.test(page) ? page : '0'}`
  return `${origin}${path}${query}`
}
