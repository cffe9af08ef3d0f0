// Request step 6: the HTTP policy, named once — Content-Types, Cache-Control per kind of
// resource, validators (strong ETag, Last-Modified) and conditional requests (RFC 9110 §13).
import { contentHash } from '../model/hash'

export const CONTENT_TYPE = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  /** OPML has no registered type; this is the one feed readers send and expect. */
  opml: 'text/x-opml; charset=utf-8',
} as const

/**
 * Cache-Control per kind of resource, as clients and shared caches see it. `max-age` is for
 * browsers and feed readers; `s-maxage` bounds shared caches to KV's propagation window (60 s);
 * `stale-while-revalidate` lets them answer at once while they refetch; `stale-if-error` keeps
 * serving through an outage. The worker's own edge cache keeps a copy for `s-maxage` only and
 * ignores the `stale-*` directives (src/worker/cache/edge-cache.ts).
 */
export const CACHE_CONTROL = {
  /** Aggregators poll feeds; five minutes fresh for clients. */
  feed: 'public, max-age=300, s-maxage=60, stale-while-revalidate=3600, stale-if-error=86400',
  page: 'public, max-age=60, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400',
  sitemap: 'public, max-age=3600, s-maxage=60, stale-while-revalidate=86400, stale-if-error=86400',
  /** Redirects and 410s stand until an editor changes them. */
  permanent: 'public, max-age=86400, s-maxage=60',
  /** 404s are cached briefly so a slug published a moment later appears soon. */
  notFound: 'public, max-age=60, s-maxage=60',
  error: 'no-store',
  /** Photo variants: named by their content hash, so a name never gets other bytes (RFC 8246). */
  media: 'public, max-age=31536000, immutable',
} as const

export interface Representation {
  body: string
  contentType: string
  cacheControl: string
  /** ISO date of the newest content in the body, for Last-Modified. */
  lastModified?: string | undefined
  status?: number
  /** Extra headers, e.g. Link. */
  headers?: Record<string, string>
  /**
   * Seconds until the content changes by itself (a scheduled article going live): no cache, ours
   * or a client's, may keep it longer. Absent when only a publish can change it.
   */
  freshFor?: number | undefined
}

const FRESHNESS_DIRECTIVE = /(?<![\w-])(max-age|s-maxage)=(\d+)/g

/** `cacheControl` with its max-age and s-maxage no longer than `seconds`. */
export const capFreshness = (cacheControl: string, seconds: number) =>
  cacheControl.replace(FRESHNESS_DIRECTIVE, (_, name: string, value: string) => `${name}=${Math.min(Number(value), seconds)}`)

/** The s-maxage of a Cache-Control value in seconds, or null when it has none. */
export function sharedMaxAge(cacheControl: string | null): number | null {
  const match = /(?<![\w-])s-maxage=(\d+)/.exec(cacheControl ?? '')
  return match ? Number(match[1]) : null
}

/**
 * Representation.freshFor for content that changes by itself at the earliest of `times` (epoch
 * ms; undefined = never): whole seconds from `now`, never negative.
 */
export function freshUntil(times: readonly (number | undefined)[], now: number): number | undefined {
  let earliest: number | undefined
  for (const time of times) if (time !== undefined && (earliest === undefined || time < earliest)) earliest = time
  return earliest === undefined ? undefined : Math.max(0, Math.ceil((earliest - now) / 1000))
}

/** A strong ETag from the bytes' SHA-256 digest: its first 128 bits, so it changes exactly when they do. */
export function etagOfDigest(digest: Uint8Array): string {
  let hex = ''
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, '0')
  return `"${hex}"`
}

/** The strong ETag of `bytes` (etagOfDigest of their SHA-256). */
export async function strongEtag(bytes: Uint8Array): Promise<string> {
  return etagOfDigest(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
}

/**
 * A representation's response with its validators, for bytes whose ETag is already known, and its
 * Content-Length: a HEAD, answered from these headers, carries the GET's.
 */
export function validatedResponse(
  representation: Omit<Representation, 'body'>,
  bytes: Uint8Array,
  etag: string,
): Response {
  const headers = new Headers({
    'Content-Type': representation.contentType,
    'Cache-Control':
      representation.freshFor === undefined
        ? representation.cacheControl
        : capFreshness(representation.cacheControl, representation.freshFor),
    ETag: etag,
    Vary: 'Accept-Encoding',
    'Content-Length': String(bytes.byteLength),
    ...representation.headers,
  })
  if (representation.lastModified) {
    // RFC 9110 §8.8.2: never later than the response's own date, whatever an article claims.
    const modified = Math.min(Date.parse(representation.lastModified), Date.now())
    headers.set('Last-Modified', new Date(modified).toUTCString())
  }
  return new Response(bytes, { status: representation.status ?? 200, headers })
}

/** The complete response for a representation, with its validators. */
export async function representationResponse(representation: Representation): Promise<Response> {
  // Encoded once: the same bytes are hashed for the ETag and sent.
  const bytes = new TextEncoder().encode(representation.body)
  return validatedResponse(representation, bytes, await strongEtag(bytes))
}

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, '')

