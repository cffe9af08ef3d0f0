// Measure 11 (issue 10): the isolate's memory layer (src/worker/cache/memory.ts) under a flood of
// 10,000 distinct URLs against the production worker under `wrangler dev`, edge cache on: first
// half trailing-slash URLs with 30 KB queries (each a 301), then distinct `?page=` values (mostly
// 404s past the last page). workerd's resident memory and the isolate's JS heap before, after
// each phase and a few seconds later; and the layer's entries and bytes against MEMORY_LIMITS,
// from a MemoryCache driven in this process with the same responses at the same moments
// (workerd's isolate cannot be asked for its own), a response entering it exactly when its
// Cache-Status says the worker kept it in memory.
import { canonicalUrl, MAX_CACHED_URL_LENGTH } from '../../src/worker/cache/canonical'
import { MEMORY_LIMITS, MemoryCache } from '../../src/worker/cache/memory'
import { eachLimited } from '../../src/publish/pool'
import { isolateHeap } from '../lib/inspector'
import { sleep } from '../lib/stats'
import type { RunningWorker } from '../lib/workers'

export interface FloodPhase {
  name: string
  ms: number
  /** workerd's resident memory and the isolate's JS heap in use after the phase. */
  rssAfterBytes: number
  heapAfterBytes: number
}

export interface FloodResult {
  phases: FloodPhase[]
  urls: number
  queryBytes: number
  connections: number
  floodMs: number
  statuses: Record<string, number>
  rssBeforeBytes: number
  rssAfterBytes: number
  rssSettledBytes: number
  /** Each workerd process's resident memory at the same three moments (by pid, ascending). */
  rssByProcess: number[][]
  /** The isolate's JS heap in use (V8, before any collection) at the same three moments. */
  heapUsedBytes: number[]
  settleMs: number
  /** The most the layer held at any moment of the flood, and what it held at its end. */
  peak: { entries: number; bytes: number }
  end: { entries: number; bytes: number }
  limits: { maxEntries: number; maxBytes: number }
}

const QUERY_BYTES = 30 * 1024
const CONNECTIONS = 8
const SETTLE_MS = 5_000
/** Headers the edge cache adds to a kept copy when it answers (not part of the copy). */
const ANSWER_HEADERS = new Set(['cache-status', 'age', 'content-length'])

/** `count` distinct flood URLs in two phases: trailing-slash ones with big queries, then pages. */
export function floodPhases(count: number, tag: string): { name: string; paths: string[] }[] {
  const filler = 'x'.repeat(QUERY_BYTES)
  const half = Math.ceil(count / 2)
  return [
    {
      name: `${half.toLocaleString('en-US')} trailing-slash URLs with 30 KB queries (301)`,
      paths: Array.from({ length: half }, (_, i) => `/tags/${tag}/?utm_source=${i}&q=${filler}`),
    },
    {
      name: `${(count - half).toLocaleString('en-US')} distinct \`?page=\` values`,
      paths: Array.from({ length: count - half }, (_, i) => `/?page=${2 + i}`),
    },
  ]
}

export async function measureFlood(
  worker: RunningWorker,
  options: { urls: number; tag: string; siteOrigin: string; log: (line: string) => void },
): Promise<FloodResult> {
  // Warm up the isolate and its routes first, so "before" is a running worker's memory.
  for (const path of ['/', '/rss.xml', `/tags/${options.tag}`, '/?page=2'])
    await (await fetch(worker.url + path)).arrayBuffer()
  await sleep(MEMORY_LIMITS.ttlMs)
  const rssBeforeBytes = worker.rssBytes()
  const perProcess = [worker.rssByProcess()]
  const heap = async () => (await isolateHeap(worker.inspectorPort)).usedSize
  const heapUsedBytes = [await heap()]
  const layer = new MemoryCache(MEMORY_LIMITS)
  const peak = { entries: 0, bytes: 0 }
  const statuses: Record<string, number> = {}
  const started = performance.now()
  const phases: FloodPhase[] = []
  for (const phase of floodPhases(options.urls, options.tag)) {
    const phaseStarted = performance.now()
    await eachLimited(phase.paths, CONNECTIONS, async (path) => {
      const response = await fetch(worker.url + path, { redirect: 'manual' })
      const body = await response.arrayBuffer()
      const now = Date.now()
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      const cacheStatus = response.headers.get('cache-status') ?? ''
      const kept =
        /stored/.test(cacheStatus) || (/hit/.test(cacheStatus) && !/memory/.test(cacheStatus))
      const key = canonicalUrl(worker.url + path, options.siteOrigin)
      if (kept && key.length <= MAX_CACHED_URL_LENGTH) {
        const headers = [...response.headers].filter(([name]) => !ANSWER_HEADERS.has(name))
        layer.set(
          key,
          { status: response.status, headers, body, storedAt: now, expires: now + layer.ttlMs },
          now,
        )
        peak.entries = Math.max(peak.entries, layer.size.entries)
        peak.bytes = Math.max(peak.bytes, layer.size.bytes)
      }
    })
    phases.push({
      name: phase.name,
      ms: performance.now() - phaseStarted,
      rssAfterBytes: worker.rssBytes(),
      heapAfterBytes: await heap(),
    })
  }
  const floodMs = performance.now() - started
  const rssAfterBytes = worker.rssBytes()
  perProcess.push(worker.rssByProcess())
  heapUsedBytes.push(await heap())
  options.log(
    `flood: ${options.urls} URLs in ${(floodMs / 1000).toFixed(1)} s, workerd ${(rssBeforeBytes / 1024 ** 2).toFixed(0)} → ${(rssAfterBytes / 1024 ** 2).toFixed(0)} MiB`,
  )
  await sleep(SETTLE_MS)
  heapUsedBytes.push(await heap())
  perProcess.push(worker.rssByProcess())
  const pids = [...perProcess[0]!.keys()].sort((a, b) => a - b)
  return {
    phases,
    rssByProcess: pids.map((pid) => perProcess.map((moment) => moment.get(pid) ?? 0)),
    heapUsedBytes,
    urls: options.urls,
    queryBytes: QUERY_BYTES,
    connections: CONNECTIONS,
    floodMs,
    statuses,
    rssBeforeBytes,
    rssAfterBytes,
    rssSettledBytes: worker.rssBytes(),
    settleMs: SETTLE_MS,
    peak,
    end: layer.size,
    limits: { maxEntries: MEMORY_LIMITS.maxEntries, maxBytes: MEMORY_LIMITS.maxBytes },
  }
}
