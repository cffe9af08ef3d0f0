// Request step 5 (renderers): one page of a list's feed as a representation — the feed document
// with its RFC 5005 paging links, rendered in one format, with its headers. Pure; shared by the
// feed routes and the publisher, which renders each list's first page ahead of the request
// (src/publish/prerender.ts).
import type { StoredArticle } from '../../model/article'
import type { ListRef } from '../../model/keys'
import { nextScheduledAt, type ListTop, type PageWindow } from '../../model/list-layout'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, feedPath, listPath, withPage, type FeedFormat } from '../../model/urls'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, type Representation } from '../http'
import { listTitle } from '../views/feed-links'
import { renderAtom } from './atom'
import { feedUpdated, type FeedDocument } from './feed'
import { renderJsonFeed } from './json-feed'
import { renderRss } from './rss'

const RENDERERS: Record<FeedFormat, (feed: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
}

/** A page of a list with its articles in full, newest first. */
export interface FeedPage {
  /** The list's head or index: its name and schedule. */
  head: ListTop
  window: PageWindow
  articles: readonly StoredArticle[]
}

/** A representation and the moment (epoch ms) it changes by itself, if it does. */
export type TimedRepresentation = Representation & { changesAt: number | undefined }

/** The feed document for one page of a list in one format, with RFC 5005 paging links. */
function feedDocument(site: SiteConfig, list: ListRef, format: FeedFormat, feedPage: FeedPage, page: number, now: number): FeedDocument {
  const feedUrl = (n: number) => absoluteUrl(site, withPage(feedPath(list, format), n))
  const { pageCount } = feedPage.window
  const paged = pageCount > 1
  return {
    site,
    title: listTitle(site, list, feedPage.head.name),
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
    articles: feedPage.articles,
    now,
  }
}

/** RFC 8288 Link header: the feed's own URL and its WebSub hubs (WebSub §4). */
const linkHeader = (self: string, hubs: readonly string[]) =>
  [`<${self}>; rel="self"`, ...hubs.map((hub) => `<${hub}>; rel="hub"`)].join(', ')

/** Page `page` of a list's feed in `format`, as visible at `now`. */
export function listFeedRepresentation(
  site: SiteConfig,
  list: ListRef,
  format: FeedFormat,
  feedPage: FeedPage,
  page: number,
  now: number,
): TimedRepresentation {
  const feed = feedDocument(site, list, format, feedPage, page, now)
  const changesAt = nextScheduledAt(feedPage.head, now)
  return {
    body: RENDERERS[format](feed),
    contentType: CONTENT_TYPE[format],
    cacheControl: CACHE_CONTROL.feed,
    lastModified: feedPage.articles.length > 0 ? feedUpdated(feedPage.articles) : undefined,
    headers: { Link: linkHeader(feed.links.self, feed.hubs) },
    freshFor: freshUntil([changesAt], now),
    changesAt,
  }
}
