// Step 4 of the data path: the HTML pages of sections and tags, `/sections/:name` and
// `/tags/:name`, paginated like their feeds. Thin: read one list page, render, respond.
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, representationResponse } from '../http'
import { nextScheduledAt } from '../lists'
import { feedUpdated } from '../render/feed'
import { getListPage } from '../store'
import { absoluteUrl, listPath, withPage } from '../urls'
import { ListPage, renderPage } from '../views/pages'
import { mastheadSections } from '../views/sections'
import { uiStrings } from '../views/ui'
import { autodiscoveryLinks, listFromParams, listTitle, parsePage } from './lists'

async function serveListPage(c: Context<AppEnv>, kind: 'section' | 'tag') {
  const { site, kv } = c.env
  const list = listFromParams(kind, c.req.param('name') ?? '')
  const page = parsePage(c.req.query('page'))
  if (!list || page === null) return c.notFound()
  const now = Date.now()
  const listPage = await getListPage(kv, list, page, site.feedSize, now, { withSiteHead: true })
  if (!listPage) return c.notFound()
  const name = listPage.head.name ?? list.name
  const title = listTitle(site, list, name)
  const path = listPath(list)
  const ui = uiStrings(site.language)
  return representationResponse({
    body: renderPage(
      <ListPage
        site={site}
        title={page > 1 ? `${title} — ${ui.page} ${page}` : title}
        heading={name}
        canonical={absoluteUrl(site, withPage(path, page))}
        feeds={autodiscoveryLinks(site, list)}
        articles={listPage.articles}
        paging={{ page, pageCount: listPage.window.pageCount, pathOf: (n) => withPage(path, n) }}
        sections={mastheadSections(listPage.siteHead?.articles ?? [], now)}
      />,
    ),
    contentType: CONTENT_TYPE.html,
    cacheControl: CACHE_CONTROL.page,
    lastModified: listPage.articles.length > 0 ? feedUpdated(listPage.articles) : undefined,
    // The masthead's sections come from the site head: its schedule counts too.
    freshFor: freshUntil(
      [nextScheduledAt(listPage.head, now), listPage.siteHead ? nextScheduledAt(listPage.siteHead, now) : undefined],
      now,
    ),
  })
}

export const listPages = new Hono<AppEnv>()
  .get('/sections/:name', (c) => serveListPage(c, 'section'))
  .get('/tags/:name', (c) => serveListPage(c, 'tag'))
