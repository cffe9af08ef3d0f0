// Publish step 8, the pure core: articles → the desired KV state, every entry the worker reads
// (publish-plan.ts then takes KV from what the manifest says it holds to that state). No I/O, no
// Node APIs: the test harness seeds KV through these same functions, inside workerd too.
import type { RelatedArticle, StoredArticle } from '../model/article'
import { articleKey, foldName, listChunkKey, listHeadKey, SITE_LIST } from '../model/keys'
import type { ListRef } from '../model/keys'
import { SITEMAP_INDEX_KEY, SITEMAP_LISTS_KEY, sitemapPageKey } from '../model/keys'
import { compareByPublication, layOutList, type ListHead } from '../model/list-layout'
import { layOutSitemaps } from '../model/sitemap-layout'

export interface KvEntry {
  key: string
  value: string
}

/** Every key the articles need, grouped in the order they must be written. */
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
const RELATED_SEARCH_DEPTH = 50

/** Each folded tag's articles, oldest first (`sorted` is). */
export function tagIndex(sorted: readonly StoredArticle[]): Map<string, StoredArticle[]> {
  const byTag = new Map<string, StoredArticle[]>()
  for (const article of sorted) {
    for (const tag of new Set(article.tags.map(foldName))) {
      let members = byTag.get(tag)
      if (!members) byTag.set(tag, (members = []))
      members.push(article)
    }
  }
  return byTag
}

/**
 * An article's related ones: those sharing the most tags, newest first among equals. Only the
 * newest RELATED_SEARCH_DEPTH articles of a tag are candidates, so the work stays linear in the
 * number of articles.
 */
export function relatedOf(
  article: StoredArticle,
  byTag: ReadonlyMap<string, readonly StoredArticle[]>,
): RelatedArticle[] {
  const scores = new Map<StoredArticle, number>()
  for (const tag of new Set(article.tags.map(foldName))) {
    for (const other of byTag.get(tag)!.slice(-RELATED_SEARCH_DEPTH)) {
      if (other !== article) scores.set(other, (scores.get(other) ?? 0) + 1)
    }
  }
  return [...scores]
    .sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || compareByPublication(b, a))
    .slice(0, RELATED_COUNT)
    .map(([other]) => ({
      slug: other.slug,
      title: other.title,
      language: other.language,
      publishedAt: other.publishedAt,
    }))
}

/** Each article with its related ones; `sorted` is oldest first. */
function withRelated(sorted: readonly StoredArticle[]): StoredArticle[] {
  const byTag = tagIndex(sorted)
  return sorted.map((article) => ({ ...article, related: relatedOf(article, byTag) }))
}

/** A list chunk's value: its articles' JSON (`json` serialises each once) spliced into an array. */
export const chunkValue = (
  members: readonly StoredArticle[],
  json: (article: StoredArticle) => string,
) => `[${members.map(json).join(',')}]`

/** A list head's value, its articles spliced in the same way. */
export function headValue(head: ListHead, json: (article: StoredArticle) => string): string {
  // `"articles":[]` occurs once: quotes inside string values are escaped, so no name can imitate it.
  const headJson = JSON.stringify({ ...head, articles: [] })
  return headJson.replace('"articles":[]', () => `"articles":${chunkValue(head.articles, json)}`)
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

/**
 * The whole KV state for a set of articles at time `now` (which decides only which scheduled
 * articles the list heads must hold).
 */
export function buildState(articles: readonly StoredArticle[], now: number): DesiredState {
  const sorted = withRelated([...articles].sort(compareByPublication))
  const lists = listMembers(sorted)

  // Each article is in several lists: serialise it once and splice that text into every list.
  const serialised = new Map(sorted.map((article) => [article, JSON.stringify(article)]))
  const json = (article: StoredArticle) => serialised.get(article)!
  const state: DesiredState = {
    articles: sorted.map((article) => ({ key: articleKey(article.slug), value: json(article) })),
    chunks: [],
    heads: [],
  }
  for (const [headKey, { list, members }] of lists) {
    const { head, chunks } = layOutList(list.kind === 'site' ? null : list.name, members, now)
    chunks.forEach((chunk, i) =>
      state.chunks.push({ key: listChunkKey(list, i), value: chunkValue(chunk, json) }),
    )
    state.heads.push({ key: headKey, value: headValue(head, json) })
  }
  state.heads.push(...sitemapEntries(sorted, [...lists.values()], now))
  return state
}

/** Sitemap keys: written with the list heads, after the articles they name. */
export function sitemapEntries(
  sorted: readonly StoredArticle[],
  lists: readonly { list: ListRef; members: readonly StoredArticle[] }[],
  now: number,
): KvEntry[] {
  const named = lists.flatMap(({ list, members }) =>
    list.kind === 'site' ? [] : [{ list, members }],
  )
  const sitemaps = layOutSitemaps(sorted, named, now)
  return [
    ...sitemaps.pages.map((page, i) => ({ key: sitemapPageKey(i), value: JSON.stringify(page) })),
    { key: SITEMAP_LISTS_KEY, value: JSON.stringify(sitemaps.lists) },
    { key: SITEMAP_INDEX_KEY, value: JSON.stringify(sitemaps.index) },
  ]
}
