// Publish step 8 for a watch session (`npm start`): the desired state remembered between saves, and
// what a change to a few articles changes in it — byte for byte the entries buildState gives for
// those keys, every other key left as the manifest has it. buildState and hashing all of it take
// seconds for 10,000 articles; one saved file here costs the lists it is in and the related links
// of the articles after it in its tags.
import type { StoredArticle } from '../model/article'
import {
  articleKey,
  foldName,
  listChunkKey,
  listHeadKey,
  NEWS_SITEMAP_RESPONSE_KEY,
  relatedKey,
  sitemapPageKey,
  sitemapResponseKey,
  type ListRef,
} from '../model/keys'
import {
  CHUNK_SIZE,
  compareByPublication,
  DEFAULT_HEAD_SIZE,
  layOutList,
  teaserOf,
} from '../model/list-layout'
import {
  articleEntry,
  bestRelated,
  latestEntry,
  listHead,
  listHeadCompanionKeys,
  listHeadEntries,
  listMembers,
  listsOf,
  RELATED_SEARCH_DEPTH,
  serialiseOnce,
  sitemapEntries,
  type DesiredState,
  type KvEntry,
  type StateOptions,
} from './desired-state'

/** A list as last written: which articles each chunk held. */
interface ListMemory {
  list: ListRef
  chunks: string[]
}

export interface StateMemory {
  /** Each article as last written, by slug. */
  articles: Map<string, StoredArticle>
  /**
   * The sitemap keys last written, how many articles were live then, and each page's value
   * (absent: recompute them all).
   */
  sitemaps?: { keys: string[]; published: number; pages: string[] }
  /** Each article's related key as last written (absent: no key). */
  related: Map<string, string>
  /** Every list by its head key. */
  lists: Map<string, ListMemory>
}

/**
 * `articles` in list order (compareByPublication's), each date parsed once rather than at every
 * comparison: for 10,000 articles the difference between a few and a hundred milliseconds.
 */
function byPublication(articles: readonly StoredArticle[]) {
  const dated = articles
    .map((article) => ({ article, time: Date.parse(article.publishedAt) }))
    .sort(
      (a, b) =>
        a.time - b.time ||
        (a.article.slug < b.article.slug ? -1 : a.article.slug > b.article.slug ? 1 : 0),
    )
  return { sorted: dated.map(({ article }) => article), times: dated.map(({ time }) => time) }
}

/** How many of the articles (their times, ascending) are published by `now`. */
function publishedBy(times: readonly number[], now: number): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (times[middle]! <= now) low = middle + 1
    else high = middle
  }
  return low
}

/** What of an article the sitemaps show (sitemap-layout.ts): its entry and its lists. */
const sitemapFacts = (article: StoredArticle) =>
  JSON.stringify([
    article.slug,
    article.title,
    article.language,
    article.publishedAt,
    article.updatedAt,
    article.section,
    article.tags,
    article.authors.map((author) => author.name),
  ])

/** Which articles a chunk holds, in order: same signature and unchanged members, same bytes. */
const signature = (chunk: readonly { slug: string }[]) =>
  chunk.map((article) => article.slug).join('\n')

