// Publish step 8, the pure core: articles → the desired KV state, every entry the worker reads
// (publish-plan.ts then takes KV from what the manifest says it holds to that state). No I/O, no
// Node APIs: the test harness seeds KV through these same functions, inside workerd too.
import type { RelatedArticle, StoredArticle } from '../model/article'
import {
  articleKey,
  foldName,
  LATEST_KEY,
  listChunkKey,
  listHeadKey,
  listIndexKey,
  relatedKey,
  SITE_LIST,
} from '../model/keys'
import type { ListRef } from '../model/keys'
import { SITEMAP_INDEX_KEY, SITEMAP_LISTS_KEY, sitemapPageKey } from '../model/keys'
import {
  compareByPublication,
  DEFAULT_HEAD_SIZE,
  headOf,
  headStart,
  LATEST_SIZE,
  layOutList,
  listIndexOf,
  teaserOf,
  type Latest,
  type ListHead,
} from '../model/list-layout'
import { layOutSitemaps } from '../model/sitemap-layout'
import { listFeedEntries, listFeedKeys, sitemapResponseEntries, type PrerenderOptions } from './prerender'

export interface KvEntry {
  key: string
  value: string
}

/**
 * Every key the articles need, grouped in the order they must be written: articles; then what
 * names them (related keys, list chunks); then heads, the latest list, sitemaps.
 */
export interface DesiredState {
  articles: KvEntry[]
  chunks: KvEntry[]
  heads: KvEntry[]
}

/** The lists an article belongs to: the site, its section, each tag, each author. */
export function listsOf(article: StoredArticle): ListRef[] {
  const lists: ListRef[] = [SITE_LIST]
  if (article.section) lists.push({ kind: 'section', name: article.section })
  for (const tag of article.tags) lists.push({ kind: 'tag', name: tag })
  for (const author of article.authors) lists.push({ kind: 'author', name: author.name })
  return lists
}

/** How many related articles an article page links, and how far back each tag is searched. */
const RELATED_COUNT = 4
export const RELATED_SEARCH_DEPTH = 50

/**
 * The related articles among `windows` — for each of an article's tags, the articles of that tag
 * published before it it may link (RELATED_SEARCH_DEPTH at most): those sharing the most tags,
 * newest first among equals.
 */
export function bestRelated(windows: readonly (readonly StoredArticle[])[]): RelatedArticle[] {
  const scores = new Map<StoredArticle, number>()
  for (const window of windows) {
    for (const other of window) scores.set(other, (scores.get(other) ?? 0) + 1)
  }
  return [...scores]
    .sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || compareByPublication(b, a))
    .slice(0, RELATED_COUNT)
    .map(([other]) => ({ slug: other.slug, title: other.title, language: other.language, publishedAt: other.publishedAt }))
}

/**
 * Each article's related ones: among the RELATED_SEARCH_DEPTH articles published before it in
 * each of its tags, those sharing the most tags, newest first among equals. Looking back only, an
 * article's related set changes with the articles before it — never because a newer one arrived —
 * so a new article rewrites no other article's related key. `sorted` is oldest first; linear work.
 */
function relatedOf(sorted: readonly StoredArticle[]): Map<StoredArticle, RelatedArticle[]> {
  const byTag = new Map<string, StoredArticle[]>()
  const related = new Map<StoredArticle, RelatedArticle[]>()
  for (const article of sorted) {
    const tags = new Set(article.tags.map(foldName))
    const best = bestRelated([...tags].map((tag) => (byTag.get(tag) ?? []).slice(-RELATED_SEARCH_DEPTH)))
    if (best.length > 0) related.set(article, best)
    for (const tag of tags) {
      let members = byTag.get(tag)
      if (!members) byTag.set(tag, (members = []))
      members.push(article)
    }
  }
  return related
}

export interface StateOptions {
  /** Full articles a list head holds before its scheduled ones: the site's FEED_SIZE. */
  headSize?: number
  /**
   * Render each list's first feed page, the article sitemap pages and the news sitemap as the
   * worker with these settings would (prerender.ts). Without it, the worker renders them.
   */
  prerender?: PrerenderOptions | undefined
}

/** Every list of `sorted` (oldest first) with its members in order, the site list always. */
export function listMembers(
  sorted: readonly StoredArticle[],
): Map<string, { list: ListRef; members: StoredArticle[] }> {
  const lists = new Map<string, { list: ListRef; members: StoredArticle[] }>([
    [listHeadKey(SITE_LIST), { list: SITE_LIST, members: [] }],
  ])
  for (const article of sorted) {
    for (const list of listsOf(article)) {
      const key = listHeadKey(list)
      let entry = lists.get(key)
      if (!entry) {
        entry = { list, members: [] }
        lists.set(key, entry)
      }
      // Tags are folded for keys (`Iraq` ≡ `iraq`); a tag appears in a list once per article.
      if (entry.members.at(-1) !== article) entry.members.push(article)
    }
  }
  return lists
}

