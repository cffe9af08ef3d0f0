// The worker: mounts the routes, parses the site settings, and owns the 404 and error pages.
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { CACHE_CONTROL, CONTENT_TYPE } from './http'
import { autodiscoveryLinks } from './routes/lists'
import { feeds } from './routes/feeds'
import { pages } from './routes/pages'
import { parseSiteConfig, type SiteConfig } from './site'
import { StoreError } from './store'
import { MessagePage, renderPage } from './views/pages'
import { uiStrings } from './views/ui'

// [vars] never change within an isolate: parse them once per env object.
const siteConfigs = new WeakMap<object, SiteConfig>()

const app = new Hono<AppEnv>()

app.use(async (c, next) => {
  let site = siteConfigs.get(c.env)
  if (!site) {
    site = parseSiteConfig(c.env as unknown as Record<string, unknown>)
    siteConfigs.set(c.env, site)
  }
  c.set('site', site)
  await next()
})

app.route('/', feeds)
app.route('/', pages)

app.notFound((c) => {
  const site = c.get('site')
  const ui = uiStrings(site.language)
  const body = renderPage(
    <MessagePage
      site={site}
      canonical={site.url + new URL(c.req.url).pathname}
      feeds={autodiscoveryLinks(site)}
      heading={ui.notFoundTitle}
      text={ui.notFoundText}
    />,
  )
  return c.body(body, 404, {
    'Content-Type': CONTENT_TYPE.html,
    'Cache-Control': CACHE_CONTROL.notFound,
  })
})

app.onError((error, c) => {
  // Logged with the KV key where there is one; never shown to the client.
  console.error(error instanceof StoreError ? `store error at ${error.key}:` : 'error:', error)
  return c.text('Service temporarily unavailable. Please try again shortly.\n', 503, {
    'Cache-Control': CACHE_CONTROL.error,
    'Retry-After': '30',
  })
})

export default app
