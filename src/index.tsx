// The worker: parses the site settings, puts the edge cache and conditional requests in front of
// every route, mounts the routes, and owns the 404, 410 and error pages.
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { edgeCache } from './edge-cache'
import { CACHE_CONTROL, permanentRedirect } from './http'
import { feeds } from './routes/feeds'
import { listPages } from './routes/list-pages'
import { missingPage } from './routes/missing'
import { movedLocation } from './routes/moved'
import { pages } from './routes/pages'
import { sitemaps } from './routes/sitemaps'
import { securityHeaders } from './security'
import { parseSiteConfig, type SiteConfig } from './site'
import { StoreError } from './store'

// [vars] never change within an isolate: parse them once per env object.
const siteConfigs = new WeakMap<object, SiteConfig>()

const app = new Hono<AppEnv>()

app.use(securityHeaders)

app.use(async (c, next) => {
  let site = siteConfigs.get(c.env)
  if (!site) {
    site = parseSiteConfig(c.env as unknown as Record<string, unknown>)
    siteConfigs.set(c.env, site)
  }
  c.set('site', site)
  await next()
})
app.use(edgeCache)

app.route('/', feeds)
app.route('/', sitemaps)
app.route('/', pages)
app.route('/', listPages)

app.notFound((c) => {
  const location = movedLocation(c)
  return location ? permanentRedirect(location) : missingPage(c)
})

app.onError((error, c) => {
  // Logged with the KV key where there is one; never shown to the client.
  const unavailable = error instanceof StoreError
  console.error(unavailable ? `store error at ${error.key}:` : 'error:', error)
  return c.text(
    unavailable
      ? 'Service temporarily unavailable. Please try again shortly.\n'
      : 'Internal error. Please try again later.\n',
    unavailable ? 503 : 500,
    { 'Cache-Control': CACHE_CONTROL.error, ...(unavailable ? { 'Retry-After': '30' } : {}) },
  )
})

export default app
