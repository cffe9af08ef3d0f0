// Publish step 10, the local KV target (and the local R2 bucket for photos): miniflare over the
// state `wrangler dev` serves. KV writes go in batches to a small worker inside workerd that puts
// them through its binding: one round trip per batch instead of one per key (about 3× the keys per
// second, bench/FINDINGS.md §6). A large value (the manifest: 20 MB at 100,000 articles) goes
// alone as the request's raw body, and reads come back as a response body: neither is copied
// through JSON or miniflare's binding proxy, which took twice as long each way.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Miniflare } from 'miniflare'
import type { KvEntry } from '../desired-state'
import { eachLimited, inBatches, type BatchLimits } from '../pool'
import type { KvTarget } from './kv-target'
import { bindingMediaTarget, type MediaTarget, type R2Writer } from './media-target'

/**
 * Through the ARTICLES binding: GET /?key= answers the value as its body (404: no such key), PUT
 * /?key= stores the request's body as the value, and a POST puts, then deletes, one JSON batch,
 * all of it in flight at once (the Node side keeps batches small enough, and KV inside workerd
 * takes them one at a time anyway).
 */
export const KV_WRITER_SCRIPT = `
export default {
  async fetch(request, env) {
    const key = new URL(request.url).searchParams.get('key')
    if (request.method === 'GET') {
      const value = await env.ARTICLES.get(key, 'stream')
      return value === null ? new Response(null, { status: 404 }) : new Response(value)
    }
    if (request.method === 'PUT') {
      await env.ARTICLES.put(key, request.body)
      return new Response('1')
    }
    const { put = [], remove = [] } = await request.json()
    await Promise.all(put.map((entry) => env.ARTICLES.put(entry.key, entry.value)))
    await Promise.all(remove.map((key) => env.ARTICLES.delete(key)))
    return new Response(String(put.length + remove.length))
  },
}`

/** One writer request: its keys, and its bytes as UTF-16 code units × 3 (UTF-8's worst case). */
const WRITER_BATCH: BatchLimits = { maxItems: 500, maxBytes: 16 * 1024 * 1024 }
/** Writer requests in flight at once. */
export const PARALLEL_WRITER_REQUESTS = 3
/** A value at least this long (UTF-16 code units) is put on its own, as a raw request body. */
const RAW_PUT_LENGTH = 256 * 1024

/** A put's bytes in a writer request, as WRITER_BATCH counts them. */
const requestBytes = (key: string, valueLength: number) => (key.length + valueLength) * 3

/** Entries cut into writer requests (the bench's seeder sends its own the same way). */
export const writerBatches = (entries: Iterable<KvEntry>) =>
  inBatches(entries, WRITER_BATCH, (entry) => requestBytes(entry.key, entry.value.length))

type WriterRequest = { put?: readonly KvEntry[]; remove?: readonly string[] } | { raw: KvEntry }

/**
 * The requests that put `entries`: each value of RAW_PUT_LENGTH or more alone as a raw body, the
 * rest in JSON batches. A list's or related value is made each time it is read (desired-state.ts):
 * read here for its length, it is made again only as its batch is serialised, so no more values
 * are held at once than the requests in flight carry.
 */
function putRequests(entries: Iterable<KvEntry>): WriterRequest[] {
  const raw: WriterRequest[] = []
  const batched: { entry: KvEntry; length: number }[] = []
  for (const entry of entries) {
    const value = entry.value
    if (value.length >= RAW_PUT_LENGTH) raw.push({ raw: { key: entry.key, value } })
    else batched.push({ entry, length: value.length })
  }
  const batches = inBatches(batched, WRITER_BATCH, ({ entry, length }) => requestBytes(entry.key, length))
  return [...raw, ...[...batches].map((batch) => ({ put: batch.map(({ entry }) => entry) }))]
}

/**
 * A value made once `mf` has started, without waiting for it now: workerd starts while the caller
 * does other work (a publish loads its files meanwhile). A start that fails fails each use.
 */
function onceStarted<T>(start: () => Promise<unknown>): () => Promise<T> {
  const started = start() as Promise<T>
  // Seen as handled now; every use still awaits (and throws) the same failure.
  started.catch(() => {})
  return () => started
}

/** A target writing through KV_WRITER_SCRIPT, which `mf` must run with an ARTICLES namespace. */
export function writerTarget(mf: Miniflare, name: string): KvTarget {
  const started = onceStarted<unknown>(() => mf.ready)
  const keyUrl = (key: string) => `http://localhost/?${new URLSearchParams({ key })}`
  const send = async (request: WriterRequest) => {
    await started()
    const response =
      'raw' in request
        ? await mf.dispatchFetch(keyUrl(request.raw.key), { method: 'PUT', body: request.raw.value })
        : await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(request) })
    const text = await response.text()
    if (!response.ok) throw new Error(`local KV write failed: HTTP ${response.status} ${text}`)
  }
  const sendAll = (requests: WriterRequest[]) => eachLimited(requests, PARALLEL_WRITER_REQUESTS, send)
  return {
    name,
    // Local KV has no per-key rate limit.
    sameKeyIntervalMs: 0,
    strongConsistency: true,
    async get(key) {
      await started()
      const response = await mf.dispatchFetch(keyUrl(key))
      const text = await response.text()
      if (response.status === 404) return null
      if (!response.ok) throw new Error(`local KV read of ${key} failed: HTTP ${response.status} ${text}`)
      return text
    },
    put: (entries) => sendAll(putRequests(entries)),
    delete: (keys) =>
      sendAll(
        [...writerBatches(keys.map((key) => ({ key, value: '' })))].map((batch) => ({
          remove: batch.map((entry) => entry.key),
        })),
      ),
    close: () => mf.dispose(),
  }
}

/** The local target also reaches the local edge cache and R2 bucket `wrangler dev` serves from. */
export interface LocalTarget extends KvTarget {
  /** Empties the local Cache API (persisted beside KV); resolves to the entries removed. */
  purgeCache(): Promise<number>
  /** The local MEDIA bucket, when the configuration binds one. */
  media?: MediaTarget | undefined
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
  /** The MEDIA bucket's name: local R2 under `.wrangler/state/v3/r2`, as `wrangler dev` keeps it. */
  mediaBucket?: string | undefined,
): Promise<LocalTarget> {
  // Required, not imported: an import of its CommonJS bundle first scans all of it for export
  // names (about half a second of every local publish, bench/FINDINGS.md).
  const { Miniflare } = createRequire(import.meta.url)('miniflare') as typeof import('miniflare')
  const state = join(dirname(configPath), '.wrangler/state/v3')
  const mf = new Miniflare({
    modules: true,
    // As in wrangler.toml: with miniflare's old default date, each KV write took about 3× longer.
    compatibilityDate,
    script: KV_WRITER_SCRIPT,
    kvNamespaces: { ARTICLES: namespaceId },
    kvPersist: join(state, 'kv'),
    cachePersist: join(state, 'cache'),
    ...(mediaBucket ? { r2Buckets: { MEDIA: mediaBucket }, r2Persist: join(state, 'r2') } : {}),
    cf: false,
  })
  const target = writerTarget(mf, 'local KV (.wrangler/state)')
  const bucket = mediaBucket ? onceStarted<R2Writer>(() => mf.getR2Bucket('MEDIA')) : undefined
  const media =
    bucket &&
    bindingMediaTarget(`local R2 bucket ${mediaBucket} (.wrangler/state)`, {
      put: async (...put) => (await bucket()).put(...put),
      delete: async (keys) => (await bucket()).delete(keys),
    })
  return { ...target, purgeCache: () => mf.purgeCache(), media }
}