/** Each folded tag's articles, oldest first (`sorted` is). */
function tagIndex(sorted: readonly StoredArticle[]): Map<string, StoredArticle[]> {
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

/** Where `article` is, or would be, in `members` (oldest first). */
function positionIn(members: readonly StoredArticle[], article: StoredArticle): number {
  let low = 0
  let high = members.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (compareByPublication(members[middle]!, article) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/** An article's related key value (desired-state.ts's rule: its tags' articles before it). */
function relatedValue(article: StoredArticle, byTag: ReadonlyMap<string, StoredArticle[]>) {
  const windows = [...new Set(article.tags.map(foldName))].map((tag) => {
    const members = byTag.get(tag) ?? []
    const at = positionIn(members, article)
    return members.slice(Math.max(0, at - RELATED_SEARCH_DEPTH), at)
  })
  const best = bestRelated(windows)
  return best.length > 0 ? JSON.stringify(best) : undefined
}

/** The memory of the state buildState(articles) gives, as a publish of all of them wrote it. */
export function rememberState(
  articles: readonly StoredArticle[],
  options: StateOptions = {},
): StateMemory {
  const { sorted } = byPublication(articles)
  const byTag = tagIndex(sorted)
  const related = new Map<string, string>()
  for (const article of sorted) {
    const value = relatedValue(article, byTag)
    if (value !== undefined) related.set(article.slug, value)
  }
  const lists = new Map<string, ListMemory>()
  for (const [key, { list, members }] of listMembers(sorted)) {
    const { chunks } = layOutList(null, members, 0, options.headSize ?? DEFAULT_HEAD_SIZE)
    lists.set(key, { list, chunks: chunks.map(signature) })
  }
  return { articles: new Map(sorted.map((article) => [article.slug, article])), related, lists }
}

/** Articles whose value differs from the one remembered (a new object of equal value does not). */
function changedSlugs(memory: StateMemory, sorted: readonly StoredArticle[]): Set<string> {
  const changed = new Set<string>()
  for (const article of sorted) {
    const before = memory.articles.get(article.slug)
    if (before !== article && (!before || JSON.stringify(before) !== JSON.stringify(article)))
      changed.add(article.slug)
  }
  return changed
}

/**
 * Articles whose related links a change can alter: a changed or removed article itself, and in
 * each tag it has or had, the RELATED_SEARCH_DEPTH articles after each of its places — the one it
 * left and the one it took (a new date can move it further than that).
 */
function relatedCandidates(
  memory: StateMemory,
  articles: ReadonlyMap<string, StoredArticle>,
  byTag: ReadonlyMap<string, StoredArticle[]>,
  moved: readonly string[],
): Set<string> {
  const candidates = new Set<string>()
  for (const slug of moved) {
    const versions = [memory.articles.get(slug), articles.get(slug)].filter((v) => v !== undefined)
    if (articles.has(slug)) candidates.add(slug)
    for (const tag of new Set(versions.flatMap((version) => version.tags.map(foldName)))) {
      const members = byTag.get(tag) ?? []
      for (const version of versions) {
        const from = positionIn(members, version)
        for (const member of members.slice(from, from + RELATED_SEARCH_DEPTH + 1))
          candidates.add(member.slug)
      }
    }
  }
  return candidates
}

export interface StateChange {
  /** The entries the change touches, in buildState's groups. */
  desired: DesiredState
  /** Keys of the new state whose values stay as they are. */
  unchangedKeys: string[]
  /** The memory after the change, for the next one once this one is written. */
  memory: StateMemory
}

/**
 * Of a new set of sitemap entries, the keys that stay as they were: each page with the bytes it
 * had before (`previous`, from a time that passed no scheduled article since) and its stored
 * response, and the news sitemap when the newest two pages stay. A new title rewrites one page.
 */
function unchangedSitemaps(entries: readonly KvEntry[], previous: readonly string[]) {
  // Keys only: a stored response's value is rendered when read.
  const byKey = new Map(entries.map((entry) => [entry.key, entry]))
  const pages: string[] = []
  for (let i = 0; byKey.has(sitemapPageKey(i)); i++) pages.push(byKey.get(sitemapPageKey(i))!.value)
  const same = (i: number) => previous[i] === pages[i]
  const unchanged = new Set<string>()
  pages.forEach((_, i) => {
    if (same(i)) unchanged.add(sitemapPageKey(i)).add(sitemapResponseKey(i))
  })
  if (pages.length === previous.length && same(pages.length - 1) && same(pages.length - 2))
    unchanged.add(NEWS_SITEMAP_RESPONSE_KEY)
  return { pages, unchanged }
}

/** What publishing `articles` at `now` changes in the state `memory` remembers. */
export function changedState(
  memory: StateMemory,
  articles: readonly StoredArticle[],
  now: number,
  options: StateOptions = {},
): StateChange {
  const { sorted, times } = byPublication(articles)
  const bySlug = new Map(sorted.map((article) => [article.slug, article]))
  const changed = changedSlugs(memory, sorted)
  const removed = [...memory.articles.keys()].filter((slug) => !bySlug.has(slug))
  const moved = [...changed, ...removed]
  const desired: DesiredState = {
    articles: [...changed].map((slug) => articleEntry(bySlug.get(slug)!)),
    chunks: [],
    heads: [],
  }
  const unchangedKeys = sorted.flatMap(({ slug }) => (changed.has(slug) ? [] : [articleKey(slug)]))

  const byTag = tagIndex(sorted)
  const candidates = relatedCandidates(memory, bySlug, byTag, moved)
  const related = new Map(memory.related)
  for (const slug of removed) related.delete(slug)
  for (const slug of candidates) {
    const value = relatedValue(bySlug.get(slug)!, byTag)
    if (value === undefined) related.delete(slug)
    else related.set(slug, value)
    if (value !== undefined && value !== memory.related.get(slug))
      desired.chunks.push({ key: relatedKey(slug), value })
  }
  for (const [slug, value] of related) {
    if (!candidates.has(slug) || value === memory.related.get(slug))
      unchangedKeys.push(relatedKey(slug))
  }

  const touched = new Set<string>()
  for (const slug of moved) {
    for (const version of [memory.articles.get(slug), bySlug.get(slug)])
      for (const list of version ? listsOf(version) : []) touched.add(listHeadKey(list))
  }
  const json = serialiseOnce()
  const lists = listMembers(sorted)
  const listMemory = new Map<string, ListMemory>()
  for (const [headKey, { list, members }] of lists) {
    const previous = memory.lists.get(headKey)
    if (previous && !touched.has(headKey)) {
      listMemory.set(headKey, previous)
      unchangedKeys.push(headKey, ...previous.chunks.map((_, i) => listChunkKey(list, i)), ...listHeadCompanionKeys(list, members, now, options))
      continue
    }
    // layOutList's layout, teasers made only for the chunks that are written (a site list's
    // 200 chunks need one or two).
    const head = listHead(list, members, now, options)
    const signatures: string[] = []
    for (let from = 0, i = 0; from < members.length; from += CHUNK_SIZE, i++) {
      const chunk = members.slice(from, from + CHUNK_SIZE)
      const key = listChunkKey(list, i)
      signatures.push(signature(chunk))
      if (previous?.chunks[i] === signatures[i] && !chunk.some((a) => changed.has(a.slug)))
        unchangedKeys.push(key)
      else desired.chunks.push({ key, value: JSON.stringify(chunk.map(teaserOf)) })
    }
    desired.heads.push(...listHeadEntries(list, head, json, now, options))
    listMemory.set(headKey, { list, chunks: signatures })
  }
  desired.heads.push(latestEntry(sorted, now))
  // The sitemaps change with what they show of the articles, and with the time only when it
  // passes a scheduled article's: otherwise they stay as they were (a body edit, say).
  const published = publishedBy(times, now)
  const sameSitemaps =
    memory.sitemaps?.published === published &&
    bySlug.size === memory.articles.size &&
    [...changed].every((slug) => {
      const before = memory.articles.get(slug)
      return before !== undefined && sitemapFacts(before) === sitemapFacts(bySlug.get(slug)!)
    })
  let sitemaps = memory.sitemaps
  if (sameSitemaps) unchangedKeys.push(...memory.sitemaps!.keys)
  else {
    const entries = sitemapEntries(sorted, [...lists.values()], now, options)
    const samePublished = memory.sitemaps?.published === published
    const { pages, unchanged } = unchangedSitemaps(entries, samePublished ? memory.sitemaps!.pages : [])
    for (const entry of entries)
      if (unchanged.has(entry.key)) unchangedKeys.push(entry.key)
      else desired.heads.push(entry)
    sitemaps = { keys: entries.map((entry) => entry.key), published, pages }
  }
  return {
    desired,
    unchangedKeys,
    memory: { articles: bySlug, sitemaps, related, lists: listMemory },
  }
}
