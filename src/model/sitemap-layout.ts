// Model (shared with the publisher): how sitemap data is laid out in KV. Pure and shared: the publish
// script builds it, the worker renders /sitemap.xml, its pages and /news-sitemap.xml from it.
//
// Articles are cut into pages of SITEMAP_PAGE_SIZE counted from the oldest (like list chunks), so
// a new article rewrites only the newest page and the index. Every sitemap request reads one key;
// the news sitemap reads the index and the newest two pages in one bulk read.
import * as z from 'zod/mini'
import { lastModified, type StoredArticle } from './article'
import { newestDate } from './dates'
import { NAMED_LIST_KINDS, type NamedList } from './keys'

/** URLs per sitemap page: far under the protocol's 50,000, so a page parses in about a millisecond. */
export const SITEMAP_PAGE_SIZE = 1000

export const SitemapEntry = z.strictObject({
  slug: z.string().check(z.minLength(1)),
  title: z.string(),
  language: z.string(),
  publishedAt: z.string(),
  lastModified: z.string(),
})
export type SitemapEntry = z.output<typeof SitemapEntry>

export const SitemapPage = z.array(SitemapEntry)

export const SitemapIndex = z.strictObject({
  /** One per page, oldest page first: the newest change among its already-published articles. */
  pages: z.array(z.strictObject({ lastModified: z.nullable(z.string()) })),
})
export type SitemapIndex = z.output<typeof SitemapIndex>

export const SitemapLists = z.array(
  z.strictObject({
    kind: z.enum(NAMED_LIST_KINDS),
    name: z.string(),
    lastModified: z.string(),
  }),
)
export type SitemapLists = z.output<typeof SitemapLists>


/**
 * The sitemap index, its pages and the list sitemap for articles sorted oldest first.
 * `now` is the publish time: scheduled articles are in the pages (the worker reveals them at
 * their time) but do not count towards a page's lastmod until a later publish.
 */
export function layOutSitemaps(
  sorted: readonly StoredArticle[],
  lists: readonly { list: NamedList; members: readonly StoredArticle[] }[],
  now: number,
): { index: SitemapIndex; pages: SitemapEntry[][]; lists: SitemapLists } {
  const pages: SitemapEntry[][] = []
  for (let from = 0; from < sorted.length; from += SITEMAP_PAGE_SIZE) {
    pages.push(
      sorted.slice(from, from + SITEMAP_PAGE_SIZE).map((article) => ({
        slug: article.slug,
        title: article.title,
        language: article.language,
        publishedAt: article.publishedAt,
        lastModified: lastModified(article),
      })),
    )
  }
  const published = (entry: { publishedAt: string }) => Date.parse(entry.publishedAt) <= now
  return {
    index: {
      pages: pages.map((page) => ({
        lastModified: newestDate(page.filter(published).map((entry) => entry.lastModified)) ?? null,
      })),
    },
    pages,
    lists: lists.flatMap(({ list, members }) => {
      const changed = newestDate(members.filter(published).map(lastModified))
      return changed ? [{ kind: list.kind, name: list.name, lastModified: changed }] : []
    }),
  }
}
