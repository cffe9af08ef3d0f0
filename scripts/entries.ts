// Publish step, the pure core: articles → the KV entries the worker reads, and the plan that
// takes KV from what the last publish wrote (its manifest) to that state. No I/O, no Node APIs:
// worker tests seed KV through these same functions.
import type { StoredArticle } from '../src/article'
import {
  articleKey,
  foldName,
  listChunkKey,
  listHeadKey,
  MANIFEST_KEY,
  SITE_LIST,
  type ListRef,
} from '../src/keys'
import { compareByPublication, layOutList } from '../src/lists'

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

/** The lists an article belongs to: the site, its section, each tag. */
function listsOf(article: StoredArticle): ListRef[] {
  const lists: ListRef[] = [SITE_LIST]
  if (article.section) lists.push({ kind: 'section', name: article.section })
  for (const tag of article.tags) lists.push({ kind: 'tag', name: tag })
  return lists
}

/** How many related articles an article page links, and how far back each tag is searched. */
const RELATED_COUNT = 4
const RELATED_SEARCH_DEPTH = 50

/**
 * Each article with its related ones: those sharing the most tags, newest first among equals.
 * `sorted` is oldest first; only the newest RELATED_SEARCH_DEPTH articles of a tag are candidates,
 * so the work stays linear in the number of articles.
 */
function withRelated(sorted: readonly StoredArticle[]): StoredArticle[] {
  const byTag = new Map<string, StoredArticle[]>()
  for (const article of sorted) {
    for (const tag of new Set(article.tags.map(foldName))) {
      let members = byTag.get(tag)
      if (!members) byTag.set(tag, (members = []))
      members.push(article)
    }
  }
  return sorted.map((article) => {
    const scores = new Map<StoredArticle, number>()
    for (const tag of new Set(article.tags.map(foldName))) {
      for (const other of byTag.get(tag)!.slice(-RELATED_SEARCH_DEPTH)) {
        if (other !== article) scores.set(other, (scores.get(other) ?? 0) + 1)
      }
    }
    const related = [...scores]
      .sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || compareByPublication(b, a))
      .slice(0, RELATED_COUNT)
      .map(([other]) => ({
        slug: other.slug,
        title: other.title,
        language: other.language,
        publishedAt: other.publishedAt,
      }))
    return { ...article, related }
  })
}

/**
 * The whole KV state for a set of articles at time `now` (which decides only which scheduled
 * articles the list heads must hold).
 */
export function buildState(articles: readonly StoredArticle[], now: number): DesiredState {
  const sorted = withRelated([...articles].sort(compareByPublication))
  const lists = new Map<string, { list: ListRef; members: StoredArticle[] }>()
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
  if (!lists.has(listHeadKey(SITE_LIST))) {
    lists.set(listHeadKey(SITE_LIST), { list: SITE_LIST, members: [] })
  }

  const state: DesiredState = {
    articles: sorted.map((article) => ({ key: articleKey(article.slug), value: JSON.stringify(article) })),
    chunks: [],
    heads: [],
  }
  for (const [headKey, { list, members }] of lists) {
    const name = list.kind === 'site' ? null : list.name
    const { head, chunks } = layOutList(name, members, now)
    chunks.forEach((chunk, i) => state.chunks.push({ key: listChunkKey(list, i), value: JSON.stringify(chunk) }))
    state.heads.push({ key: headKey, value: JSON.stringify(head) })
  }
  return state
}

/** What the last publish wrote: each key with a hash of its value. */
export interface Manifest {
  version: 1
  keys: Record<string, string>
}

export const EMPTY_MANIFEST: Manifest = { version: 1, keys: {} }

/** SHA-256 of a value, hex; equal hashes mean the key needs no write. */
export async function valueHash(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * The writes and deletes that take KV from `manifest` to `desired`, in the order they must run:
 * articles, then chunks, then heads are written; then stale list keys, then stale articles are
 * deleted; the manifest goes last. A reader never finds a list entry whose article is missing,
 * and a run stopped anywhere converges when run again.
 */
export interface Plan {
  /** Each phase finishes before the next starts; keys within a phase may be written together. */
  phases: ({ put: KvEntry[] } | { delete: string[] })[]
  manifest: KvEntry
  /** Slugs by what happens to them. */
  added: string[]
  updated: string[]
  unchanged: string[]
  removed: string[]
}

const ARTICLE_PREFIX = articleKey('')
const slugOf = (key: string) => key.slice(ARTICLE_PREFIX.length)

export async function planPublish(desired: DesiredState, manifest: Manifest): Promise<Plan> {
  const nextKeys: Record<string, string> = {}
  const plan: Plan = {
    phases: [],
    manifest: { key: MANIFEST_KEY, value: '' },
    added: [],
    updated: [],
    unchanged: [],
    removed: [],
  }
  const changed = async (entries: KvEntry[]) => {
    const puts: KvEntry[] = []
    for (const entry of entries) {
      const hash = await valueHash(entry.value)
      nextKeys[entry.key] = hash
      if (manifest.keys[entry.key] !== hash) puts.push(entry)
    }
    return puts
  }
  const articlePuts = await changed(desired.articles)
  const putPhases = [articlePuts, await changed(desired.chunks), await changed(desired.heads)]

  for (const { key } of desired.articles) {
    const slug = slugOf(key)
    if (manifest.keys[key] === undefined) plan.added.push(slug)
    else if (manifest.keys[key] !== nextKeys[key]) plan.updated.push(slug)
    else plan.unchanged.push(slug)
  }
  const stale = Object.keys(manifest.keys).filter((key) => !(key in nextKeys))
  const staleArticles = stale.filter((key) => key.startsWith(ARTICLE_PREFIX))
  const staleLists = stale.filter((key) => !key.startsWith(ARTICLE_PREFIX))
  plan.removed = staleArticles.map(slugOf)

  for (const put of putPhases) if (put.length > 0) plan.phases.push({ put })
  for (const keys of [staleLists, staleArticles]) if (keys.length > 0) plan.phases.push({ delete: keys })

  const sortedKeys = Object.fromEntries(Object.entries(nextKeys).sort(([a], [b]) => (a < b ? -1 : 1)))
  plan.manifest.value = JSON.stringify({ version: 1, keys: sortedKeys } satisfies Manifest)
  return plan
}

/** A plan that writes and deletes nothing (the manifest is then left alone too). */
export const planIsEmpty = (plan: Plan) => plan.phases.length === 0
