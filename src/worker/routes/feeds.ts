// Request step 3 (routes): the feed routes — the site's, every section's, tag's and author's, in
// three formats, with RFC 5005 paging. Thin: the first page as the publisher rendered it when that
// is still the answer, else read one list page, render, respond.
import { Hono, type Context } from 'hono'
import { feedResponseKey, NAMED_LIST_KINDS, SITE_LIST, type ListRef } from '../../model/keys'
import { nextScheduledAt } from '../../model/list-layout'
import { FEED_FILES, FEED_FORMATS, LIST_FOLDERS, type FeedFormat } from '../../model/urls'
import type { AppEnv } from '../env'
import { freshUntil, representationResponse } from '../http'
import { prerenderedResponse } from '../prerendered'
import { listFeedRepresentation } from '../render/list-feed'
import { getFeedPage } from '../store'
import { missingPage } from './not-found'
import { listFromParams, parsePage } from './params'

async function serveFeed(c: Context<AppEnv>, list: ListRef | null, format: FeedFormat) {
  const { site, kv } = c.env
  const page = parsePage(c.req.query('page'))
  if (!list || page === null) return c.notFound()
  const now = Date.now()
  if (page === 1) {
    const prerendered = await prerenderedResponse(kv, feedResponseKey(list, format), site, now)
    if (prerendered) return prerendered
  }
  const listPage = await getFeedPage(kv, list, page, site.feedSize, now)
  if (!listPage) return c.notFound()
  // A section, tag or author whose articles are all scheduled does not exist for readers yet.
  if (list.kind !== 'site' && listPage.window.visibleCount === 0) {
    return missingPage(c, null, freshUntil([nextScheduledAt(listPage.head, now)], now))
  }
  return representationResponse(listFeedRepresentation(site, list, format, listPage, page, now))
}

export const feeds = new Hono<AppEnv>()
for (const format of FEED_FORMATS) {
  const file = FEED_FILES[format]
  feeds.get(`/${file}`, (c) => serveFeed(c, SITE_LIST, format))
  for (const kind of NAMED_LIST_KINDS) {
    feeds.get(`/${LIST_FOLDERS[kind]}/:name/${file}`, (c) => serveFeed(c, listFromParams(kind, c.req.param('name')), format))
  }
}
