// Step 4 of the data path: the feed routes. Thin: read one list page, render, respond.
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, respond } from '../http'
import { SITE_LIST, type ListRef } from '../keys'
import { renderAtom } from '../render/atom'
import { feedUpdated, type FeedDocument } from '../render/feed'
import { renderJsonFeed } from '../render/json-feed'
import { renderRss } from '../render/rss'
import { getListPage } from '../store'
import type { FeedFormat } from '../urls'
import { feedDocument, parsePage } from './lists'

const RENDERERS: Record<FeedFormat, (feed: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
}

export async function serveFeed(c: Context<AppEnv>, list: ListRef, format: FeedFormat) {
  const site = c.get('site')
  const page = parsePage(c.req.query('page'))
  if (page === null) return c.notFound()
  const listPage = await getListPage(c.env.ARTICLES, list, page, site.feedSize, Date.now())
  if (!listPage) return c.notFound()
  return respond(c.req.raw, {
    body: RENDERERS[format](feedDocument(site, list, format, listPage, page)),
    contentType: CONTENT_TYPE[format],
    cacheControl: CACHE_CONTROL.feed,
    lastModified: listPage.articles.length > 0 ? feedUpdated(listPage.articles) : undefined,
  })
}

export const feeds = new Hono<AppEnv>()
  .get('/rss.xml', (c) => serveFeed(c, SITE_LIST, 'rss'))
  .get('/atom.xml', (c) => serveFeed(c, SITE_LIST, 'atom'))
  .get('/feed.json', (c) => serveFeed(c, SITE_LIST, 'json'))
