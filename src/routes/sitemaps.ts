// Step 4 of the data path: /sitemap.xml (a sitemap index), its pages, /news-sitemap.xml (Google
// News: the last 48 hours) and /robots.txt. Each reads at most two KV operations.
import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, representationResponse } from '../http'
import { renderNewsSitemap, renderRobots, renderSitemapIndex, renderUrlSet, type SitemapUrl } from '../render/sitemap'
import type { SiteConfig } from '../site'
import { getRecentSitemapEntries, getSitemapIndex, getSitemapLists, getSitemapPage } from '../store'
import { absoluteUrl, articlePath, listPath } from '../urls'

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

const newestOf = (dates: readonly (string | null | undefined)[]) =>
  dates.reduce<string | undefined>((a, b) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a), undefined)

const xmlResponse = (body: string, lastModified?: string) =>
  representationResponse({ body, contentType: CONTENT_TYPE.xml, cacheControl: CACHE_CONTROL.sitemap, lastModified })

export const sitemaps = new Hono<AppEnv>()
  .get('/sitemap.xml', async (c) => {
    const site = c.get('site')
    const urls = sitemapUrls(site)
    const [index, lists] = await Promise.all([getSitemapIndex(c.env.ARTICLES), getSitemapLists(c.env.ARTICLES)])
    const children: SitemapUrl[] = [
      { loc: urls.lists, lastModified: newestOf((lists ?? []).map((list) => list.lastModified)) },
      ...(index?.pages ?? []).map((page, i) => ({ loc: urls.articles(i + 1), lastModified: page.lastModified })),
    ]
    return xmlResponse(renderSitemapIndex(children), newestOf(children.map((child) => child.lastModified)))
  })
  .get('/sitemaps/lists.xml', async (c) => {
    const site = c.get('site')
    const lists = (await getSitemapLists(c.env.ARTICLES)) ?? []
    const newest = newestOf(lists.map((list) => list.lastModified))
    const urls: SitemapUrl[] = [
      { loc: absoluteUrl(site, '/'), lastModified: newest },
      ...lists.map((list) => ({ loc: absoluteUrl(site, listPath(list)), lastModified: list.lastModified })),
    ]
    return xmlResponse(renderUrlSet(urls), newest)
  })
  .get('/sitemaps/:file', async (c) => {
    const match = ARTICLES_SITEMAP.exec(c.req.param('file'))
    if (!match) return c.notFound()
    const page = await getSitemapPage(c.env.ARTICLES, Number(match[1]) - 1)
    if (!page) return c.notFound()
    const site = c.get('site')
    const now = Date.now()
    const visible = page.filter((entry) => Date.parse(entry.publishedAt) <= now)
    const urls = visible.map((entry) => ({
      loc: absoluteUrl(site, articlePath(entry.slug)),
      lastModified: entry.lastModified,
    }))
    return xmlResponse(renderUrlSet(urls), newestOf(urls.map((url) => url.lastModified)))
  })
  .get('/news-sitemap.xml', async (c) => {
    const site = c.get('site')
    const now = Date.now()
    const recent = (await getRecentSitemapEntries(c.env.ARTICLES))
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
    return xmlResponse(body, newestOf(recent.map((entry) => entry.lastModified)))
  })
  .get('/robots.txt', (c) => {
    const urls = sitemapUrls(c.get('site'))
    return representationResponse({
      body: renderRobots([urls.index, urls.news]),
      contentType: CONTENT_TYPE.text,
      cacheControl: CACHE_CONTROL.sitemap,
    })
  })
