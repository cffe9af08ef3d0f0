// Worker-test helpers: seed miniflare's KV through the publish script's own core, so tests read
// exactly what a publish writes.
import { env } from 'cloudflare:test'
import { buildState, EMPTY_MANIFEST, planPublish } from '../../scripts/entries'
import type { StoredArticle } from '../../src/article'

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
