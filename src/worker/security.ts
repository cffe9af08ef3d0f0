// Request step 7: security headers on every response the worker makes — pages, feeds,
// redirects, 304s, 404/410, 405 and error pages alike, cached or not. (Static files in public/
// get theirs from public/_headers.)

/**
 * Pages load nothing but their own stylesheet and favicon, plus article photos from any https
 * host; no script runs at all (the JSON-LD block is data, which script-src does not govern), no
 * inline style, no forms, no plugins, and no other site may frame them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  // Browsers must trust our Content-Types: a feed is never sniffed into HTML.
  'X-Content-Type-Options': 'nosniff',
  // Other sites learn that a reader came from us, not which article they read.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // frame-ancestors for browsers that predate CSP level 2.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/**
 * `response` with the security headers set. Every response the worker sends it built itself (a
 * cached copy is rebuilt too), so its headers are mutable and its body keeps its known length.
 */
export function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value)
  return response
}
