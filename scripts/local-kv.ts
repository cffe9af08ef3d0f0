// Publish step: the local KV target — miniflare over the state `wrangler dev` serves. Writes go in
// batches to a small worker inside workerd that puts them through its binding: one round trip
// per batch instead of one per key (about 3× the keys per second, bench/FINDINGS.md §6).
import { dirname, join } from 'node:path'
import type { KvEntry } from './entries'
import type { KvBinding, KvTarget } from './kv'

/** Puts then deletes one JSON batch through the ARTICLES binding, 32 operations at a time. */
const WRITER_SCRIPT = `
async function each(items, run) {
  let next = 0
  const worker = async () => { while (next < items.length) await run(items[next++]) }
  await Promise.all(Array.from({ length: 32 }, worker))
}
export default {
  async fetch(request, env) {
    const { put = [], remove = [] } = await request.json()
    await each(put, (entry) => env.ARTICLES.put(entry.key, entry.value))
    await each(remove, (key) => env.ARTICLES.delete(key))
    return new Response(String(put.length + remove.length))
  },
}`

const REQUEST_KEYS = 500
const REQUEST_BYTES = 16 * 1024 * 1024
const PARALLEL_REQUESTS = 3

/** Entries cut into requests of at most REQUEST_KEYS keys and about REQUEST_BYTES. */
function requestBatches(entries: readonly KvEntry[]): KvEntry[][] {
  const batches: KvEntry[][] = []
  let batch: KvEntry[] = []
  let bytes = 0
  for (const entry of entries) {
    const size = (entry.key.length + entry.value.length) * 3
    if (batch.length === REQUEST_KEYS || (batch.length > 0 && bytes + size > REQUEST_BYTES)) {
      batches.push(batch)
      batch = []
      bytes = 0
    }
    batch.push(entry)
    bytes += size
  }
  if (batch.length > 0) batches.push(batch)
  return batches
}

/** The local target also reaches the local edge cache `wrangler dev` serves from. */
export interface LocalTarget extends KvTarget {
  /** Empties the local Cache API (persisted beside KV); resolves to the entries removed. */
  purgeCache(): Promise<number>
}

/**
 * Local KV as `wrangler dev` serves it: the same persisted state (`.wrangler/state/v3/kv` beside
 * wrangler.toml) and the same namespace id; and its Cache API state (`.wrangler/state/v3/cache`),
 * which a running `wrangler dev` sees change at once.
 */
export async function localTarget(
  configPath: string,
  namespaceId: string,
  compatibilityDate: string | undefined,
): Promise<LocalTarget> {
  const { Miniflare } = await import('miniflare')
  const mf = new Miniflare({
    modules: true,
    // As in wrangler.toml: with miniflare's old default date, each KV write took about 3× longer.
    compatibilityDate,
    script: WRITER_SCRIPT,
    kvNamespaces: { ARTICLES: namespaceId },
    kvPersist: join(dirname(configPath), '.wrangler/state/v3/kv'),
    cachePersist: join(dirname(configPath), '.wrangler/state/v3/cache'),
    cf: false,
  })
  const kv = (await mf.getKVNamespace('ARTICLES')) as unknown as KvBinding

  const send = async (body: { put?: readonly KvEntry[]; remove?: readonly string[] }) => {
    const response = await mf.dispatchFetch('http://localhost/', {
      method: 'POST',
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`local KV write failed: HTTP ${response.status} ${text}`)
  }
  const sendAll = async (batches: { put?: KvEntry[]; remove?: string[] }[]) => {
    let next = 0
    const worker = async () => {
      while (next < batches.length) await send(batches[next++]!)
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, batches.length) }, worker))
  }

  return {
    name: 'local KV (.wrangler/state)',
    // Local KV has no per-key rate limit.
    sameKeyIntervalMs: 0,
    get: (key) => kv.get(key, 'text'),
    put: (entries) => sendAll(requestBatches(entries).map((put) => ({ put }))),
    delete: (keys) =>
      sendAll(
        requestBatches(keys.map((key) => ({ key, value: '' }))).map((batch) => ({
          remove: batch.map((entry) => entry.key),
        })),
      ),
    purgeCache: () => mf.purgeCache(),
    close: () => mf.dispose(),
  }
}
