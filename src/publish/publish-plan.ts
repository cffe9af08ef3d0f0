// Publish step 9, the pure core (second half): the plan that takes KV from what the manifest says
// is there to the desired state, in an order that is safe to stop at any point. No I/O.
import type { Gone } from '../model/article'
import { articleKey, MANIFEST_KEY } from '../model/keys'
import type { DesiredState, KvEntry } from './desired-state'
import { valueHash, type Manifest } from './manifest'
import type { MediaRecord } from './media-plan'

/** What a run adds to the articles' own keys. */
export interface PlanExtras {
  /** The value hash (default valueHash); the CLI passes node:crypto's, same result and faster. */
  hash?: (value: string) => string | Promise<string>
  /** Hashes already known, by key, of the desired values (not hashed again). */
  hashes?: ReadonlyMap<string, string>
  /** Redirects and tombstones: written with the list heads, after the articles they name. */
  pointers?: readonly KvEntry[]
  /**
   * Keys to keep as the manifest has them, value and hash (what a change leaves as it is,
   * earlier tombstones): never read, hashed or written.
   */
  keep?: readonly string[]
  /** Tombstones of the articles this run unpublishes (recorded in the pending manifest). */
  removing?: readonly Gone[]
  /** What the manifest records of the MEDIA bucket before and after this run (media-plan.ts). */
  media?: MediaRecord
  /**
   * Called with each value the plan serialises to hash it (the size checks ride on it): a lazily
   * serialised list or related value is then made once per run, not once per look.
   */
  inspect?: (key: string, value: string) => void
}

export type Phase = { put: KvEntry[] } | { delete: string[] }

/**
 * The writes and deletes that take KV from `manifest` to `desired`, in the order they must run:
 * new articles, changed articles, chunks, then heads with redirects and tombstones are written;
 * then stale list keys, redirects and tombstones, and last stale articles are deleted. A reader
 * never finds a list entry or redirect whose article is missing.
 */
export interface Plan {
  /** Each phase finishes before the next starts; keys within a phase may be written together. */
  phases: Phase[]
  /** Written before the first phase: records what this run may change (see Manifest). */
  pending: KvEntry
  /** Written after the last phase. */
  manifest: KvEntry
  /** The manifest this plan leaves: `manifest`'s value, parsed. */
  next: Manifest
  /** Slugs by what happens to them. */
  added: string[]
  updated: string[]
  unchanged: string[]
  removed: string[]
}

const ARTICLE_PREFIX = articleKey('')
const slugOf = (key: string) => key.slice(ARTICLE_PREFIX.length)
const isArticleKey = (key: string) => key.startsWith(ARTICLE_PREFIX)
const sortedRecord = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))

/**
 * `next` with its keys in order, as sortedRecord gives it: the manifest's keys are stored in order,
 * so the keys it lacks (`fresh`: a handful after one change) are sorted and merged into its order
 * rather than sorting 200,000 keys again. A manifest out of order is sorted whole.
 */
function inKeyOrder(next: Record<string, string>, manifest: Readonly<Record<string, string>>, fresh: string[]) {
  fresh.sort()
  const ordered: Record<string, string> = {}
  let previous = ''
  let i = 0
  for (const key in manifest) {
    if (key < previous) return sortedRecord(next)
    previous = key
    for (; i < fresh.length && fresh[i]! < key; i++) ordered[fresh[i]!] = next[fresh[i]!]!
    const hash = next[key]
    if (hash !== undefined) ordered[key] = hash
  }
  for (; i < fresh.length; i++) ordered[fresh[i]!] = next[fresh[i]!]!
  return ordered
}

