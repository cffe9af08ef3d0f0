// Request step 3 (routes): /sitemap.xml (a sitemap index), its pages, /news-sitemap.xml (Google
// News: the last 48 hours) and /robots.txt. Each reads at most two KV operations (three when an
// article page or the news sitemap the publisher rendered is no longer the answer).
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { newestDate } from '../../model/dates'
import { NEWS_SITEMAP_RESPONSE_KEY, sitemapResponseKey } from '../../model/keys'
import { nextRevealOf, visibleLastModified, visibleLists } from '../../model/sitemap-layout'
import { CACHE_CONTROL, CONTENT_TYPE, representationResponse } from '../http'
import { prerenderedResponse } from '../prerendered'
import {
  newsSitemapRepresentation,
  sitemapPageRepresentation,
  xmlRepresentation,
} from '../render/sitemap-responses'
import { renderRobots, renderSitemapIndex, renderUrlSet, type SitemapUrl } from '../render/sitemap-xml'
import type { SiteConfig } from '../../model/site'
import { getRecentSitemapEntries, getSitemapIndex, getSitemapLists, getSitemapPage } from '../store'
import { absoluteUrl, listPath } from '../../model/urls'

const ARTICLES_SITEMAP = /^articles-([1-9][0-9]{0,5})\.xml$/

const sitemapUrls = (site: SiteConfig) => ({
  index: absoluteUrl(site, '/sitemap.xml'),
  news: absoluteUrl(site, '/news-sitemap.xml'),
  lists: absoluteUrl(site, '/sitemaps/lists.xml'),
  articles: (page: number) => absoluteUrl(site, `/sitemaps/articles-${page}.xml`),
})

const xmlResponse = (body: string, lastModified: string | undefined, changesAt: number | undefined, now: number) =>
  representationResponse(xmlRepresentation(body, lastModified, changesAt, now))

export const sitemaps = new Hono<AppEnv>()
  .get('/sitemap.xml', async (c) => {
    const { site, kv } = c.env
    const now = Date.now()
    const urls = sitemapUrls(site)
    const [index, lists] = await Promise.all([getSitemapIndex(kv), getSitemapLists(kv)])
    const pages = index?.pages ?? []
    // A page of only scheduled articles is not there yet: listing it would tell of them.
    const children: SitemapUrl[] = [
      { loc: urls.lists, lastModified: newestDate(visibleLists(lists ?? [], now).map((list) => list.lastModified)) },
      ...pages.flatMap((page, i) => {
        const changed = visibleLastModified(page, now)
        return changed ? [{ loc: urls.articles(i + 1), lastModified: changed }] : []
      }),
    ]
    return xmlResponse(
      renderSitemapIndex(children),
      newestDate(children.map((child) => child.lastModified)),
      nextRevealOf([...pages, ...(lists ?? [])], now),
      now,
    )
  })
  .get('/sitemaps/lists.xml', async (c) => {
    const { site, kv } = c.env
    const now = Date.now()
    const lists = (await getSitemapLists(kv)) ?? []
    const visible = visibleLists(lists, now)
    const newest = newestDate(visible.map((list) => list.lastModified))
    const urls: SitemapUrl[] = [
      { loc: absoluteUrl(site, '/'), lastModified: newest },
      ...visible.map((list) => ({ loc: absoluteUrl(site, listPath(list)), lastModified: list.lastModified })),
    ]
    return xmlResponse(renderUrlSet(urls), newest, nextRevealOf(lists, now), now)
  })
  .get('/sitemaps/:file', async (c) => {
    const match = ARTICLES_SITEMAP.exec(c.req.param('file'))
    if (!match) return c.notFound()
    const { site, kv } = c.env
    const number = Number(match[1]) - 1
    const now = Date.now()
    const prerendered = await prerenderedResponse(kv, sitemapResponseKey(number), site, now)
    if (prerendered) return prerendered
    const page = await getSitemapPage(kv, number)
    const representation = page && sitemapPageRepresentation(site, page, now)
    return representation ? representationResponse(representation) : c.notFound()
  })
  .get('/news-sitemap.xml', async (c) => {
    const { site, kv } = c.env
    const now = Date.now()
    const prerendered = await prerenderedResponse(kv, NEWS_SITEMAP_RESPONSE_KEY, site, now)
    if (prerendered) return prerendered
    return representationResponse(newsSitemapRepresentation(site, await getRecentSitemapEntries(kv), now))
  })
  .get('/robots.txt', (c) => {
    const urls = sitemapUrls(c.env.site)
    return representationResponse({
      body: renderRobots([urls.index, urls.news]),
      contentType: CONTENT_TYPE.text,
      cacheControl: CACHE_CONTROL.sitemap,
    })
  })
