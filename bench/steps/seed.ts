// Benchmark sites in KV: `count` generated articles laid out by the real publish core
// (buildState), written through the bench worker's bulk endpoint into a temp KV directory.
// Memory stays bounded at 100,000 articles: buildState sees a short placeholder for each body, and
// the ~5 KB body is spliced into each value only as its batch is sent (the same bytes
// buildState would have produced with the real HTML, without holding gigabytes of strings).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { buildState, type DesiredState, type KvEntry } from '../../scripts/entries'
import {
  BODY_VARIANTS,
  expandPlaceholders,
  htmlPlaceholder,
  SHORT_VARIANTS,
  storedArticle,
} from '../data'
import type { RunningWorker } from '../lib/wrangler'

export interface SeedResult {
  count: number
  /** Bodies of ~5 KB, or one short paragraph (see seedSite). */
  bodies: 'full' | 'short'
  keys: number
  /** UTF-8 bytes of all values written. */
  bytes: number
  buildMs: number
  writeMs: number
}

const BATCH_KEYS = 500
const BATCH_BYTES = 16 * 1024 * 1024
const PARALLEL_BATCHES = 3

function* batches(entries: readonly KvEntry[]) {
  let batch: KvEntry[] = []
  let bytes = 0
  for (const entry of entries) {
    const value = expandPlaceholders(entry.value)
    batch.push({ key: entry.key, value })
    bytes += value.length * 2
    if (batch.length >= BATCH_KEYS || bytes >= BATCH_BYTES) {
      yield batch
      batch = []
      bytes = 0
    }
  }
  if (batch.length > 0) yield batch
}

/** The site's KV entries as the publish core lays them out, bodies as placeholders. */
function siteState(count: number, siteUrl: string, bodies: 'full' | 'short'): DesiredState {
  const host = new URL(siteUrl).hostname
  const offset = bodies === 'short' ? SHORT_VARIANTS : 0
  const articles = Array.from({ length: count }, (_, i) =>
    storedArticle(i, count, host, htmlPlaceholder(offset + (i % BODY_VARIANTS))),
  )
  return buildState(articles, Date.now())
}

/**
 * `bodies: 'short'` gives every article a one-paragraph body: at 100,000 articles the full layout
 * with ~5 KB bodies is 3.3 GB of values (each article is also copied into the chunks of its site,
 * section and tag lists), which miniflare's local KV wrote at ~10 MB/s here (333 s). Which keys a
 * route reads does not depend on how big the values are.
 */
export async function seedSite(
  worker: RunningWorker,
  count: number,
  siteUrl: string,
  log: (line: string) => void,
  bodies: 'full' | 'short' = 'full',
): Promise<SeedResult> {
  const buildStart = performance.now()
  const state = siteState(count, siteUrl, bodies)
  const buildMs = performance.now() - buildStart

  const writeStart = performance.now()
  let keys = 0
  let bytes = 0
  // Articles before the lists that name them, as the publish script writes them.
  for (const phase of [state.articles, state.chunks, state.heads]) {
    const pending = new Set<Promise<void>>()
    for (const batch of batches(phase)) {
      const body = Buffer.from(JSON.stringify(batch))
      for (const entry of batch) bytes += Buffer.byteLength(entry.value)
      const send = (async () => {
        // Puts are idempotent: a pooled connection the server closed while buildState ran is retried.
        for (let attempt = 1; ; attempt++) {
          try {
            const response = await fetch(`${worker.url}/__bench/seed`, { method: 'POST', body })
            if (response.status !== 200)
              throw new Error(`seed: HTTP ${response.status} ${await response.text()}`)
            await response.arrayBuffer()
            return
          } catch (error) {
            if (attempt >= 3) throw error
          }
        }
      })()
      keys += batch.length
      const tracked = send.finally(() => pending.delete(tracked))
      pending.add(tracked)
      if (pending.size >= PARALLEL_BATCHES) await Promise.race(pending)
      if (keys % 20_000 < batch.length) log(`seeded ${keys} keys of ${count} articles`)
    }
    await Promise.all(pending)
  }
  return { count, bodies, keys, bytes, buildMs, writeMs: performance.now() - writeStart }
}

/**
 * A large site written straight into the local KV files of a stopped `wrangler dev` (miniflare
 * 4.20260426's layout: a blob file per value under `<kv>/<namespace id>/blobs/`, one row per key
 * in the namespace's SQLite `_mf_entries`), all rows in one transaction through the sqlite3 CLI.
 * Through the binding, every put is a Durable Object call: 100,000 articles (107,192 keys) took
 * 333–445 s here, far over the 10-minute budget; this way they take well under a minute.
 * `kvDir` must already hold the namespace (one put through the binding creates its files).
 */
export function seedDirect(
  kvDir: string,
  namespaceId: string,
  count: number,
  siteUrl: string,
  log: (line: string) => void,
): SeedResult {
  const buildStart = performance.now()
  const state = siteState(count, siteUrl, 'full')
  const buildMs = performance.now() - buildStart
  const writeStart = performance.now()
  const objectDir = join(kvDir, 'miniflare-KVNamespaceObject')
  const database = readdirSync(objectDir).find(
    (file) => file.endsWith('.sqlite') && file !== 'metadata.sqlite',
  )
  if (!database) throw new Error(`no namespace database in ${objectDir}`)
  const blobs = join(kvDir, namespaceId, 'blobs')
  mkdirSync(blobs, { recursive: true })
  const sqlPath = join(kvDir, 'bench-seed.sql')
  const sql = openSync(sqlPath, 'w')
  writeSync(sql, 'BEGIN;\n')
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`
  let keys = 0
  let bytes = 0
  for (const phase of [state.articles, state.chunks, state.heads]) {
    for (const entry of phase) {
      const value = Buffer.from(expandPlaceholders(entry.value))
      // Blob ids are 40 random-looking bytes in hex, as miniflare makes them.
      const blobId = randomBytes(40).toString('hex')
      writeFileSync(join(blobs, blobId), value)
      writeSync(
        sql,
        `INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (${quote(entry.key)}, '${blobId}', NULL, NULL);\n`,
      )
      keys++
      bytes += value.length
      if (keys % 25_000 === 0) log(`wrote ${keys} values of ${count} articles`)
    }
  }
  writeSync(sql, 'COMMIT;\n')
  closeSync(sql)
  execFileSync('sqlite3', [join(objectDir, database), `.read ${sqlPath}`])
  return { count, bodies: 'full', keys, bytes, buildMs, writeMs: performance.now() - writeStart }
}
