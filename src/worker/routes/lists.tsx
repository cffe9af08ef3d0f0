// Request step 3 (routes): the HTML pages of lists — the home page (the site list),
// `/sections/:name`, `/tags/:name` and `/authors/:name` — paginated like their feeds. Thin: read
// one list page, render, respond.
import { Hono, type Context } from 'hono'
import { nextPublication } from '../../model/dates'
import { nextScheduledAt } from '../../model/list-layout'
import type { StoredArticle } from '../../model/article'
import { foldName, NAMED_LIST_KINDS, SITE_LIST, type ListRef } from '../../model/keys'
import { absoluteUrl, LIST_FOLDERS, listPath, withPage } from '../../model/urls'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, representationResponse } from '../http'
import { feedUpdated } from '../render/feed'
import { getListPage } from '../store'
import { isolate, renderPage } from '../views/document'
import { autodiscoveryLinks, listTitle } from '../views/feed-links'
import { HomePage, ListPage } from '../views/ListPage'
import { mastheadSections } from '../views/sections'
import { uiStrings } from '../views/ui'
import { missingPage } from './not-found'
import { listFromParams, parsePage } from './params'

/** An author's own site, as the newest of their articles on the page names it. */
const authorWebsite = (articles: readonly Pick<StoredArticle, 'authors'>[], name: string) =>
  articles.flatMap((article) => article.authors).find((author) => author.url && foldName(author.name) === foldName(name))?.url

async function serveListPage(c: Context<AppEnv>, list: ListRef | null) {
  const { site, kv } = c.env
  const page = parsePage(c.req.query('page'))
  if (!list || page === null) return c.notFound()
  const now = Date.now()
  const listPage = await getListPage(kv, list, page, site.feedSize, now, { withLatest: true })
  // The home page exists before the first publish; a section, tag or author once it has a live
  // article: before an embargo lifts, nothing tells of it, not even its name.
  if (!listPage && (list.kind !== 'site' || page > 1)) return c.notFound()
  if (listPage && list.kind !== 'site' && listPage.window.visibleCount === 0) {
    return missingPage(c, null, freshUntil([nextScheduledAt(listPage.head, now)], now))
  }
  const path = listPath(list)
  const common = {
    site,
    canonical: absoluteUrl(site, withPage(path, page)),
    feeds: autodiscoveryLinks(site, list),
    articles: listPage?.articles ?? [],
    paging: { page, pageCount: listPage?.window.pageCount ?? 1, pathOf: (n: number) => withPage(path, n) },
    sections: mastheadSections(listPage?.latest?.articles ?? [], now),
  }
  let body: string
  if (list.kind === 'site') {
    body = renderPage(<HomePage {...common} />)
  } else {
    const name = listPage?.head.name ?? list.name
    // The name is isolated in <title>, which takes no markup: a bidi override in it stays inside.
    const title = listTitle(site, list, isolate(name))
    const ui = uiStrings(site.language)
    body = renderPage(
      <ListPage
        {...common}
        title={page > 1 ? `${title} — ${ui.page} ${page}` : title}
        heading={name}
        website={list.kind === 'author' && listPage ? authorWebsite(listPage.head.articles, name) : undefined}
      />,
    )
  }
  return representationResponse({
    body,
    contentType: CONTENT_TYPE.html,
    cacheControl: CACHE_CONTROL.page,
    lastModified: common.articles.length > 0 ? feedUpdated(common.articles) : undefined,
    // The masthead's sections come from the site's latest articles: their schedule counts too.
    freshFor: freshUntil(
      [
        listPage ? nextScheduledAt(listPage.head, now) : undefined,
        nextPublication(listPage?.latest?.articles ?? [], now),
      ],
      now,
    ),
  })
}

export const listPages = new Hono<AppEnv>().get('/', (c) => serveListPage(c, SITE_LIST))
for (const kind of NAMED_LIST_KINDS) {
  listPages.get(`/${LIST_FOLDERS[kind]}/:name`, (c) => serveListPage(c, listFromParams(kind, c.req.param('name'))))
}
