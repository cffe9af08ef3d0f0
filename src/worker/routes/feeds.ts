// Request step 3 (routes): the feed routes — the site's, every section's, tag's and author's, in
// three formats, with RFC 5005 paging. Thin: read one list page, render, respond.
import { Hono, type Context } from 'hono'
import { NAMED_LIST_KINDS, SITE_LIST, type ListRef } from '../../model/keys'
import { nextScheduledAt } from '../../model/list-layout'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, FEED_FILES, FEED_FORMATS, feedPath, LIST_FOLDERS, listPath, withPage, type FeedFormat } from '../../model/urls'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, representationResponse } from '../http'
import { renderAtom } from '../render/atom'
import { feedUpdated, type FeedDocument } from '../render/feed'
import { renderJsonFeed } from '../render/json-feed'
import { renderRss } from '../render/rss'
import type { StoredArticle } from '../../model/article'
import { getFeedPage, type ListPage } from '../store'
import { listTitle } from '../views/feed-links'
import { missingPage } from './not-found'
import { listFromParams, parsePage } from './params'

const RENDERERS: Record<FeedFormat, (feed: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
}

/** The feed document for one page of a list in one format, with RFC 5005 paging links. */
function feedDocument(
  site: SiteConfig,
  list: ListRef,
  format: FeedFormat,
  listPage: ListPage & { articles: StoredArticle[] },
  page: number,
  now: number,
): FeedDocument {
  const feedUrl = (n: number) => absoluteUrl(site, withPage(feedPath(list, format), n))
  const { pageCount } = listPage.window
  const paged = pageCount > 1
  return {
    site,
    title: listTitle(site, list, listPage.head.name),
    description: site.description,
    id: absoluteUrl(site, listPath(list)),
    links: {
      self: feedUrl(page),
      alternate: absoluteUrl(site, withPage(listPath(list), page)),
      first: paged ? feedUrl(1) : undefined,
      previous: page > 1 ? feedUrl(page - 1) : undefined,
      next: page < pageCount ? feedUrl(page + 1) : undefined,
      last: paged ? feedUrl(pageCount) : undefined,
    },
    hubs: site.hubs,
    articles: listPage.articles,
    now,
  }
}

/** RFC 8288 Link header: the feed's own URL and its WebSub hubs (WebSub §4). */
const linkHeader = (self: string, hubs: readonly string[]) =>
  [`<${self}>; rel="self"`, ...hubs.map((hub) => `<${hub}>; rel="hub"`)].join(', ')

async function serveFeed(c: Context<AppEnv>, list: ListRef | null, format: FeedFormat) {
  const { site, kv } = c.env
  const page = parsePage(c.req.query('page'))
  if (!list || page === null) return c.notFound()
  const now = Date.now()
  const listPage = await getFeedPage(kv, list, page, site.feedSize, now)
  if (!listPage) return c.notFound()
  // A section, tag or author whose articles are all scheduled does not exist for readers yet.
  if (list.kind !== 'site' && listPage.window.visibleCount === 0) {
    return missingPage(c, null, freshUntil([nextScheduledAt(listPage.head, now)], now))
  }
  const feed = feedDocument(site, list, format, listPage, page, now)
  return representationResponse({
    body: RENDERERS[format](feed),
    contentType: CONTENT_TYPE[format],
    cacheControl: CACHE_CONTROL.feed,
    lastModified: listPage.articles.length > 0 ? feedUpdated(listPage.articles) : undefined,
    headers: { Link: linkHeader(feed.links.self, feed.hubs) },
    freshFor: freshUntil([nextScheduledAt(listPage.head, now)], now),
  })
}

export const feeds = new Hono<AppEnv>()
for (const format of FEED_FORMATS) {
  const file = FEED_FILES[format]
  feeds.get(`/${file}`, (c) => serveFeed(c, SITE_LIST, format))
  for (const kind of NAMED_LIST_KINDS) {
    feeds.get(`/${LIST_FOLDERS[kind]}/:name/${file}`, (c) => serveFeed(c, listFromParams(kind, c.req.param('name')), format))
  }
}
