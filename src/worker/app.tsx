// Request step 3: the routes. They only ever see the canonical request (cache/canonical.ts)
// and read KV through the reader in `c.env`; the 404, 410 and error pages are answered here too.
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { CACHE_CONTROL, permanentRedirect } from './http'
import { articlePages } from './routes/articles'
import { directory } from './routes/directory'
import { feeds } from './routes/feeds'
import { listPages } from './routes/lists'
import { missingPage } from './routes/not-found'
import { movedLocation } from './routes/redirects'
import { sitemaps } from './routes/sitemaps'
import { StoreError } from './store'

export const app = new Hono<AppEnv>()
  .route('/', feeds)
  .route('/', sitemaps)
  .route('/', listPages)
  .route('/', articlePages)
  .route('/', directory)

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
