// Worker-test helpers: seed miniflare's KV through the publish core (the harness's seedKv), so
// tests read exactly what a publish writes.
import { env } from 'cloudflare:test'
import type { StoredArticle } from '../../src/article'
import { seedKv } from '../../tools/harness/seed-kv'

/** Remove every key (KV persists between the tests of one file). */
async function clearKv(): Promise<void> {
  let cursor: string | undefined
  do {
    const page = await env.ARTICLES.list({ cursor })
    await Promise.all(page.keys.map((key) => env.ARTICLES.delete(key.name)))
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
}

/** Replace KV's content with what publishing `articles` at `now` writes. */
export async function seed(
  articles: readonly StoredArticle[],
  now = Date.parse('2024-12-01T00:00:00Z'),
) {
  await clearKv()
  await seedKv(env.ARTICLES, articles, now)
}

/** A request to the worker under test. */
export const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://127.0.0.1:8787${path}`, { method, headers })