export async function planPublish(
  desired: DesiredState,
  manifest: Manifest,
  extras: PlanExtras = {},
): Promise<Plan> {
  const unsure = new Set(manifest.pending?.unsure)
  const nextKeys: Record<string, string> = {}
  const keptArticles: string[] = []
  for (const key of extras.keep ?? []) {
    const hash = manifest.keys[key]
    if (hash === undefined || key in nextKeys) continue
    nextKeys[key] = hash
    if (isArticleKey(key)) keptArticles.push(key)
  }
  /** Keys of the next manifest the last one lacks. */
  const fresh: string[] = []
  const needsWrite = (key: string, hash: string) => unsure.has(key) || manifest.keys[key] !== hash
  const hashOf = extras.hash ?? valueHash
  const changed = async (entries: readonly KvEntry[]) => {
    const hashes = await Promise.all(
      entries.map((entry) => {
        const known = extras.hashes?.get(entry.key)
        if (known !== undefined) return known
        const value = entry.value
        extras.inspect?.(entry.key, value)
        return hashOf(value)
      }),
    )
    return entries.filter((entry, i) => {
      if (!(entry.key in nextKeys) && manifest.keys[entry.key] === undefined) fresh.push(entry.key)
      nextKeys[entry.key] = hashes[i]!
      return needsWrite(entry.key, hashes[i]!)
    })
  }
  const articlePuts = await changed(desired.articles)
  const chunkPuts = await changed(desired.chunks)
  const headPuts = await changed([...desired.heads, ...(extras.pointers ?? [])])

  const plan: Plan = {
    phases: [],
    pending: { key: MANIFEST_KEY, value: '' },
    manifest: { key: MANIFEST_KEY, value: '' },
    next: { version: 1, keys: {} },
    added: [],
    updated: [],
    unchanged: [],
    removed: [],
  }
  for (const { key } of desired.articles) {
    const slug = slugOf(key)
    if (manifest.keys[key] === undefined) plan.added.push(slug)
    else if (needsWrite(key, nextKeys[key]!)) plan.updated.push(slug)
    else plan.unchanged.push(slug)
  }
  // An article a change leaves as it is (incremental-state.ts) is kept, not in `desired`.
  const desiredKeys = new Set(desired.articles.map((entry) => entry.key))
  for (const key of keptArticles) if (!desiredKeys.has(key)) plan.unchanged.push(slugOf(key))
  // One pass over the manifest's keys (20,000 at 10,000 articles), no copies of them.
  const stale: string[] = []
  const isStale = (key: string) => !(key in nextKeys) && key !== MANIFEST_KEY
  for (const key in manifest.keys) if (isStale(key)) stale.push(key)
  for (const key of unsure) if (!(key in manifest.keys) && isStale(key)) stale.push(key)
  stale.sort()
  const staleArticles = stale.filter(isArticleKey)
  // An article only a crashed run wrote was never published: deleting it removes nothing.
  plan.removed = staleArticles.filter((key) => manifest.keys[key] !== undefined).map(slugOf)

  // New articles before changed ones: a changed article may now link a new one as related.
  const added = new Set(plan.added.map(articleKey))
  const phases: Phase[] = [
    { put: articlePuts.filter((entry) => added.has(entry.key)) },
    { put: articlePuts.filter((entry) => !added.has(entry.key)) },
    { put: chunkPuts },
    { put: headPuts },
    { delete: stale.filter((key) => !isArticleKey(key)) },
    { delete: staleArticles },
  ]
  plan.phases = phases.filter((phase) => ('put' in phase ? phase.put : phase.delete).length > 0)

  // Every key a crashed run left unsure is written or deleted by this plan, so `touched` includes
  // them all; `keys` stays the last finished run's, which tells a later run what was live then.
  const touched = plan.phases.flatMap((phase) =>
    'put' in phase ? phase.put.map((entry) => entry.key) : phase.delete,
  )
  const { known = [], unsure: unsureMedia = [], final = [] } = extras.media ?? {}
  plan.pending.value = JSON.stringify({
    version: 1,
    keys: manifest.keys,
    ...(known.length > 0 ? { media: known } : {}),
    pending: {
      unsure: [...new Set(touched)].sort(),
      removing: [...(extras.removing ?? [])],
      ...(unsureMedia.length > 0 ? { media: unsureMedia } : {}),
    },
  } satisfies Manifest)
  plan.next = {
    version: 1,
    keys: inKeyOrder(nextKeys, manifest.keys, fresh),
    ...(final.length > 0 ? { media: final } : {}),
  }
  plan.manifest.value = JSON.stringify(plan.next)
  return plan
}
