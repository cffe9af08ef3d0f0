// Model (shared with the publisher): how a list of articles (site, section, tag, author) is laid
// out in KV, and which keys a page of it needs. Pure and shared: the publish script builds lists
// with it, the worker pages through them with it.
//
// A list is sorted oldest → newest by publication time and cut into chunks of CHUNK_SIZE teasers
// counted from the oldest, so a new article rewrites only the newest chunk. A head key holds the
// count and the newest articles in full (every scheduled one plus a page more): the first page of
// a feed, the one aggregators poll, costs one KV read; a list's HTML page costs the head (and, past
// the first page, one bulk read of at most two chunks); a feed's later page reads the articles of
// its teasers too. Articles are stored in full once, in their own key, and as teasers in their lists.
// Beside each head, its index holds the same articles without bodies, for the pages that show
// teasers only (the list's HTML pages, its feeds' later pages).
import * as z from 'zod/mini'
import { StoredArticle } from './article'

export const CHUNK_SIZE = 50
/** A page must fit inside two chunks, so no page size may exceed a chunk. */
export const MAX_PAGE_SIZE = CHUNK_SIZE
/** Full articles a head holds besides the scheduled ones when the site's FEED_SIZE is not known. */
export const DEFAULT_HEAD_SIZE = 20

/**
 * An article as a list shows it: all but its body and what only its own page and the feeds use
 * (id, tags, authors) — an eighth of its bytes, so lists no longer repeat whole articles.
 */
export const Teaser = z.omit(StoredArticle, { html: true, id: true, tags: true, authors: true })
export type Teaser = z.output<typeof Teaser>

const NOT_IN_TEASER = new Set(['html', 'id', 'tags', 'authors'])

/**
 * The article's teaser, its fields in the article's order. The body is never read: a CLI publish
 * leaves it on disk until it is written (load-cache.ts), and lists hold every article.
 */
export function teaserOf(article: StoredArticle): Teaser {
  const teaser: Record<string, unknown> = {}
  for (const key of Object.keys(article))
    if (!NOT_IN_TEASER.has(key)) teaser[key] = article[key as keyof StoredArticle]
  return teaser as Teaser
}

export const ListHead = z.strictObject({
  /** The section, tag or author name as editors wrote it (null for the site list). */
  name: z.nullable(z.string()),
  /** Every article in the list, scheduled ones included. */
  count: z.int().check(z.nonnegative()),
  /** Ordinal of the first article in `articles`. */
  start: z.int().check(z.nonnegative()),
  /** Articles `start … count-1` in full, oldest first. */
  articles: z.array(StoredArticle),
})
export type ListHead = z.output<typeof ListHead>

/** An article as a list index holds it: a teaser and its authors (an author page links their site). */
export const IndexTeaser = z.omit(StoredArticle, { html: true, id: true, tags: true })
export type IndexTeaser = z.output<typeof IndexTeaser>

export const indexTeaserOf = (article: StoredArticle): IndexTeaser => ({ ...teaserOf(article), authors: article.authors })

/**
 * A list's index (LIST_INDEX_KEY): its head without the bodies — what the list's HTML pages and
 * its feeds' later pages need of it, in a twelfth of the head's bytes.
 */
export const ListIndex = z.extend(ListHead, {
  /** The head's articles, as index teasers. */
  articles: z.array(IndexTeaser),
})
export type ListIndex = z.output<typeof ListIndex>

export const listIndexOf = (head: ListHead): ListIndex => ({ ...head, articles: head.articles.map(indexTeaserOf) })

/** What paging needs of a head or an index: both hold the same articles, from `start` on. */
export type ListTop<A extends Dated = Dated> = Pick<ListHead, 'name' | 'count' | 'start'> & { articles: readonly A[] }

export const ListChunk = z.array(Teaser)
export type ListChunk = z.output<typeof ListChunk>

/** The site's newest articles (LATEST_KEY): the latest-news box and the masthead's sections. */
export const Latest = z.strictObject({
  /** Oldest first: every scheduled article, and LATEST_SIZE before them. */
  articles: z.array(Teaser),
})
export type Latest = z.output<typeof Latest>
export const LATEST_SIZE = 50

type Dated = Pick<StoredArticle, 'slug' | 'publishedAt'>
/** Each article's instant, parsed once: a sort of 100,000 articles compares them ~3 million times. */
const times = new WeakMap<Dated, number>()
function publishedTime(article: Dated): number {
  let time = times.get(article)
  if (time === undefined) times.set(article, (time = Date.parse(article.publishedAt)))
  return time
}