/** A list head's value: the articles in it in full, `json` serialising each (once) spliced in. */
export function headValue(head: ListHead, json: (article: StoredArticle) => string): string {
  // `"articles":[]` occurs once: quotes inside string values are escaped, so no name can imitate it.
  const headJson = JSON.stringify({ ...head, articles: [] })
  return headJson.replace('"articles":[]', () => `"articles":[${head.articles.map(json).join(',')}]`)
}

/**
 * A list head's entry, its index (the head without bodies) and, with `options.prerender`, its
 * first feed page in each format: written together, so none is older than the head.
 */
export function listHeadEntries(
  list: ListRef,
  head: ListHead,
  json: (article: StoredArticle) => string,
  now: number,
  options: StateOptions,
): KvEntry[] {
  const entries = [
    { key: listHeadKey(list), value: headValue(head, json) },
    serialisedEntry(listIndexKey(list), listIndexOf(head)),
  ]
  return options.prerender ? [...entries, ...listFeedEntries(list, head, now, options.prerender)] : entries
}

/**
 * The keys listHeadEntries writes for a list besides its head, as of `now`: for a list whose head
 * a change leaves as it was, so they are kept too.
 */
export function listHeadCompanionKeys(
  list: ListRef,
  members: readonly StoredArticle[],
  now: number,
  options: StateOptions,
): string[] {
  if (!options.prerender) return [listIndexKey(list)]
  return [listIndexKey(list), ...listFeedKeys(list, listHead(list, members, now, options), now, options.prerender)]
}

/** A list's head as of `now`, at the state's head size. */
export const listHead = (
  list: ListRef,
  members: readonly StoredArticle[],
  now: number,
  options: StateOptions,
): ListHead => headOf(list.kind === 'site' ? null : list.name, members, now, options.headSize)

/**
 * Each article serialised once however many heads it is in: their texts are spliced into the
 * heads (headValue). Only head members are kept serialised, for one build.
 */
export function serialiseOnce(): (article: StoredArticle) => string {
  const serialised = new Map<StoredArticle, string>()
  return (article) => {
    let text = serialised.get(article)
    if (text === undefined) serialised.set(article, (text = JSON.stringify(article)))
    return text
  }
}

/**
 * An entry whose value is `data` serialised whenever it is read rather than held: a publish of
 * 100,000 articles hashes each value once and writes only the changed ones, and keeps no second
 * copy of every body, title and teaser beside the articles (the objects share their strings).
 */
export function serialisedEntry(key: string, data: unknown): KvEntry {
  return {
    key,
    get value() {
      return JSON.stringify(data)
    },
  }
}

/** An article's own key and value. */
export const articleEntry = (article: StoredArticle): KvEntry =>
  serialisedEntry(articleKey(article.slug), article)

/** The latest list (LATEST_KEY) of `sorted`, oldest first. */
export function latestEntry(sorted: readonly StoredArticle[], now: number): KvEntry {
  const latest: Latest = { articles: sorted.slice(headStart(sorted, now, LATEST_SIZE)).map(teaserOf) }
  return { key: LATEST_KEY, value: JSON.stringify(latest) }
}

/**
 * The whole KV state for a set of articles at time `now` (which decides only which scheduled
 * articles the list heads must hold).
 */
export function buildState(articles: readonly StoredArticle[], now: number, options: StateOptions = {}): DesiredState {
  const headSize = options.headSize ?? DEFAULT_HEAD_SIZE
  const sorted = [...articles].sort(compareByPublication)
  const lists = listMembers(sorted)

  // An article's own value is made each time it is read (articleEntry).
  const json = serialiseOnce()
  const state: DesiredState = { articles: sorted.map(articleEntry), chunks: [], heads: [] }
  for (const [article, related] of relatedOf(sorted)) {
    state.chunks.push(serialisedEntry(relatedKey(article.slug), related))
  }
  for (const { list, members } of lists.values()) {
    const name = list.kind === 'site' ? null : list.name
    const { head, chunks } = layOutList(name, members, now, headSize)
    chunks.forEach((chunk, i) =>
      state.chunks.push(serialisedEntry(listChunkKey(list, i), chunk)),
    )
    state.heads.push(...listHeadEntries(list, head, json, now, options))
  }
  state.heads.push(latestEntry(sorted, now))
  state.heads.push(...sitemapEntries(sorted, [...lists.values()], now, options))
  return state
}

/**
 * Sitemap keys, and with `options.prerender` the sitemaps rendered from them: written with the list
 * heads, after the articles they name.
 */
export function sitemapEntries(
  sorted: readonly StoredArticle[],
  lists: readonly { list: ListRef; members: readonly StoredArticle[] }[],
  now: number,
  options: StateOptions = {},
): KvEntry[] {
  const named = lists.flatMap(({ list, members }) =>
    list.kind === 'site' ? [] : [{ list, members }],
  )
  const sitemaps = layOutSitemaps(sorted, named, now)
  return [
    ...sitemaps.pages.map((page, i) => ({ key: sitemapPageKey(i), value: JSON.stringify(page) })),
    { key: SITEMAP_LISTS_KEY, value: JSON.stringify(sitemaps.lists) },
    { key: SITEMAP_INDEX_KEY, value: JSON.stringify(sitemaps.index) },
    ...(options.prerender ? sitemapResponseEntries(sitemaps.pages, now, options.prerender) : []),
  ]
}
