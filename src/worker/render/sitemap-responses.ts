// Request step 5 (renderers): an article sitemap page and the news sitemap as representations,
// from the sitemap data in KV. Pure; shared by the sitemap routes and the publisher, which renders
// them ahead of the request (src/publish/prerender.ts).
import { newestDate, nextPublication } from '../../model/dates'
import type { SitemapEntry } from '../../model/sitemap-layout'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, articlePath } from '../../model/urls'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil } from '../http'
import type { TimedRepresentation } from './list-feed'
import { renderNewsSitemap, renderUrlSet } from './sitemap-xml'

/** Google News takes articles of the last two days, at most 1,000 per sitemap. */
const NEWS_WINDOW_MS = 48 * 3600 * 1000
const NEWS_MAX = 1000

/** A sitemap's representation: its lastmod, and fresh until what it shows next changes by itself. */
export const xmlRepresentation = (body: string, lastModified: string | undefined, changesAt: number | undefined, now: number): TimedRepresentation => ({
  body,
  contentType: CONTENT_TYPE.xml,
  cacheControl: CACHE_CONTROL.sitemap,
  lastModified,
  freshFor: freshUntil([changesAt], now),
  changesAt,
})

/** An article sitemap page as visible at `now`, or null (404) while none of its articles is live. */
export function sitemapPageRepresentation(site: SiteConfig, page: readonly SitemapEntry[], now: number): TimedRepresentation | null {
  const visible = page.filter((entry) => Date.parse(entry.publishedAt) <= now)
  if (visible.length === 0) return null
  const urls = visible.map((entry) => ({
    loc: absoluteUrl(site, articlePath(entry.slug)),
    lastModified: entry.lastModified,
  }))
  return xmlRepresentation(renderUrlSet(urls), newestDate(urls.map((url) => url.lastModified)), nextPublication(page, now), now)
}

/** The news sitemap of `entries` (the newest sitemap pages' entries) as it stands at `now`. */
export function newsSitemapRepresentation(site: SiteConfig, entries: readonly SitemapEntry[], now: number): TimedRepresentation {
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
  const scheduled = nextPublication(entries, now)
  const changesAt = scheduled === undefined || agesOut === undefined ? (scheduled ?? agesOut) : Math.min(scheduled, agesOut)
  return xmlRepresentation(body, newestDate(recent.map((entry) => entry.lastModified)), changesAt, now)
}
