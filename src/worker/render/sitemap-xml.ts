// Request step 5 (renderers): sitemaps (sitemaps.org 0.9), the Google News sitemap extension and
// robots.txt. Pure: data in, text out, escaped by the one XML escaper.
import { rfc3339 } from '../language'
import type { SitemapEntry } from '../../model/sitemap-layout'
import { xml, XML_DECLARATION } from './xml'

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9'
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9'

export interface SitemapUrl {
  loc: string
  lastModified?: string | null | undefined
}

const lastmod = (date: string | null | undefined) => (date ? `<lastmod>${rfc3339(date)}</lastmod>` : '')

/** A sitemap index: one <sitemap> per child sitemap. */
export function renderSitemapIndex(sitemaps: readonly SitemapUrl[]): string {
  let out = `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n`
  for (const sitemap of sitemaps) out += `<sitemap><loc>${xml(sitemap.loc)}</loc>${lastmod(sitemap.lastModified)}</sitemap>\n`
  return `${out}</sitemapindex>\n`
}

/** A URL set. */
export function renderUrlSet(urls: readonly SitemapUrl[]): string {
  let out = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n`
  for (const url of urls) out += `<url><loc>${xml(url.loc)}</loc>${lastmod(url.lastModified)}</url>\n`
  return `${out}</urlset>\n`
}

/** Google News sitemap: publication name and language, publication date and title per article. */
export function renderNewsSitemap(
  publication: string,
  articles: readonly { url: string; entry: SitemapEntry }[],
): string {
  let out = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n`
  for (const { url, entry } of articles) {
    out +=
      `<url><loc>${xml(url)}</loc><news:news><news:publication>` +
      `<news:name>${xml(publication)}</news:name>` +
      // Google News wants ISO 639 codes: the language subtag of the BCP 47 tag (zh-CN, zh-TW aside).
      `<news:language>${xml(newsLanguage(entry.language))}</news:language>` +
      `</news:publication><news:publication_date>${rfc3339(entry.publishedAt)}</news:publication_date>` +
      `<news:title>${xml(entry.title)}</news:title></news:news></url>\n`
  }
  return `${out}</urlset>\n`
}

function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase()
  if (lower.startsWith('zh-')) return lower.includes('tw') || lower.includes('hant') ? 'zh-tw' : 'zh-cn'
  return lower.split('-')[0]!
}

export function renderRobots(sitemaps: readonly string[]): string {
  return `User-agent: *\nAllow: /\n\n${sitemaps.map((url) => `Sitemap: ${url}`).join('\n')}\n`
}
