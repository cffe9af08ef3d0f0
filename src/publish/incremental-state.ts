// Publish step 8 when the last publish is remembered (a watch session's saves, the CLI's runs,
// state-memory.ts): what a change to a few articles changes in the state KV holds — byte for byte
// the entries buildState gives for those keys, every other key left as the manifest has it.
// buildState and hashing all of it take seconds for 100,000 articles; one changed file here costs
// the lists it is in and the related links of the articles after it in its tags. What KV holds is
// the manifest's record (each key's value hash); the memory adds only what that record cannot say
// (which articles each list chunk holds) and is plain data, so it can wait on disk between runs.
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
export interface ListMemory {
  list: ListRef
  chunks: string[]
}

/** What the last publish leaves to remember beside the manifest. */
export interface StateMemory {
  /** Its publish time: a scheduled article that went live since changes its lists' heads. */
  at: number
  /** The sitemap keys it wrote and how many articles were live then (absent: lay them all out). */
  sitemaps?: { keys: string[]; published: number }
  /** Every list by its head key. */
  lists: Map<string, ListMemory>
}

/** What KV holds, which a change is measured against. */
export interface StoredState {
  /** Each key's value hash (the manifest's keys). */
  hashes: Readonly<Record<string, string>>
  /** A value's hash as the manifest records it. */
  hash: (value: string) => string
  /** The hash of an article's value (known from its load, or its JSON's). */
  articleHash: (article: StoredArticle) => string
  /** The articles as stored, at least those storedChanges names (an edit's old version). */
  previous: ReadonlyMap<string, StoredArticle>
  /** storedChanges of the articles, when the caller has it already. */
  changes?: ReturnType<typeof storedChanges>
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

/** The memory of the state buildState(articles, now) gives, as a publish of all of them wrote it. */
export function rememberState(articles: readonly StoredArticle[], now: number): StateMemory {
  const { sorted } = byPublication(articles)
  const lists = new Map<string, ListMemory>()
  for (const [key, { list, members }] of listMembers(sorted)) {
    const chunks: string[] = []
    for (let from = 0; from < members.length; from += CHUNK_SIZE)
      chunks.push(signature(members.slice(from, from + CHUNK_SIZE)))
    lists.set(key, { list, chunks })
  }
  return { at: now, lists }
}

const ARTICLE_PREFIX = articleKey('')

/**
 * The articles whose value differs from what KV holds (new ones included), and the slugs KV holds
 * an article for that `articles` lacks.
 */
export function storedChanges(
  stored: Pick<StoredState, 'hashes' | 'articleHash'>,
  articles: readonly StoredArticle[],
): { changed: Set<string>; removed: string[] } {
  const changed = new Set<string>()
  const present = new Set<string>()
  for (const article of articles) {
    present.add(article.slug)
    if (stored.hashes[articleKey(article.slug)] !== stored.articleHash(article))
      changed.add(article.slug)
  }
  const removed: string[] = []
  for (const key in stored.hashes) {
    if (!key.startsWith(ARTICLE_PREFIX)) continue
    const slug = key.slice(ARTICLE_PREFIX.length)
    if (!present.has(slug)) removed.push(slug)
  }
  return { changed, removed }
}

/**
 * Articles whose related links a change can alter: a changed or removed article itself, and in
 * each tag it has or had, the RELATED_SEARCH_DEPTH articles after each of its places — the one it
 * left and the one it took (a new date can move it further than that).
 */
function relatedCandidates(
  previous: ReadonlyMap<string, StoredArticle>,
  articles: ReadonlyMap<string, StoredArticle>,
  byTag: ReadonlyMap<string, StoredArticle[]>,
  moved: readonly string[],
): Set<string> {
  const candidates = new Set<string>()
  for (const slug of moved) {
    const versions = [previous.get(slug), articles.get(slug)].filter((v) => v !== undefined)
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
 * Of a new set of sitemap entries, the keys that stay as they were: each page with the bytes KV
 * holds (`previousKeys` are the keys written at a time that passed no scheduled article since) and
 * its stored response, and the news sitemap when the newest two pages stay. A new title rewrites
 * one page.
 */
function unchangedSitemaps(
  entries: readonly KvEntry[],
  stored: StoredState,
  previousKeys: ReadonlySet<string>,
): Set<string> {
  // Keys only: a stored response's value is rendered when read.
  const byKey = new Map(entries.map((entry) => [entry.key, entry]))
  let pages = 0
  while (byKey.has(sitemapPageKey(pages))) pages++
  let previousPages = 0
  while (previousKeys.has(sitemapPageKey(previousPages))) previousPages++
  const same = (i: number) =>
    i < previousPages && stored.hashes[sitemapPageKey(i)] === stored.hash(byKey.get(sitemapPageKey(i))!.value)
  const unchanged = new Set<string>()
  for (let i = 0; i < pages; i++)
    if (same(i)) unchanged.add(sitemapPageKey(i)).add(sitemapResponseKey(i))
  if (pages === previousPages && same(pages - 1) && same(pages - 2))
    unchanged.add(NEWS_SITEMAP_RESPONSE_KEY)
  return unchanged
}

/**
 * What publishing `articles` at `now` changes in the state KV holds (`stored`), which the publish
 * that left it remembered as `memory`.
 */
export function changedState(
  memory: StateMemory,
  stored: StoredState,
  articles: readonly StoredArticle[],
  now: number,
  options: StateOptions = {},
): StateChange {
  const { sorted, times } = byPublication(articles)
  const bySlug = new Map(sorted.map((article) => [article.slug, article]))
  const { changed, removed } = stored.changes ?? storedChanges(stored, sorted)
  const moved = [...changed, ...removed]
  const { previous } = stored
  const desired: DesiredState = {
    articles: [...changed].map((slug) => articleEntry(bySlug.get(slug)!)),
    chunks: [],
    heads: [],
  }
  const unchangedKeys = sorted.flatMap(({ slug }) => (changed.has(slug) ? [] : [articleKey(slug)]))

  const byTag = tagIndex(sorted)
  const candidates = relatedCandidates(previous, bySlug, byTag, moved)
  for (const { slug } of sorted) {
    const key = relatedKey(slug)
    if (!candidates.has(slug)) {
      if (key in stored.hashes) unchangedKeys.push(key)
      continue
    }
    // No value: no key (KV's, if any, is stale).
    const value = relatedValue(bySlug.get(slug)!, byTag)
    if (value === undefined) continue
    if (stored.hash(value) === stored.hashes[key]) unchangedKeys.push(key)
    else desired.chunks.push({ key, value })
  }

  // The lists of a changed or gone article, in both versions, and of an article that went live
  // since the memory was made (a head holds its list from the first scheduled article on).
  const touched = new Set<string>()
  const wentLive = sorted.filter((_, i) => times[i]! > memory.at && times[i]! <= now)
  for (const slug of [...moved, ...wentLive.map((article) => article.slug)]) {
    for (const version of [previous.get(slug), bySlug.get(slug)])
      for (const list of version ? listsOf(version) : []) touched.add(listHeadKey(list))
  }
  const json = serialiseOnce()
  const lists = listMembers(sorted)
  const listMemory = new Map<string, ListMemory>()
  for (const [headKey, { list, members }] of lists) {
    const remembered = memory.lists.get(headKey)
    if (remembered && !touched.has(headKey)) {
      listMemory.set(headKey, remembered)
      unchangedKeys.push(headKey, ...remembered.chunks.map((_, i) => listChunkKey(list, i)), ...listHeadCompanionKeys(list, members, now, options))
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
      if (remembered?.chunks[i] === signatures[i] && !chunk.some((a) => changed.has(a.slug)))
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
    removed.length === 0 &&
    [...changed].every((slug) => {
      const before = previous.get(slug)
      return before !== undefined && sitemapFacts(before) === sitemapFacts(bySlug.get(slug)!)
    })
  let sitemaps = memory.sitemaps
  if (sameSitemaps) unchangedKeys.push(...memory.sitemaps!.keys)
  else {
    const entries = sitemapEntries(sorted, [...lists.values()], now, options)
    const samePublished = memory.sitemaps?.published === published
    const unchanged = unchangedSitemaps(entries, stored, new Set(samePublished ? memory.sitemaps!.keys : []))
    for (const entry of entries)
      if (unchanged.has(entry.key)) unchangedKeys.push(entry.key)
      else desired.heads.push(entry)
    sitemaps = { keys: entries.map((entry) => entry.key), published }
  }
  return { desired, unchangedKeys, memory: { at: now, sitemaps, lists: listMemory } }
}