/** List order: by publication instant, then slug, so equal times still sort the same way. */
export function compareByPublication(a: Dated, b: Dated): number {
  return publishedTime(a) - publishedTime(b) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
}

export const isPublishedAt = (article: Dated, now: number) => publishedTime(article) <= now

/**
 * Where a head starts: `headSize` articles before the first one scheduled after `now`, so the
 * first page of any format (at most `headSize` long) is in it, and every scheduled article is
 * too, for the worker to reveal when its time comes.
 */
export function headStart(sorted: readonly Dated[], now: number, headSize: number): number {
  let firstScheduled = sorted.length
  while (firstScheduled > 0 && !isPublishedAt(sorted[firstScheduled - 1]!, now)) firstScheduled--
  return Math.max(0, firstScheduled - headSize)
}

/** The head and teaser chunks of one list. `sorted` is oldest first. */
export function layOutList(
  name: string | null,
  sorted: readonly StoredArticle[],
  now: number,
  headSize = DEFAULT_HEAD_SIZE,
): { head: ListHead; chunks: ListChunk[] } {
  const chunks: ListChunk[] = []
  for (let from = 0; from < sorted.length; from += CHUNK_SIZE) {
    chunks.push(sorted.slice(from, from + CHUNK_SIZE).map(teaserOf))
  }
  return { head: headOf(name, sorted, now, headSize), chunks }
}

/** A list's head as of `now`: its articles from headStart on, in full (layOutList's head). */
export function headOf(
  name: string | null,
  sorted: readonly StoredArticle[],
  now: number,
  headSize = DEFAULT_HEAD_SIZE,
): ListHead {
  const start = headStart(sorted, now, headSize)
  return { name, count: sorted.length, start, articles: sorted.slice(start) }
}

/**
 * When the next article the head holds goes live (epoch ms), or undefined when none is scheduled:
 * the moment every page and feed of the list changes by itself. Heads are oldest first and hold
 * every scheduled article, so it is the first one after `now`.
 */
export function nextScheduledAt(head: ListTop, now: number): number | undefined {
  for (const article of head.articles) {
    const time = publishedTime(article)
    if (time > now) return time
  }
  return undefined
}

/** Where one page of a list lies, counted in ordinals (oldest = 0). */
export interface PageWindow {
  /** First ordinal on the page (inclusive). */
  from: number
  /** Last ordinal on the page (exclusive); the newest article on the page is `to - 1`. */
  to: number
  /** Articles visible now, i.e. published at or before the request time. */
  visibleCount: number
  /** Pages in the list at this page size (at least 1: an empty list has one empty page). */
  pageCount: number
}

/**
 * The window of page `page` (1 = newest) at `pageSize`, or null when the page is past the end.
 * Scheduled articles still in the future are not visible and take no place.
 */
export function pageWindow(
  head: ListTop,
  page: number,
  pageSize: number,
  now: number,
): PageWindow | null {
  let visibleInHead = 0
  while (visibleInHead < head.articles.length && isPublishedAt(head.articles[visibleInHead]!, now)) {
    visibleInHead++
  }
  const visibleCount = head.start + visibleInHead
  const pageCount = Math.max(1, Math.ceil(visibleCount / pageSize))
  if (page > pageCount) return null
  const to = visibleCount - (page - 1) * pageSize
  return { from: Math.max(0, to - pageSize), to, visibleCount, pageCount }
}

/** Chunk numbers a window needs, or none when the head holds it. At most two. */
export function chunksForWindow(head: ListTop, window: PageWindow): number[] {
  if (window.from >= head.start || window.from === window.to) return []
  const first = Math.floor(window.from / CHUNK_SIZE)
  const last = Math.floor((window.to - 1) / CHUNK_SIZE)
  return first === last ? [first] : [first, last]
}

/**
 * The window's articles, newest first: in full from the head, as teasers from the chunks
 * `chunksForWindow` named (a feed then reads those in full from their own keys).
 */
export function articlesInWindow<A extends Teaser>(
  head: ListTop<A>,
  window: PageWindow,
  chunks: ReadonlyMap<number, ListChunk>,
): (A | Teaser)[] {
  const picked: (A | Teaser)[] = []
  for (let ordinal = window.to - 1; ordinal >= window.from; ordinal--) {
    const article =
      ordinal >= head.start
        ? head.articles[ordinal - head.start]
        : chunks.get(Math.floor(ordinal / CHUNK_SIZE))?.[ordinal % CHUNK_SIZE]
    if (!article) throw new Error(`list ${head.name ?? 'site'}: ordinal ${ordinal} is missing`)
    picked.push(article)
  }
  return picked
}
