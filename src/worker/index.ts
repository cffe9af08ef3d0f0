// The worker, in the order a request runs: the site settings (parsed once per isolate); photo
// variants straight from the MEDIA bucket (serve-media.ts); else the canonical request and the edge
// cache with conditional requests (cache/), the routes (app.tsx) on a miss — reading KV
// (store.ts), rendering (render/, views/), building the response with its validators (http.ts) —
// and the security headers on whatever goes out (security.ts).
import { app } from './app'
import { serveRequest } from './cache/edge-cache'
import { MemoryCache } from './cache/memory'
import type { Bindings } from './env'
import { CACHE_CONTROL } from './http'
import { serveMedia } from './serve-media'
import { withSecurityHeaders } from './security'
import { parseMediaPath } from '../model/media'
import { parseSiteConfig, type SiteConfig } from '../model/site'

// [vars] never change within an isolate: parse them once per env object.
const siteConfigs = new WeakMap<object, SiteConfig>()

function siteConfigOf(env: Bindings): SiteConfig {
  let site = siteConfigs.get(env)
  if (!site) {
    site = parseSiteConfig(env)
    siteConfigs.set(env, site)
  }
  return site
}

/** The isolate's memory layer of the edge cache, shared by its requests. */
const memory = new MemoryCache()

async function respond(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
  try {
    const site = siteConfigOf(env)
    const media = parseMediaPath(new URL(request.url).pathname)
    if (media) {
      return await serveMedia(request, media, {
        bucket: env.MEDIA,
        cache: site.edgeCache ? caches.default : null,
        memory,
        waitUntil: (promise) => ctx.waitUntil(promise),
        origin: new URL(site.url).origin,
      })
    }
    return await serveRequest(request, {
      site,
      kv: env.ARTICLES,
      memory,
      cache: caches.default,
      waitUntil: (promise) => ctx.waitUntil(promise),
      render: async (canonical, kv) => app.fetch(canonical, { site, kv }, ctx),
    })
  } catch (error) {
    // A configuration mistake or a bug outside the routes: logged, never shown.
    console.error('error:', error)
    return new Response('Internal error. Please try again later.\n', {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': CACHE_CONTROL.error },
    })
  }
}

export default {
  fetch: async (request: Request, env: Bindings, ctx: ExecutionContext) =>
    withSecurityHeaders(await respond(request, env, ctx)),
} satisfies ExportedHandler<Bindings>
