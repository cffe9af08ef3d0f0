// Request step 3 (routes): the feed directory — /feeds (a page listing every site, section, tag
// and author feed in each format) and its OPML files (/feeds.opml for RSS, /feeds/atom.opml,
// /feeds/json.opml). One KV read: the sitemap's list of lists.
import { Hono } from 'hono'
import { SITE_LIST } from '../../model/keys'
import { nextScheduledAt } from '../../model/list-layout'
import { nextRevealOf } from '../../model/sitemap-layout'
import { absoluteUrl, FEED_FORMATS, FEEDS_DIRECTORY_PATH, opmlPath, type FeedFormat } from '../../model/urls'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, representationResponse } from '../http'
import { feedDirectory } from '../render/feed-directory'
import { renderOpml } from '../render/opml'
import { getListIndex, getSitemapLists } from '../store'
import { renderPage } from '../views/document'
import { autodiscoveryLinks, listTitle } from '../views/feed-links'
import { FeedsPage, groupLabels } from '../views/FeedsPage'
import { mastheadSections } from '../views/sections'
import { uiStrings } from '../views/ui'

const opmlUrls = (site: Parameters<typeof absoluteUrl>[0]) =>
  Object.fromEntries(FEED_FORMATS.map((format) => [format, absoluteUrl(site, opmlPath(format))])) as Record<FeedFormat, string>

export const directory = new Hono<AppEnv>().get(FEEDS_DIRECTORY_PATH, async (c) => {
  const { site, kv } = c.env
  const now = Date.now()
  const [lists, head] = await Promise.all([getSitemapLists(kv), getListIndex(kv, SITE_LIST)])
  const listing = feedDirectory(site, lists ?? [], now)
  return representationResponse({
    body: renderPage(
      <FeedsPage
        site={site}
        canonical={absoluteUrl(site, FEEDS_DIRECTORY_PATH)}
        feeds={autodiscoveryLinks(site)}
        directory={listing}
        opml={opmlUrls(site)}
        sections={mastheadSections(head?.articles ?? [], now)}
      />,
    ),
    contentType: CONTENT_TYPE.html,
    cacheControl: CACHE_CONTROL.page,
    lastModified: listing.lastModified,
    freshFor: freshUntil([nextRevealOf(lists ?? [], now), head ? nextScheduledAt(head, now) : undefined], now),
  })
})

for (const format of FEED_FORMATS) {
  directory.get(opmlPath(format), async (c) => {
    const { site, kv } = c.env
    const lists = (await getSitemapLists(kv)) ?? []
    const now = Date.now()
    const listing = feedDirectory(site, lists, now)
    const ui = uiStrings(site.language)
    return representationResponse({
      body: renderOpml(site, listing, format, {
        title: `${site.title} — ${ui.allFeeds}`,
        groups: groupLabels(ui),
        listTitle: (entry) => listTitle(site, entry.list, entry.name),
      }),
      contentType: CONTENT_TYPE.opml,
      cacheControl: CACHE_CONTROL.feed,
      lastModified: listing.lastModified,
      freshFor: freshUntil([nextRevealOf(lists, now)], now),
    })
  })
}
