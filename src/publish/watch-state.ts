// Publish step 8 for a watch session (`npm start`): the desired state remembered between saves, and
// what a change to a few articles changes in it — byte for byte the entries buildState gives for
// those keys, every other key left as the manifest has it. buildState and hashing its ~250 MB
// take seconds for 10,000 articles; one saved file here costs the lists and related links it is in.
import type { StoredArticle } from '../model/article'
import { articleKey, foldName, listChunkKey, listHeadKey, type ListRef } from '../model/keys'
import { compareByPublication, layOutList } from '../model/list-layout'
import {
  chunkValue,
  headValue,
  listMembers,
  listsOf,
  relatedOf,
  sitemapEntries,
  tagIndex,
  type DesiredState,
} from './desired-state'

/** A list as last written: which articles each chunk held. */
interface ListMemory {
  list: ListRef
  chunks: string[]
}

export interface StateMemory {
  /** Each article as given (related not filled in), by slug. */
  bases: Map<string, StoredArticle>
  /** Each article as stored (related filled in), by slug. */
  stored: Map<string, StoredArticle>
  /** Every list by its head key. */
  lists: Map<string, ListMemory>
}

/** Which articles a chunk holds, in order: equal signatures and unchanged members, equal bytes. */
const signature = (chunk: readonly StoredArticle[]) =>
  chunk.map((article) => article.slug).join('\n')

/** The memory of the state buildState(articles) gives, as a publish of all of them wrote it. */
export function rememberState(articles: readonly StoredArticle[]): StateMemory {
  const sorted = [...articles].sort(compareByPublication)
  const byTag = tagIndex(sorted)
  const stored = new Map(
    sorted.map((article) => [article.slug, { ...article, related: relatedOf(article, byTag) }]),
  )
  const lists = new Map<string, ListMemory>()
  for (const [key, { list, members }] of listMembers(sorted.map((a) => stored.get(a.slug)!))) {
    // The chunks do not depend on the time; only the head does.
    lists.set(key, { list, chunks: layOutList(null, members, 0).chunks.map(signature) })
  }
  return { bases: new Map(sorted.map((article) => [article.slug, article])), stored, lists }
}

/** Articles whose value differs from the one remembered (a new object of equal value does not). */
function changedSlugs(memory: StateMemory, sorted: readonly StoredArticle[]): Set<string> {
  const changed = new Set<string>()
  for (const article of sorted) {
    const before = memory.bases.get(article.slug)
    if (before !== article && (!before || JSON.stringify(before) !== JSON.stringify(article)))
      changed.add(article.slug)
  }
  return changed
}

export interface StateChange {
  /** The entries the change touches, in buildState's groups. */
  desired: DesiredState
  /** Keys of the new state whose values stay as they are. */
  unchangedKeys: string[]
  /** The memory after the change, for the next one once this one is written. */
  memory: StateMemory
}

/** What publishing `articles` at `now` changes in the state `memory` remembers. */
export function changedState(
  memory: StateMemory,
  articles: readonly StoredArticle[],
  now: number,
): StateChange {
  const sorted = [...articles].sort(compareByPublication)
  const bases = new Map(sorted.map((article) => [article.slug, article]))
  const changed = changedSlugs(memory, sorted)
  const removed = [...memory.bases.keys()].filter((slug) => !bases.has(slug))

  // Related links can change for every member of a tag a changed or removed article has or had.
  const byTag = tagIndex(sorted)
  const candidates = new Set(changed)
  for (const slug of [...changed, ...removed]) {
    for (const version of [memory.bases.get(slug), bases.get(slug)]) {
      for (const tag of version?.tags ?? [])
        for (const member of byTag.get(foldName(tag)) ?? []) candidates.add(member.slug)
    }
  }
  const stored = new Map(memory.stored)
  for (const slug of removed) stored.delete(slug)
  const rewritten = new Set<string>()
  for (const slug of candidates) {
    const base = bases.get(slug)!
    const related = relatedOf(base, byTag)
    const before = memory.stored.get(slug)
    if (
      changed.has(slug) ||
      !before ||
      JSON.stringify(before.related) !== JSON.stringify(related)
    ) {
      stored.set(slug, { ...base, related })
      rewritten.add(slug)
    }
  }

  const serialised = new Map<StoredArticle, string>()
  const json = (article: StoredArticle) => {
    let text = serialised.get(article)
    if (text === undefined) serialised.set(article, (text = JSON.stringify(article)))
    return text
  }
  const touched = new Set<string>()
  for (const slug of [...rewritten, ...removed]) {
    for (const version of [memory.stored.get(slug), stored.get(slug)])
      for (const list of version ? listsOf(version) : []) touched.add(listHeadKey(list))
  }
  const desired: DesiredState = {
    articles: [...rewritten].map((slug) => ({
      key: articleKey(slug),
      value: json(stored.get(slug)!),
    })),
    chunks: [],
    heads: [],
  }
  const unchangedKeys = sorted.flatMap(({ slug }) =>
    rewritten.has(slug) ? [] : [articleKey(slug)],
  )
  const storedSorted = sorted.map((article) => stored.get(article.slug)!)
  const lists = listMembers(storedSorted)
  const listMemory = new Map<string, ListMemory>()
  for (const [headKey, { list, members }] of lists) {
    const previous = memory.lists.get(headKey)
    if (previous && !touched.has(headKey)) {
      listMemory.set(headKey, previous)
      unchangedKeys.push(headKey, ...previous.chunks.map((_, i) => listChunkKey(list, i)))
      continue
    }
    const { head, chunks } = layOutList(list.kind === 'site' ? null : list.name, members, now)
    const signatures = chunks.map(signature)
    chunks.forEach((chunk, i) => {
      const key = listChunkKey(list, i)
      if (previous?.chunks[i] === signatures[i] && !chunk.some((a) => rewritten.has(a.slug)))
        unchangedKeys.push(key)
      else desired.chunks.push({ key, value: chunkValue(chunk, json) })
    })
    desired.heads.push({ key: headKey, value: headValue(head, json) })
    listMemory.set(headKey, { list, chunks: signatures })
  }
  desired.heads.push(...sitemapEntries(storedSorted, [...lists.values()], now))
  return { desired, unchangedKeys, memory: { bases, stored, lists: listMemory } }
}
