// Worker-test helpers: KV written through the publish core (the harness's seedKv), so tests read
// exactly what a publish writes, and Cloudflare's purge by tag done on workerd's Cache API.
import { env } from 'cloudflare:test'
import { createHash } from 'node:crypto'
import type { StoredArticle } from '../../src/model/article'
import { parseSiteConfig } from '../../src/model/site'
import { planPurgeTags } from '../../src/publish/edge-purge'
import type { PrerenderOptions } from '../../src/publish/prerender'
import { RENDER_STAMP } from '../../src/worker/generated/render-stamp'
import { seedKv, type SeedOptions } from '../../tools/harness/seed-kv'

/** As a publish renders responses ahead for the worker under test: its settings and render code. */
export const prerenderFor = (vars: Partial<Cloudflare.Env> = {}): PrerenderOptions => ({
  site: parseSiteConfig({ ...env, ...vars }),
  stamp: RENDER_STAMP,
  // node:crypto through the worker tests' nodejs_compat; the deployed worker never hashes at publish.
  sha256: (bytes) => createHash('sha256').update(bytes).digest(),
})

/** Remove every key (KV persists between the tests of one file). */
export async function clearKv(): Promise<void> {
  let cursor: string | undefined
  do {
    const page = await env.ARTICLES.list({ cursor })
    await Promise.all(page.keys.map((key) => env.ARTICLES.delete(key.name)))
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
}

/**
 * Replace KV's content with what publishing `articles` at `now` writes: with the responses a
 * publish renders for this worker, or those of `prerender` (null: none, as if never rendered).
 */
export async function seed(
  articles: readonly StoredArticle[],
  now = Date.parse('2024-12-01T00:00:00Z'),
  prerender: PrerenderOptions | null = prerenderFor(),
) {
  await clearKv()
  await seedKv(env.ARTICLES, articles, { now, ...(prerender ? { prerender } : {}) })
}

/** A request to the worker under test. */
export const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://127.0.0.1:8787${path}`, { method, headers })

/**
 * What a publish does to KV: the plan from the manifest KV holds now (not a wipe and reseed), its
 * writes and deletes in order, the final manifest. Returns the cache tags a publish purges.
 */
export async function publish(
  articles: readonly StoredArticle[],
  options: Partial<SeedOptions> = {},
): Promise<string[]> {
  const plan = await seedKv(env.ARTICLES, articles, {
    prerender: prerenderFor(),
    ...options,
    now: options.now ?? Date.now(),
  })
  return planPurgeTags(plan)
}

/**
 * Cloudflare's purge by tag, done on workerd's real Cache API: each of `urls` whose cached copy
 * carries one of `tags` in its Cache-Tag is deleted. (The Cache API has no tag index to ask.)
 */
export async function purgeTagged(
  urls: Iterable<string>,
  tags: readonly string[],
): Promise<string[]> {
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
