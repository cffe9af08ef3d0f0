// Worker-test helpers: seed miniflare's KV through the publish script's own core, so tests read
// exactly what a publish writes.
import { env } from 'cloudflare:test'
import { buildState, type KvEntry } from '../../scripts/entries'
import { EMPTY_MANIFEST, Manifest, planPublish } from '../../scripts/plan'
import { planPurgeTags } from '../../scripts/purge'
import type { Gone, StoredArticle } from '../../src/model/article'
import { MANIFEST_KEY } from '../../src/model/keys'

/** Remove every key (KV persists between the tests of one file). */
export async function clearKv(): Promise<void> {
  let cursor: string | undefined
  do {
    const page = await env.ARTICLES.list({ cursor })
    await Promise.all(page.keys.map((key) => env.ARTICLES.delete(key.name)))
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
}

/** Replace KV's content with what publishing `articles` at `now` writes. */
export async function seed(articles: readonly StoredArticle[], now = Date.parse('2024-12-01T00:00:00Z')) {
  await clearKv()
  const plan = await planPublish(buildState(articles, now), EMPTY_MANIFEST)
  for (const phase of plan.phases) {
    if ('put' in phase) await Promise.all(phase.put.map((entry) => env.ARTICLES.put(entry.key, entry.value)))
  }
  await env.ARTICLES.put(plan.manifest.key, plan.manifest.value)
}

/** A request to the worker under test. */
export const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://127.0.0.1:8787${path}`, { method, headers })

export interface PublishOptions {
  now?: number
  /** Redirects and tombstones, as the publish script derives them from files and unpublishes. */
  pointers?: readonly KvEntry[]
  removing?: readonly Gone[]
}

/**
 * What a publish does to KV: the plan from the manifest KV holds now (not a wipe and reseed), its
 * writes and deletes in order, the final manifest. Returns the cache tags a publish purges.
 */
export async function publish(articles: readonly StoredArticle[], options: PublishOptions = {}): Promise<string[]> {
  const { now = Date.now(), pointers = [], removing = [] } = options
  const raw = await env.ARTICLES.get(MANIFEST_KEY)
  const manifest = raw === null ? EMPTY_MANIFEST : Manifest.parse(JSON.parse(raw))
  const plan = await planPublish(buildState(articles, now), manifest, { pointers, removing })
  for (const phase of plan.phases) {
    if ('put' in phase) await Promise.all(phase.put.map((entry) => env.ARTICLES.put(entry.key, entry.value)))
    else await Promise.all(phase.delete.map((key) => env.ARTICLES.delete(key)))
  }
  await env.ARTICLES.put(plan.manifest.key, plan.manifest.value)
  return planPurgeTags(plan)
}

/**
 * Cloudflare's purge by tag, done on workerd's real Cache API: each of `urls` whose cached copy
 * carries one of `tags` in its Cache-Tag is deleted. (The Cache API has no tag index to ask.)
 */
export async function purgeTagged(urls: Iterable<string>, tags: readonly string[]): Promise<string[]> {
  const purged: string[] = []
  for (const url of urls) {
    const key = new Request(url)
    const cached = await caches.default.match(key)
    if (!cached) continue
    await cached.body?.cancel()
    const stored = cached.headers.get('Cache-Tag')?.split(',') ?? []
    if (stored.some((tag) => tags.includes(tag))) {
      await caches.default.delete(key)
      purged.push(url)
    }
  }
  return purged
}
