// The worker: parses the site settings, puts the edge cache and conditional requests in front of
// every route, mounts the routes, and owns the 404, 410 and error pages.
import { Hono, type Context } from 'hono'
import type { Gone } from './article'
import type { AppEnv } from './env'
import { edgeCache } from './edge-cache'
import { CACHE_CONTROL, CONTENT_TYPE, permanentRedirect, representationResponse } from './http'
import { autodiscoveryLinks } from './routes/lists'
import { feeds } from './routes/feeds'
import { listPages } from './routes/list-pages'
import { resolveMoved } from './routes/moved'
import { pages } from './routes/pages'
import { sitemaps } from './routes/sitemaps'
import { securityHeaders } from './security'
import { parseSiteConfig, type SiteConfig } from './site'
import { StoreError } from './store'
import { GonePage, MessagePage, renderPage } from './views/pages'
import { uiStrings } from './views/ui'

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

/** The 404 page, or the 410 page of an unpublished article, as a cacheable representation. */
function missingPage(c: Context<AppEnv>, gone: Gone | null) {
  const site = c.get('site')
  const ui = uiStrings(site.language)
  const common = {
    site,
    canonical: site.url + new URL(c.req.url).pathname,
    feeds: autodiscoveryLinks(site),
  }
  return representationResponse({
    status: gone ? 410 : 404,
    body: renderPage(
      gone ? (
        <GonePage {...common} gone={gone} />
      ) : (
        <MessagePage {...common} heading={ui.notFoundTitle} text={ui.notFoundText} />
      ),
    ),
    contentType: CONTENT_TYPE.html,
    cacheControl: gone ? CACHE_CONTROL.permanent : CACHE_CONTROL.notFound,
  })
}

app.notFound(async (c) => {
  const moved = await resolveMoved(c)
  if (moved?.kind === 'redirect') return permanentRedirect(moved.location)
  return missingPage(c, moved?.kind === 'gone' ? moved.gone : null)
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