/** RFC 9110 §13.1.2: `*` or a list of entity tags, compared weakly. */
export function ifNoneMatchMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  const current = opaqueTag(etag)
  return header.split(',').some((tag) => opaqueTag(tag) === current)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const MONTH = `(${MONTHS.join('|')})`
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)'
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`)
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`)
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`)

function utc(year: number, month: string, day: number, hours: string, minutes: string, seconds: string): number {
  const time = Date.UTC(year, MONTHS.indexOf(month), day, Number(hours), Number(minutes), Number(seconds))
  // Reject what Date.UTC would roll over (31 Feb, 25:00): not a date at all.
  const date = new Date(time)
  return date.getUTCDate() === day && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 61 ? time : NaN
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch ms, or NaN: the IMF-fixdate senders use, and the two
 * obsolete forms recipients must still accept. Anything else — `2100`, an ISO date — is not one.
 */
export function parseHttpDate(value: string): number {
  const text = value.trim()
  let match = IMF_FIXDATE.exec(text)
  if (match) return utc(Number(match[3]), match[2]!, Number(match[1]), match[4]!, match[5]!, match[6]!)
  match = RFC850_DATE.exec(text)
  if (match) {
    // A two-digit year more than 50 years ahead is the most recent past year with those digits.
    const now = new Date().getUTCFullYear()
    let year = Math.floor(now / 100) * 100 + Number(match[3])
    if (year > now + 50) year -= 100
    return utc(year, match[2]!, Number(match[1]), match[4]!, match[5]!, match[6]!)
  }
  match = ASCTIME_DATE.exec(text)
  if (match) return utc(Number(match[6]), match[1]!, Number(match[2]), match[3]!, match[4]!, match[5]!)
  return NaN
}

/**
 * RFC 9110 §13.1.3: unmodified when Last-Modified (to the second) is not after the date; a value
 * that is not an HTTP-date is ignored, and so is a date in the future, which no copy can be from.
 */
function notModifiedSince(header: string, lastModified: string, now: number): boolean {
  const since = parseHttpDate(header)
  const modified = Date.parse(lastModified)
  return !Number.isNaN(since) && !Number.isNaN(modified) && since <= now && modified <= since
}

/** Headers a 304 repeats (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = ['Cache-Control', 'ETag', 'Last-Modified', 'Vary', 'Link', 'Expires']

/**
 * `response` (a 200 with validators), or a bodiless 304 when the request's preconditions say the
 * client already has it. If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); only GET
 * and HEAD are ever answered 304.
 */
export function evaluateConditions(request: Request, response: Response): Response {
  if (response.status !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) return response
  const etag = response.headers.get('ETag')
  const lastModified = response.headers.get('Last-Modified')
  const ifNoneMatch = request.headers.get('If-None-Match')
  const ifModifiedSince = request.headers.get('If-Modified-Since')
  const notModified =
    ifNoneMatch !== null
      ? etag !== null && ifNoneMatchMatches(ifNoneMatch, etag)
      : ifModifiedSince !== null && lastModified !== null && notModifiedSince(ifModifiedSince, lastModified, Date.now())
  if (!notModified) return response
  const headers = new Headers()
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  return new Response(null, { status: 304, headers })
}

/** The site answers GET and HEAD only; it has no write endpoint (RFC 9110 §15.5.6). */
export const methodNotAllowed = () =>
  new Response('Method Not Allowed\n', {
    status: 405,
    headers: { Allow: 'GET, HEAD', 'Content-Type': CONTENT_TYPE.text, 'Cache-Control': CACHE_CONTROL.error },
  })

/**
 * A permanent redirect that shared caches may keep, with the validators every response carries:
 * its ETag names the target, which is all a bodiless 301 says.
 */
export const permanentRedirect = (location: string) =>
  new Response(null, {
    status: 301,
    headers: {
      Location: location,
      'Cache-Control': CACHE_CONTROL.permanent,
      ETag: `"${contentHash(location)}"`,
      Vary: 'Accept-Encoding',
    },
  })
