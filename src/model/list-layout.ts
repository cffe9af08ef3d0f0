// Model (shared with the publisher): how a list of articles (site, section, tag) is laid out in KV, and
// which keys a page of it needs. Pure and shared: the publish script builds lists with it, the
// worker pages through them with it.
//
// A list is sorted oldest → newest by publication time and cut into chunks of CHUNK_SIZE
// articles counted from the oldest, so a new article rewrites only the newest chunk. A small
// head key holds the count and the newest articles (every scheduled one plus CHUNK_SIZE more):
// the first page, the one aggregators poll, costs one KV read; any other page costs the head
// plus one bulk read of at most two chunks.
import * as z from 'zod/mini'
import { StoredArticle } from './article'

export const CHUNK_SIZE = 50
/** A page must fit inside two chunks, so no page size may exceed a chunk. */
export const MAX_PAGE_SIZE = CHUNK_SIZE

export const ListHead = z.strictObject({
  /** The section or tag name as editors wrote it (null for the site list). */
  name: z.nullable(z.string()),
  /** Every article in the list, scheduled ones included. */
  count: z.int().check(z.nonnegative()),
  /** Ordinal of the first article in `articles`. */
  start: z.int().check(z.nonnegative()),
  /** Articles `start … count-1`, oldest first. */
  articles: z.array(StoredArticle),
})
export type ListHead = z.output<typeof ListHead>

export const ListChunk = z.array(StoredArticle)
export type ListChunk = z.output<typeof ListChunk>

const publishedTime = (article: StoredArticle) => Date.parse(article.publishedAt)

/** List order: by publication instant, then slug, so equal times still sort the same way. */
export function compareByPublication(a: StoredArticle, b: StoredArticle): number {
  return publishedTime(a) - publishedTime(b) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
}

export const isPublishedAt = (article: StoredArticle, now: number) => publishedTime(article) <= now

/**
 * The head and chunks of one list. `sorted` is oldest first; articles scheduled after `now`
 * all stay in the head, so the worker can reveal them when their time comes.
 */
export function layOutList(
  name: string | null,
  sorted: readonly StoredArticle[],
  now: number,
): { head: ListHead; chunks: ListChunk[] } {
  let firstScheduled = sorted.length
  while (firstScheduled > 0 && !isPublishedAt(sorted[firstScheduled - 1]!, now)) firstScheduled--
  const start = Math.max(0, firstScheduled - CHUNK_SIZE)
  const chunks: ListChunk[] = []
  for (let from = 0; from < sorted.length; from += CHUNK_SIZE) {
    chunks.push(sorted.slice(from, from + CHUNK_SIZE))
  }
  return {
    head: { name, count: sorted.length, start, articles: sorted.slice(start) },
    chunks,
  }
}

/**
 * When the next article the head holds goes live (epoch ms), or undefined when none is scheduled:
 * the moment every page and feed of the list changes by itself. Heads are oldest first and hold
 * every scheduled article, so it is the first one after `now`.
 */
export function nextScheduledAt(head: ListHead, now: number): number | undefined {
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
  head: ListHead,
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
export function chunksForWindow(head: ListHead, window: PageWindow): number[] {
  if (window.from >= head.start || window.from === window.to) return []
  const first = Math.floor(window.from / CHUNK_SIZE)
  const last = Math.floor((window.to - 1) / CHUNK_SIZE)
  return first === last ? [first] : [first, last]
}

/** The window's articles, newest first, from the head or from the chunks `chunksForWindow` named. */
export function articlesInWindow(
  head: ListHead,
  window: PageWindow,
  chunks: ReadonlyMap<number, ListChunk>,
): StoredArticle[] {
  const picked: StoredArticle[] = []
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
