// Prototype for bench/ab.ts (not shipped): the edge-cache lookup in front of Hono, with a fast
// cache key for plain ASCII paths; a hit gets the security headers and its 304 here.
import app from '../../src/index'
import { cacheKeyUrl } from '../../src/edge-cache'
import { evaluateConditions } from '../../src/http'
import { SECURITY_HEADERS } from '../../src/security'

const PLAIN = /^[A-Za-z0-9\-._~/]*$/
function fastKey(url: string): string {
  const u = new URL(url)
  return u.search === '' && PLAIN.test(u.pathname) ? `${u.origin}${u.pathname}` : cacheKeyUrl(url)
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    if ((request.method === 'GET' || request.method === 'HEAD') && env.EDGE_CACHE !== 'off') {
      const hit = await caches.default.match(new Request(fastKey(request.url)))
      if (hit) {
        const response = evaluateConditions(request, hit)
        const out = new Response(response.body, response)
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) out.headers.set(name, value)
        return out
      }
    }
    return app.fetch(request, env, ctx)
  },
}
