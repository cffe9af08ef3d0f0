// Model (shared with the publisher): how sitemap data is laid out in KV. Pure and shared: the publish
// script builds it, the worker renders /sitemap.xml, its pages and /news-sitemap.xml from it.
//
// Articles are cut into pages of SITEMAP_PAGE_SIZE counted from the oldest (like list chunks), so
// a new article rewrites only the newest page and the index. Every sitemap request reads one key;
// the news sitemap reads the index and the newest two pages in one bulk read.
import * as z from 'zod/mini'
import { lastModified, type StoredArticle } from './article'
import { newestDate, nextPublication } from './dates'
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

/**
 * How a set of articles changes over time, as far as a sitemap tells: the newest change among
 * those published when the publish ran, and the ones scheduled then (with their dates), which the
 * worker counts from their time on. So nothing about an embargoed article shows early — not a
 * list's existence, not a lastmod, not a sitemap page — and everything shows at its time without
 * another publish.
 */
const Changes = {
  lastModified: z.nullable(z.string()),
  scheduled: z._default(z.array(z.strictObject({ publishedAt: z.string(), lastModified: z.string() })), []),
}
export interface Changes {
  lastModified: string | null
  scheduled: { publishedAt: string; lastModified: string }[]
}

export const SitemapIndex = z.strictObject({
  /** One per page, oldest page first. */
  pages: z.array(z.strictObject(Changes)),
})
export type SitemapIndex = z.output<typeof SitemapIndex>

/** Every section, tag and author list, with its changes. */
export const SitemapLists = z.array(
  z.strictObject({
    kind: z.enum(NAMED_LIST_KINDS),
    name: z.string(),
    ...Changes,
  }),
)
export type SitemapLists = z.output<typeof SitemapLists>

const isPublishedBy = (now: number) => (entry: { publishedAt: string }) => Date.parse(entry.publishedAt) <= now

/** The newest change visible at `now`, or undefined while none of the articles is live. */
export const visibleLastModified = (changes: Changes, now: number): string | undefined =>
  newestDate([changes.lastModified, ...changes.scheduled.filter(isPublishedBy(now)).map((each) => each.lastModified)])

/** When `changes` next changes by itself: the earliest scheduled article still ahead of `now`. */
export const nextReveal = (changes: Changes, now: number) => nextPublication(changes.scheduled, now)

/** An article's dates as the sitemaps compare them, parsed once per layout. */
interface Dated {
  publishedAt: string
  lastModified: string
  published: boolean
  modifiedTime: number
}

/**
 * The changes of `members` as of the publish time their `published` was found at: newestDate's
 * answer (the first of the latest), without parsing each date once per list it is in.
 */
function changesOf(members: readonly Dated[]): Changes {
  let newest: string | null = null
  let newestTime = -Infinity
  const scheduled: Changes['scheduled'] = []
  for (const each of members) {
    if (!each.published)
      scheduled.push({ publishedAt: each.publishedAt, lastModified: each.lastModified })
    else if (each.modifiedTime > newestTime) {
      newest = each.lastModified
      newestTime = each.modifiedTime
    }
  }
  return { lastModified: newest, scheduled }
}

/**
 * The sitemap index, its pages and the list sitemap for articles sorted oldest first, as of the
 * publish time `now`: scheduled articles are in the pages, and their dates in the index and the
 * lists, for the worker to reveal at their time.
 */
export function layOutSitemaps(
  sorted: readonly StoredArticle[],
  lists: readonly { list: NamedList; members: readonly StoredArticle[] }[],
  now: number,
): { index: SitemapIndex; pages: SitemapEntry[][]; lists: SitemapLists } {
  const dates = new Map<StoredArticle, Dated>()
  const datedOf = (article: StoredArticle): Dated => {
    let dated = dates.get(article)
    if (!dated) {
      const modified = lastModified(article)
      const publishedAt = article.publishedAt
      const published = Date.parse(publishedAt) <= now
      dated = { publishedAt, lastModified: modified, published, modifiedTime: Date.parse(modified) }
      dates.set(article, dated)
    }
    return dated
  }
  const pages: SitemapEntry[][] = []
  const index: SitemapIndex = { pages: [] }
  for (let from = 0; from < sorted.length; from += SITEMAP_PAGE_SIZE) {
    const articles = sorted.slice(from, from + SITEMAP_PAGE_SIZE)
    pages.push(
      articles.map((article) => ({
        slug: article.slug,
        title: article.title,
        language: article.language,
        publishedAt: article.publishedAt,
        lastModified: datedOf(article).lastModified,
      })),
    )
    index.pages.push(changesOf(articles.map(datedOf)))
  }
  return {
    index,
    pages,
    lists: lists.map(({ list, members }) => ({
      kind: list.kind,
      name: list.name,
      ...changesOf(members.map(datedOf)),
    })),
  }
}

/** The lists that exist for readers at `now` (one live article at least), with their lastmod. */
export function visibleLists(lists: SitemapLists, now: number) {
  return lists.flatMap(({ kind, name, ...changes }) => {
    const changed = visibleLastModified(changes, now)
    return changed ? [{ kind, name, lastModified: changed }] : []
  })
}

/** When any of `changes` next changes by itself. */
export const nextRevealOf = (changes: readonly Changes[], now: number) =>
  nextPublication(changes.flatMap((each) => each.scheduled), now)
