// Publish step 7 (renames): what an article keeps through a rename or an edit — the feed id it was
// published with (readers dedupe by it: a new id is a duplicate item in every reader), and every
// former URL that led to it. Reads from KV only the articles whose published id may differ.
import { StoredArticle } from '../model/article'
import { articleKey, redirectKey } from '../model/keys'
import type { LiveState } from './live-state'
import { redirectEntry } from './live-state'
import type { LoadedArticle } from './load-articles'
import type { Manifest } from './manifest'
import { eachLimited } from './pool'
import type { Problem } from './problems'
import type { KvTarget } from './targets/kv-target'

/** An id as readers compare it, and as editors may write it: percent-escapes decoded, NFC. */
export function normalizedId(id: string): string {
  const decoded = id.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes)
    } catch {
      return escapes
    }
  })
  return decoded.normalize('NFC')
}

export interface KeptIds {
  /** Slug → the id to publish it with, where that is not the id the file gives or derives. */
  ids: Map<string, string>
  problems: Problem[]
}

/** How many stored articles are read at once. */
const READ_CONCURRENCY = 16

/**
 * The published id of every article of this run that has one to keep: a renamed article's (its
 * former slug is live and listed in `redirectFrom`), and a live article's whose stored value
 * changes (`articleHashes` against the manifest; an unchanged value has the same id).
 * Without an `id` in its file an article keeps its published id; an `id` that differs from it
 * only in percent-encoding is the same id; any other `id` is an error saying how to keep it.
 */
export async function keptIds(input: {
  loaded: readonly LoadedArticle[]
  live: Pick<LiveState, 'renamed'>
  manifest: Manifest
  /** Each run article's key → the hash of its value as this run would store it. */
  articleHashes: ReadonlyMap<string, string>
  target: Pick<KvTarget, 'get'>
}): Promise<KeptIds> {
  const { loaded, manifest } = input
  const renamed = new Set(input.live.renamed)
  const changed = new Set(
    [...input.articleHashes].flatMap(([key, hash]) => {
      const published = manifest.keys[key]
      return published !== undefined && published !== hash ? [key] : []
    }),
  )
  // Which stored articles may hold each run article's published id, in order: a renamed one's,
  // and its own — when live and changing, or when a run that stopped wrote it (already renamed).
  const unsure = new Set(manifest.pending?.unsure)
  const sources = new Map<LoadedArticle, string[]>()
  for (const entry of loaded) {
    const key = articleKey(entry.article.slug)
    const own = changed.has(key) || unsure.has(key) ? [entry.article.slug] : []
    const former = entry.redirectFrom.find((slug) => renamed.has(slug))
    const candidates = [...(former === undefined ? [] : [former]), ...own]
    if (candidates.length > 0) sources.set(entry, candidates)
  }
  const published = new Map<string, string>()
  await eachLimited(new Set([...sources.values()].flat()), READ_CONCURRENCY, async (slug) => {
    const raw = await input.target.get(articleKey(slug))
    if (raw !== null) published.set(slug, StoredArticle.parse(JSON.parse(raw)).id)
  })

  const kept: KeptIds = { ids: new Map(), problems: [] }
  for (const [entry, candidates] of sources) {
    const source = candidates.find((slug) => published.has(slug))
    const id = source === undefined ? undefined : published.get(source)
    const { article } = entry
    if (id === undefined || id === article.id) continue
    if (!entry.explicitId || normalizedId(id) === normalizedId(article.id)) {
      kept.ids.set(article.slug, id)
      continue
    }
    const whose =
      source === article.slug ? 'this live article' : `the live article "${source}" it renames`
    kept.problems.push({
      file: entry.file,
      severity: 'error',
      path: 'id',
      message:
        `would change the feed id of ${whose} from "${id}" to "${article.id}", and every feed ` +
        `reader would show it again as a new item: remove id (the published one is kept) or set it to "${id}"`,
      ...entry.locate(['id']),
    })
  }
  return kept
}

/**
 * Former URLs a rename would drop: a redirect that led to an article this run renames, from a
 * slug the new file does not list. Its URL would answer 404, so the publish stops and says so.
 * Reads the renamed articles (a redirect's value names the article's slug and time).
 */
export async function droppedFormerUrls(
  loaded: readonly LoadedArticle[],
  live: Pick<LiveState, 'renamed'>,
  manifest: Manifest,
  hash: (value: string) => string,
  target: Pick<KvTarget, 'get'>,
): Promise<Problem[]> {
  if (live.renamed.length === 0) return []
  const unsure = new Set(manifest.pending?.unsure)
  const redirectPrefix = redirectKey('')
  const redirects = Object.entries(manifest.keys).filter(
    ([key]) => key.startsWith(redirectPrefix) && !unsure.has(key),
  )
  const problems: Problem[] = []
  for (const entry of loaded) {
    for (const [i, renamedSlug] of entry.redirectFrom.entries()) {
      if (!live.renamed.includes(renamedSlug)) continue
      const raw = await target.get(articleKey(renamedSlug))
      if (raw === null) continue
      const toRenamed = hash(redirectEntry('', StoredArticle.parse(JSON.parse(raw))).value)
      for (const [key, value] of redirects) {
        const from = key.slice(redirectPrefix.length)
        if (value !== toRenamed || entry.redirectFrom.includes(from) || from === entry.article.slug)
          continue
        problems.push({
          file: entry.file,
          severity: 'error',
          path: `redirectFrom[${i}]`,
          message: `/articles/${from} redirects to "${renamedSlug}", which this publish renames: add "${from}" to redirectFrom too, or /articles/${from} stops answering`,
          ...entry.locate(['redirectFrom', i]),
        })
      }
    }
  }
  return problems
}
