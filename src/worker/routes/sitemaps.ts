// Request step 3 (routes): /sitemap.xml (a sitemap index), its pages, /news-sitemap.xml (Google
// News: the last 48 hours) and /robots.txt. Each reads at most two KV operations.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { newestDate } from '../../model/dates'
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

/** The earliest publication after `now` among `entries` (epoch ms): when a scheduled one appears. */
const nextPublication = (entries: readonly { publishedAt: string }[], now: number) =>
  entries.reduce<number | undefined>((next, entry) => {
    const time = Date.parse(entry.publishedAt)
    return time > now && (next === undefined || time < next) ? time : next
  }, undefined)

export const sitemaps = new Hono<AppEnv>()
  .get('/sitemap.xml', async (c) => {
    const { site, kv } = c.env
    const urls = sitemapUrls(site)
    const [index, lists] = await Promise.all([getSitemapIndex(kv), getSitemapLists(kv)])
    const children: SitemapUrl[] = [
      { loc: urls.lists, lastModified: newestDate((lists ?? []).map((list) => list.lastModified)) },
      ...(index?.pages ?? []).map((page, i) => ({ loc: urls.articles(i + 1), lastModified: page.lastModified })),
    ]
    return xmlResponse(renderSitemapIndex(children), newestDate(children.map((child) => child.lastModified)))
  })
  .get('/sitemaps/lists.xml', async (c) => {
    const { site, kv } = c.env
    const lists = (await getSitemapLists(kv)) ?? []
    const newest = newestDate(lists.map((list) => list.lastModified))
    const urls: SitemapUrl[] = [
      { loc: absoluteUrl(site, '/'), lastModified: newest },
      ...lists.map((list) => ({ loc: absoluteUrl(site, listPath(list)), lastModified: list.lastModified })),
    ]
    return xmlResponse(renderUrlSet(urls), newest)
  })
  .get('/sitemaps/:file', async (c) => {
    const match = ARTICLES_SITEMAP.exec(c.req.param('file'))
    if (!match) return c.notFound()
    const { site, kv } = c.env
    const page = await getSitemapPage(kv, Number(match[1]) - 1)
    if (!page) return c.notFound()
    const now = Date.now()
    const visible = page.filter((entry) => Date.parse(entry.publishedAt) <= now)
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
