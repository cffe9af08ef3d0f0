// Request step 3 (routes): the pages for what is not there — 404, and 410 for an unpublished
// article (its tombstone names it). Cacheable representations like any other page.
import type { Context } from 'hono'
import type { Gone } from '../../model/article'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, representationResponse } from '../http'
import { renderPage } from '../views/document'
import { autodiscoveryLinks } from '../views/feed-links'
import { GonePage, MessagePage } from '../views/MessagePage'
import { uiStrings } from '../views/ui'

/**
 * The 404 page, or with `gone` the 410 page of an unpublished article. `freshFor`: seconds until
 * the page changes by itself (a scheduled article's slug goes live).
 */
export function missingPage(c: Context<AppEnv>, gone: Gone | null = null, freshFor?: number) {
  const { site } = c.env
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
    freshFor,
  })
}
