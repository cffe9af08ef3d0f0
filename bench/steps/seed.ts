// Benchmark sites in KV: `count` generated articles laid out by the real publish core
// (buildState), written through the bench worker's bulk endpoint into a temp KV directory.
// Memory stays bounded at 100,000 articles: buildState sees a short placeholder for each body, and
// the ~5 KB body is spliced into each value only as its batch is sent (the same bytes
// buildState would have produced with the real HTML, without holding gigabytes of strings).
import { buildState, type KvEntry } from '../../scripts/entries'
import { BODY_VARIANTS, expandPlaceholders, htmlPlaceholder, storedArticle } from '../data'
import type { RunningWorker } from '../lib/wrangler'

export interface SeedResult {
  count: number
  keys: number
  /** UTF-8 bytes of all values written. */
  bytes: number
  buildMs: number
  writeMs: number
}

const BATCH_KEYS = 500
const BATCH_BYTES = 16 * 1024 * 1024
const PARALLEL_BATCHES = 2

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

export async function seedSite(worker: RunningWorker, count: number, siteUrl: string, log: (line: string) => void): Promise<SeedResult> {
  const host = new URL(siteUrl).hostname
  const buildStart = performance.now()
  const articles = Array.from({ length: count }, (_, i) =>
    storedArticle(i, count, host, htmlPlaceholder(i % BODY_VARIANTS)),
  )
  const state = buildState(articles, Date.now())
  const buildMs = performance.now() - buildStart

  const writeStart = performance.now()
  let keys = 0
  let bytes = 0
  const encoder = new TextEncoder()
  // Articles before the lists that name them, as the publish script writes them.
  for (const phase of [state.articles, state.chunks, state.heads]) {
    const pending = new Set<Promise<void>>()
    for (const batch of batches(phase)) {
      const body = JSON.stringify(batch)
      for (const entry of batch) bytes += encoder.encode(entry.value).length
      const send = (async () => {
        const response = await fetch(`${worker.url}/__bench/seed`, { method: 'POST', body })
        if (response.status !== 200) throw new Error(`seed: HTTP ${response.status} ${await response.text()}`)
        await response.arrayBuffer()
      })()
      keys += batch.length
      const tracked = send.finally(() => pending.delete(tracked))
      pending.add(tracked)
      if (pending.size >= PARALLEL_BATCHES) await Promise.race(pending)
      if (keys % 20_000 < batch.length) log(`seeded ${keys} keys of ${count} articles`)
    }
    await Promise.all(pending)
  }
  return { count, keys, bytes, buildMs, writeMs: performance.now() - writeStart }
}
