// Publish step 7: what is live in KV besides this run's files — articles
// carried over as they are, articles being removed (prune, unpublish, or a crashed run's
// unfinished removal) with their tombstones, and the redirects and earlier tombstones to keep.
// Reads only the values it needs.
import { Gone, Redirect, StoredArticle } from '../model/article'
import { articleKey, goneKey, redirectKey } from '../model/keys'
import type { KvEntry } from './desired-state'
import { valueHash, type Manifest } from './manifest'
import { eachLimited } from './pool'
import type { KvTarget } from './targets/kv-target'

export interface RunInput {
  manifest: Manifest
  /** Slugs of this run's (non-draft) files: what they say wins over KV. */
  runSlugs: ReadonlySet<string>
  /** When each of this run's articles is published (redirects to it carry the time). */
  runPublishedAt: ReadonlyMap<string, string>
  draftSlugs: ReadonlySet<string>
  /** Former slug → current slug, from this run's files. */
  runRedirects: ReadonlyMap<string, string>
  /** Remove live articles that have no file in this run. */
  prune: boolean
  /** Slugs to unpublish. */
  unpublish: readonly string[]
  now: number
}

export interface LiveState {
  /** Live articles not in this run, as KV has them. */
  carried: StoredArticle[]
  /** Redirect and tombstone entries the desired state has values for. */
  pointers: KvEntry[]
  /** Keys of earlier tombstones, kept as the manifest has them (never read). */
  kept: string[]
  /** Tombstones of the articles this run removes. */
  removing: Gone[]
  /** Live articles replaced by a redirect: a file now lists their slug in `redirectFrom`. */
  renamed: string[]
  /** Slugs asked to be unpublished that are not live. */
  notPublished: string[]
}

const suffix = (prefix: string) => (key: string) =>
  key.startsWith(prefix) ? key.slice(prefix.length) : undefined
const articleSlug = suffix(articleKey(''))
const redirectSource = suffix(redirectKey(''))
const goneSlug = suffix(goneKey(''))

/** How many values are read at once. */
const READ_CONCURRENCY = 16

/** The values of `keys`, in one bulk read where the target has one, else a few reads at a time. */
export async function readValues(target: Pick<KvTarget, 'get' | 'getMany'>, keys: readonly string[]) {
  if (target.getMany) return target.getMany(keys)
  const values = new Map<string, string | null>()
  await eachLimited(keys, READ_CONCURRENCY, async (key) => {
    values.set(key, await target.get(key))
  })
  return values
}

/**
 * An old slug's redirect to an article. It carries the article's publication time, so the worker
 * does not point the old URL at a scheduled article before its time (nothing about an embargoed
 * article may be observable, not even where an old URL leads).
 */
export const redirectEntry = (from: string, to: Pick<StoredArticle, 'slug' | 'publishedAt'>): KvEntry => ({
  key: redirectKey(from),
  value: JSON.stringify(Redirect.parse({ slug: to.slug, publishedAt: to.publishedAt })),
})
export const tombstoneEntry = (gone: Gone): KvEntry => ({
  key: goneKey(gone.slug),
  value: JSON.stringify(Gone.parse(gone)),
})

export async function liveState(
  input: RunInput,
  target: Pick<KvTarget, 'get' | 'getMany'>,
): Promise<LiveState> {
  const { manifest, runSlugs, draftSlugs, runRedirects } = input
  const unsure = new Set(manifest.pending?.unsure)
  const allKeys = [...new Set([...Object.keys(manifest.keys), ...unsure])]
  const isKnown = (key: string) => manifest.keys[key] !== undefined && !unsure.has(key)
  // Live: what the last finished run published. An article only a crashed run wrote is not
  // live; its key is deleted unless this run's files still want it.
  const kvSlugs = new Set(Object.keys(manifest.keys).flatMap((key) => articleSlug(key) ?? []))
  const pendingRemovals = new Map(manifest.pending?.removing.map((gone) => [gone.slug, gone]))

  const renamed = [...kvSlugs].filter((slug) => !runSlugs.has(slug) && runRedirects.has(slug))
  const outOfRun = [...kvSlugs].filter(
    (slug) => !runSlugs.has(slug) && !draftSlugs.has(slug) && !runRedirects.has(slug),
  )
  const toRemove = new Set([
    ...input.unpublish.filter((slug) => kvSlugs.has(slug)),
    ...(input.prune ? outOfRun : []),
    ...[...pendingRemovals.keys()].filter((slug) => !runSlugs.has(slug) && !runRedirects.has(slug)),
  ])
  const notPublished = input.unpublish.filter((slug) => !kvSlugs.has(slug))

  const values = await readValues(target, outOfRun.map(articleKey))
  const carried: StoredArticle[] = []
  const removing: Gone[] = []
  const removedAt = new Date(input.now).toISOString()
  for (const slug of outOfRun) {
    const raw = values.get(articleKey(slug))
    const article = raw == null ? undefined : StoredArticle.parse(JSON.parse(raw))
    if (toRemove.has(slug)) {
      // A crashed run's tombstone is reused as it was, so the re-run writes the same bytes.
      const gone =
        pendingRemovals.get(slug) ?? (article && { slug, title: article.title, removedAt })
      if (gone) removing.push(gone)
    } else if (article) {
      carried.push(article)
    }
  }

  const liveSlugs = new Set([...runSlugs, ...carried.map((article) => article.slug)])
  const redirects = new Map(runRedirects)
  // A carried article's redirects are kept: matched by hash when known, read when a crash left them unsure.
  const byHash = new Map<string, string>()
  for (const article of carried)
    byHash.set(await valueHash(redirectEntry('', article).value), article.slug)
  const unsureRedirects = allKeys.filter(
    (key) => redirectSource(key) !== undefined && !isKnown(key),
  )
  const redirectValues = await readValues(target, unsureRedirects)
  for (const key of allKeys) {
    const from = redirectSource(key)
    if (from === undefined || redirects.has(from) || liveSlugs.has(from)) continue
    const raw = redirectValues.get(key)
    const slug = isKnown(key)
      ? byHash.get(manifest.keys[key]!)
      : raw == null
        ? undefined
        : Redirect.parse(JSON.parse(raw)).slug
    if (slug !== undefined && liveSlugs.has(slug)) redirects.set(from, slug)
  }

  const publishedAt = new Map([...input.runPublishedAt, ...carried.map((article) => [article.slug, article.publishedAt] as const)])
  const pointers = [...redirects].map(([from, slug]) => redirectEntry(from, { slug, publishedAt: publishedAt.get(slug)! }))
  const removingSlugs = new Set(removing.map((gone) => gone.slug))
  pointers.push(...removing.filter((gone) => !redirects.has(gone.slug)).map(tombstoneEntry))
  const kept: string[] = []
  for (const key of allKeys) {
    const slug = goneSlug(key)
    if (slug === undefined || liveSlugs.has(slug) || redirects.has(slug) || removingSlugs.has(slug))
      continue
    // An unsure tombstone not being written was being deleted (its article came back).
    if (isKnown(key)) kept.push(key)
  }
  return { carried, pointers, kept, removing, renamed, notPublished }
}
