// Prototype for bench/ab.ts (not shipped): rendered 200s kept in the isolate's memory for a few
// seconds in front of the Cache API, so most hits do no I/O at all (unbounded: a sketch).
import app from '../../src/index'
import { cacheKeyUrl } from '../../src/edge-cache'
import { evaluateConditions } from '../../src/http'

const TTL_MS = 5000
const memory = new Map<string, { body: ArrayBuffer; init: ResponseInit; expires: number }>()

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    if (request.method !== 'GET') return app.fetch(request, env, ctx)
    const key = cacheKeyUrl(request.url)
    const now = Date.now()
    const kept = memory.get(key)
    if (kept && kept.expires > now)
      return evaluateConditions(request, new Response(kept.body, kept.init))
    const response = await app.fetch(new Request(request.url), env, ctx)
    if (response.status === 200) {
      const body = await response.arrayBuffer()
      const init = { status: 200, headers: [...response.headers] }
      memory.set(key, { body, init, expires: now + TTL_MS })
      return evaluateConditions(request, new Response(body, init))
    }
    return response
  },
}
