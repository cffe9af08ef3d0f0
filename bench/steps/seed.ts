// Benchmark sites in KV: `count` generated articles laid out by the real publish core
// (buildState), written through the bench worker's bulk endpoint into a temp KV directory, in the
// local target's batches (src/publish/targets/local-target.ts).
// Memory stays bounded at 100,000 articles: buildState sees a short placeholder for each body, and
// the ~5 KB body is spliced into each value only as its batch is sent (the same bytes
// buildState would have produced with the real HTML, without holding gigabytes of strings).
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { feedResponseKey, listOfHeadKey } from '../../src/model/keys'
import { FEED_FORMATS } from '../../src/model/urls'
import { ListHead } from '../../src/model/list-layout'
import { parseSiteConfig } from '../../src/model/site'
import { buildState, type DesiredState, type KvEntry } from '../../src/publish/desired-state'
import { listFeedEntries } from '../../src/publish/prerender'
import { nodeSha256, renderStamp } from '../../src/publish/render-stamp'
import { eachLimited, retryWithBackoff } from '../../src/publish/pool'
import { PARALLEL_WRITER_REQUESTS, writerBatches } from '../../src/publish/targets/local-target'
import {
  BODY_VARIANTS,
  expandPlaceholders,
  htmlPlaceholder,
  SHORT_VARIANTS,
  storedArticle,
} from '../data'
import type { RunningWorker } from '../lib/workers'

export interface SeedResult {
  count: number
  /** Bodies of ~5 KB, or one short paragraph (see seedSite). */
  bodies: 'full' | 'short'
  keys: number
  /** UTF-8 bytes of all values written. */
  bytes: number
  buildMs: number
  writeMs: number
  /** Who wrote it, when not the bench's own seeder. */
  via?: string
}

/** The entries with their bodies spliced in, one at a time as the batches are cut. */
function* expanded(entries: readonly KvEntry[]): Generator<KvEntry> {
  for (const entry of entries) yield { key: entry.key, value: expandPlaceholders(entry.value) }
}

/**
 * One batch to the bench worker. Puts are idempotent: a pooled connection the server closed while
 * buildState ran is retried (twice, at once).
 */
async function sendBatch(worker: RunningWorker, batch: readonly KvEntry[]) {
  const body = JSON.stringify(batch)
  const failure = await retryWithBackoff(
    () =>
      fetch(`${worker.url}/__bench/seed`, { method: 'POST', body }).then(
        async (response) => {
          if (response.status !== 200)
            throw new Error(`seed: HTTP ${response.status} ${await response.text()}`)
          await response.arrayBuffer()
          return null
        },
        (error: unknown) => error,
      ),
    (error) => error !== null,
    { retries: 2, baseDelayMs: 0 },
  )
  if (failure !== null) throw failure
}

/**
 * The site's KV entries as the publish core lays them out, bodies as placeholders — but the feeds
 * the publish renders (prerender.ts) rendered from the heads with their bodies spliced in, as the
 * publish writes them (a placeholder would be spliced in JSON-escaped, not as the feed has it).
 */
function siteState(count: number, vars: Record<string, string>, bodies: 'full' | 'short'): DesiredState {
  const site = parseSiteConfig(vars)
  const host = new URL(site.url).hostname
  const offset = bodies === 'short' ? SHORT_VARIANTS : 0
  const articles = Array.from({ length: count }, (_, i) =>
    storedArticle(i, count, host, htmlPlaceholder(offset + (i % BODY_VARIANTS))),
  )
  const now = Date.now()
  const prerender = { site, stamp: renderStamp(), sha256: nodeSha256 }
  const state = buildState(articles, now, { headSize: site.feedSize, prerender })
  const lists = state.heads.flatMap((entry) => {
    const list = listOfHeadKey(entry.key)
    return list ? [{ list, entry }] : []
  })
  const feedKeys = new Set(lists.flatMap(({ list }) => FEED_FORMATS.map((format) => feedResponseKey(list, format))))
  const heads = state.heads.filter((entry) => !feedKeys.has(entry.key))
  for (const { list, entry } of lists) {
    const head = ListHead.parse(JSON.parse(expandPlaceholders(entry.value)))
    heads.push(...listFeedEntries(list, head, now, prerender))
  }
  return { ...state, heads }
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
  vars: Record<string, string>,
  log: (line: string) => void,
  bodies: 'full' | 'short' = 'full',
): Promise<SeedResult> {
  const buildStart = performance.now()
  const state = siteState(count, vars, bodies)
  const buildMs = performance.now() - buildStart

  const writeStart = performance.now()
  let keys = 0
  let bytes = 0
  // Articles before the lists that name them, as the publish script writes them.
  for (const phase of [state.articles, state.chunks, state.heads]) {
    await eachLimited(writerBatches(expanded(phase)), PARALLEL_WRITER_REQUESTS, async (batch) => {
      for (const entry of batch) bytes += Buffer.byteLength(entry.value)
      keys += batch.length
      if (keys % 20_000 < batch.length) log(`seeded ${keys} keys of ${count} articles`)
      await sendBatch(worker, batch)
    })
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
  vars: Record<string, string>,
  log: (line: string) => void,
): SeedResult {
  const buildStart = performance.now()
  const state = siteState(count, vars, 'full')
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
