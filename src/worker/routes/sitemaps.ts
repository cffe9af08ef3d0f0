// Request step 3 (routes): /sitemap.xml (a sitemap index), its pages, /news-sitemap.xml (Google
// News: the last 48 hours) and /robots.txt. Each reads at most two KV operations.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { newestDate, nextPublication } from '../../model/dates'
import { nextRevealOf, visibleLastModified, visibleLists } from '../../model/sitemap-layout'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, representationResponse } from '../http'
import { renderNewsSitemap, renderRobots, renderSitemapIndex, renderUrlSet, type SitemapUrl } from '../render/sitemap-xml'
import type { SiteConfig } from '../../model/site'
import { getRecentSitemapEntries, getSitemapIndex, getSitemapLists, getSitemapPage } from '../store'
import { absoluteUrl, articlePath, listPath } from '../../model/urls'

/** Google News takes articles of the last two days, at most 1,000 per sitemap. */
const NEWS_WINDOW_MS = 48 * 3600 * 1000
const NEWS_MAX = 1000

const ARTICLES_SITEMAP = /^articles-([1-9][0-9]{0,5})\.xml$/

const sitemapUrls = (site: SiteConfig) => ({
  index: absoluteUrl(site, '/sitemap.xml'),
  news: absoluteUrl(site, '/news-sitemap.xml'),
  lists: absoluteUrl(site, '/sitemaps/lists.xml'),
  articles: (page: number) => absoluteUrl(site, `/sitemaps/articles-${page}.xml`),
})

const xmlResponse = (body: string, lastModified?: string, freshFor?: number) =>
  representationResponse({
    body,
    contentType: CONTENT_TYPE.xml,
    cacheControl: CACHE_CONTROL.sitemap,
    lastModified,
    freshFor,
  })

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
      freshUntil([nextRevealOf([...pages, ...(lists ?? [])], now)], now),
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
    return xmlResponse(renderUrlSet(urls), newest, freshUntil([nextRevealOf(lists, now)], now))
  })
  .get('/sitemaps/:file', async (c) => {
    const match = ARTICLES_SITEMAP.exec(c.req.param('file'))
    if (!match) return c.notFound()
    const { site, kv } = c.env
    const page = await getSitemapPage(kv, Number(match[1]) - 1)
    if (!page) return c.notFound()
    const now = Date.now()
    const visible = page.filter((entry) => Date.parse(entry.publishedAt) <= now)
    if (visible.length === 0) return c.notFound()
    const urls = visible.map((entry) => ({
      loc: absoluteUrl(site, articlePath(entry.slug)),
      lastModified: entry.lastModified,
    }))
    return xmlResponse(
      renderUrlSet(urls),
      newestDate(urls.map((url) => url.lastModified)),
      freshUntil([nextPublication(page, now)], now),
    )
  })
  .get('/news-sitemap.xml', async (c) => {
    const { site, kv } = c.env
    const now = Date.now()
    const entries = await getRecentSitemapEntries(kv)
    const recent = entries
      .filter((entry) => {
        const published = Date.parse(entry.publishedAt)
        return published <= now && published > now - NEWS_WINDOW_MS
      })
      .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt))
      .slice(0, NEWS_MAX)
    const body = renderNewsSitemap(
      site.title,
      recent.map((entry) => ({ url: absoluteUrl(site, articlePath(entry.slug)), entry })),
    )
    // It changes by itself when a scheduled article appears and when the oldest one ages out.
    const agesOut = recent.length > 0 ? Date.parse(recent.at(-1)!.publishedAt) + NEWS_WINDOW_MS : undefined
    return xmlResponse(
      body,
      newestDate(recent.map((entry) => entry.lastModified)),
      freshUntil([nextPublication(entries, now), agesOut], now),
    )
  })
  .get('/robots.txt', (c) => {
    const urls = sitemapUrls(c.env.site)
    return representationResponse({
      body: renderRobots([urls.index, urls.news]),
      contentType: CONTENT_TYPE.text,
      cacheControl: CACHE_CONTROL.sitemap,
    })
  })
