// Model (shared with the publisher): the names of every KV key. Shared by the worker and the
// publish script, so it imports nothing from the Workers runtime. `v1:` lets a layout roll forward.
import type { FeedFormat } from './urls'

/** Which list of articles: the whole site, one section, one tag, or one author's. */
export type ListRef = { kind: 'site' } | { kind: NamedListKind; name: string }

/** Lists with a name, each with its pages and feeds below `/<kind>s/<name>`. */
export const NAMED_LIST_KINDS = ['section', 'tag', 'author'] as const
export type NamedListKind = (typeof NAMED_LIST_KINDS)[number]
export type NamedList = Extract<ListRef, { name: string }>

export const SITE_LIST: ListRef = { kind: 'site' }

/**
 * The form of a section, tag or author name that identifies it in keys and URLs: NFC and
 * lowercase, so `Iraq` and `iraq` are one tag. Arabic has no case; its letters pass unchanged.
 */
export const foldName = (name: string) => name.normalize('NFC').toLowerCase()

const listName = (list: ListRef) =>
  list.kind === 'site' ? 'site' : `${list.kind}:${foldName(list.name)}`

// The variable part (slug, list name) always ends the key, so no name can imitate another key.
export const articleKey = (slug: string) => `v1:article:${slug}`
export const listHeadKey = (list: ListRef) => `v1:head:${listName(list)}`
export const listChunkKey = (list: ListRef, chunk: number) => `v1:chunk:${chunk}:${listName(list)}`
/** A list's head without the bodies (value: `ListIndex` in list-layout.ts). */
export const listIndexKey = (list: ListRef) => `v1:index:${listName(list)}`

const HEAD_KEY = /^v1:head:(?:(section|tag|author):(.+)|site)$/

/** The list a head key belongs to (names come back folded), or null for any other key. */
export function listOfHeadKey(key: string): ListRef | null {
  const match = HEAD_KEY.exec(key)
  if (!match) return null
  const [, kind, name] = match
  return kind === 'section' || kind === 'tag' || kind === 'author' ? { kind, name: name! } : SITE_LIST
}

/** An article's related articles (value: `RelatedArticle[]`); absent when it has none. */
export const relatedKey = (slug: string) => `v1:related:${slug}`

/** The site's newest articles as teasers, for the latest-news box and the masthead (value: `Latest`). */
export const LATEST_KEY = 'v1:latest'

/** An unpublished article's tombstone: its URL answers 410 Gone (value: `Gone` in article.ts). */
export const goneKey = (slug: string) => `v1:gone:${slug}`
/** An old slug that answers 301 to its article's current one (value: `Redirect` in article.ts). */
export const redirectKey = (slug: string) => `v1:redirect:${slug}`

/** Sitemap data: the index (pages and their lastmod), pages of articles, and the list pages. */
export const SITEMAP_INDEX_KEY = 'v1:sitemap:index'
export const sitemapPageKey = (page: number) => `v1:sitemap:page:${page}`
export const SITEMAP_LISTS_KEY = 'v1:sitemap:lists'

/**
 * Responses the publisher rendered ahead of the request (value: src/model/stored-response.ts):
 * the first page of each list's feed in each format, each article sitemap page, the news sitemap.
 */
export const feedResponseKey = (list: ListRef, format: FeedFormat) => `v1:response:${format}:${listName(list)}`
export const sitemapResponseKey = (page: number) => `v1:response:sitemap:${page}`
export const NEWS_SITEMAP_RESPONSE_KEY = 'v1:response:news-sitemap'

/** What the publish script last wrote: every key with the hash of its value. Never read by the worker. */
export const MANIFEST_KEY = 'v1:manifest'

/** Held by the one publish that may write at a time (see src/publish/publish-lease.ts). Never read by the worker. */
export const LEASE_KEY = 'v1:publish-lease'
