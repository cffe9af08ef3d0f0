// Publish step 8, beside desired-state.ts: the responses rendered at publish time rather than on
// every cache miss — each list's first feed page in each format, each article sitemap page and the
// news sitemap — with the worker's own renderers (src/worker/render/), as the worker would answer
// them now, and the facts that tell the worker when they are no longer the answer (their site and
// render stamps, valid-until). Pure: the hash is passed in (node:crypto's, where the caller has it).
import type { StoredArticle } from '../model/article'
import { feedResponseKey, NEWS_SITEMAP_RESPONSE_KEY, sitemapResponseKey, type ListRef } from '../model/keys'
import { articlesInWindow, chunksForWindow, pageWindow, type ListHead } from '../model/list-layout'
import type { SiteConfig } from '../model/site'
import type { SitemapEntry } from '../model/sitemap-layout'
import { siteStamp, storedResponseValue, type StoredResponseHead } from '../model/stored-response'
import { FEED_FORMATS } from '../model/urls'
import { etagOfDigest } from '../worker/http'
import { listFeedRepresentation, type TimedRepresentation } from '../worker/render/list-feed'
import { newsSitemapRepresentation, sitemapPageRepresentation } from '../worker/render/sitemap-responses'
import type { KvEntry } from './desired-state'

/** What pre-rendering needs besides the articles: the worker's settings and render code. */
export interface PrerenderOptions {
  site: SiteConfig
  /** The render stamp of the code the worker runs (src/publish/render-stamp.ts). */
  stamp: string
  sha256: (bytes: Uint8Array) => Uint8Array
}

/**
 * The stored response's value, rendered when first read (a publish hashes every value, and writes
 * only those that changed) and then kept: a render is a millisecond or two, a value 150 KB.
 */
function storedEntry(key: string, render: () => TimedRepresentation, options: PrerenderOptions): KvEntry {
  let value: string | undefined
  return {
    key,
    get value() {
      if (value === undefined) {
        const { body, changesAt, freshFor: _freshFor, status: _status, ...rest } = render()
        const head: StoredResponseHead = {
          site: siteStamp(options.site),
          renderer: options.stamp,
          ...(changesAt === undefined ? {} : { validUntil: changesAt }),
          ...rest,
          etag: etagOfDigest(options.sha256(new TextEncoder().encode(body))),
        }
        value = storedResponseValue(head, body)
      }
      return value
    },
  }
}

/**
 * A list's first page as the worker renders its feeds at `now` from `head`; null for a section,
 * tag or author with nothing live yet (the worker answers 404 for it), or a head laid out at a
 * smaller size than the site's FEED_SIZE, which does not hold the whole page.
 */
function firstFeedPage(list: ListRef, head: ListHead, now: number, feedSize: number) {
  const window = pageWindow(head, 1, feedSize, now)
  if (!window || (list.kind !== 'site' && window.visibleCount === 0)) return null
  if (chunksForWindow(head, window).length > 0) return null
  return { head, window, articles: articlesInWindow(head, window, new Map()) as StoredArticle[] }
}

/** A list's first feed page in every format (none where firstFeedPage has no page). */
export function listFeedEntries(list: ListRef, head: ListHead, now: number, options: PrerenderOptions): KvEntry[] {
  const feedPage = firstFeedPage(list, head, now, options.site.feedSize)
  if (!feedPage) return []
  return FEED_FORMATS.map((format) =>
    storedEntry(feedResponseKey(list, format), () => listFeedRepresentation(options.site, list, format, feedPage, 1, now), options),
  )
}

/** The keys listFeedEntries gives, without rendering. */
export const listFeedKeys = (list: ListRef, head: ListHead, now: number, options: PrerenderOptions): string[] =>
  firstFeedPage(list, head, now, options.site.feedSize) ? FEED_FORMATS.map((format) => feedResponseKey(list, format)) : []

/** Each article sitemap page with a live article, and the news sitemap (from the newest two pages). */
export function sitemapResponseEntries(pages: readonly SitemapEntry[][], now: number, options: PrerenderOptions): KvEntry[] {
  const entries: KvEntry[] = []
  pages.forEach((page, i) => {
    if (page.some((entry) => Date.parse(entry.publishedAt) <= now)) {
      entries.push(storedEntry(sitemapResponseKey(i), () => sitemapPageRepresentation(options.site, page, now)!, options))
    }
  })
  // The worker's getRecentSitemapEntries: the newest two pages.
  const recent = pages.slice(-2).flat()
  entries.push(storedEntry(NEWS_SITEMAP_RESPONSE_KEY, () => newsSitemapRepresentation(options.site, recent, now), options))
  return entries
}
