// Measure 2: the hot path under load (autocannon), each worker route — pages, feeds, a photo
// variant — next to a static asset of the same bytes served by the same workerd (Workers static
// assets). Pairs run back to back, in
// alternating order round by round, so both sides see the same machine.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { fmt, median } from '../lib/stats'

export interface Target {
  path: string
  headers?: Record<string, string>
}

export interface Pair {
  name: string
  worker: Target
  asset: Target
  /** The status both sides should answer. */
  status: number
  bytes: number
  /** Target ratio of worker to asset throughput, if any. */
  target?: number
}

export interface Side {
  rps: number
  /** CPU time of all workerd processes per request, µs: steadier than req/s on a busy machine. */
  cpuUs: number
  p50: number
  p99: number
  statuses: Record<string, number>
  errors: number
}

export interface PairResult extends Pair {
  worker: Target & { result: Side; runs: Side[] }
  asset: Target & { result: Side; runs: Side[] }
  /** Median over rounds of worker ÷ asset throughput, each pair measured back to back. */
  rpsRatio: number
  /** Median over rounds of worker ÷ asset workerd CPU per request. */
  cpuRatio: number
}

/** The bodies behind the assets: the worker's own responses, written byte for byte. */
export const ASSET_PATHS = {
  feed: '/__static/rss.xml',
  article: '/__static/article',
  home: '/__static/home',
  photo: '/__static/photo.avif',
}

export function writeAssets(
  dir: string,
  bodies: { feed: Uint8Array; article: Uint8Array; home: Uint8Array; photo: Uint8Array },
) {
  mkdirSync(join(dir, '__static'), { recursive: true })
  writeFileSync(join(dir, '__static', 'rss.xml'), bodies.feed)
  writeFileSync(join(dir, '__static', 'photo.avif'), bodies.photo)
  // Served at /__static/article (html_handling strips .html), with no redirect in between.
  writeFileSync(join(dir, '__static', 'article.html'), bodies.article)
  writeFileSync(join(dir, '__static', 'home.html'), bodies.home)
}

/** Where the load goes, and the CPU time its workerd processes have used so far (ns). */
export interface Server {
  url: string
  cpuNs(): number
}

async function load(
  server: Server,
  target: Target,
  connections: number,
  duration: number,
): Promise<Side> {
  const { url } = server
  const cpuBefore = server.cpuNs()
  const result = await autocannon({
    url: url + target.path,
    connections,
    duration,
    headers: target.headers ?? {},
  })
  const statuses: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = stats.count
  const cpuNs = server.cpuNs() - cpuBefore
  return {
    rps: result.requests.total / duration,
    cpuUs: cpuNs / 1000 / Math.max(1, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
  }
}

const summarise = (runs: Side[]): Side => ({
  rps: median(runs.map((r) => r.rps)),
  cpuUs: median(runs.map((r) => r.cpuUs)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  statuses: runs.reduce<Record<string, number>>((all, r) => {
    for (const [code, count] of Object.entries(r.statuses)) all[code] = (all[code] ?? 0) + count
    return all
  }, {}),
  errors: runs.reduce((n, r) => n + r.errors, 0),
})

export async function measureHotPath(
  server: Server,
  pairs: Pair[],
  options: { rounds: number; duration: number; connections: number; log: (line: string) => void },
): Promise<PairResult[]> {
  const runs = new Map(pairs.map((p) => [p, { worker: [] as Side[], asset: [] as Side[] }]))
  for (const pair of pairs) {
    // Warm both sides (JIT, the edge cache, the asset manifest).
    await load(server, pair.worker, 2, 1)
    await load(server, pair.asset, 2, 1)
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const pair of pairs) {
      const sides =
        round % 2 === 0 ? (['worker', 'asset'] as const) : (['asset', 'worker'] as const)
      for (const side of sides) {
        runs
          .get(pair)!
          [side].push(await load(server, pair[side], options.connections, options.duration))
      }
      options.log(`hot path round ${round + 1}/${options.rounds}: ${pair.name}`)
    }
  }
  return pairs.map((pair) => {
    const r = runs.get(pair)!
    const worker = summarise(r.worker)
    const asset = summarise(r.asset)
    return {
      ...pair,
      worker: { ...pair.worker, result: worker, runs: r.worker },
      asset: { ...pair.asset, result: asset, runs: r.asset },
      rpsRatio: median(r.worker.map((w, i) => w.rps / r.asset[i]!.rps)),
      cpuRatio: median(r.worker.map((w, i) => w.cpuUs / r.asset[i]!.cpuUs)),
    }
  })
}

const get = async (url: string) => {
  const started = performance.now()
  const response = await fetch(url)
  await response.arrayBuffer()
  return { response, ms: performance.now() - started }
}

/** Is a feed served from the edge cache? The first request renders; the next ones should not. */
export async function checkEdgeCache(url: string): Promise<string> {
  const cold = await get(`${url}/atom.xml`)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const hot = [
    await get(`${url}/atom.xml`),
    await get(`${url}/atom.xml`),
    await get(`${url}/atom.xml`),
  ]
  const hotMs = Math.min(...hot.map((h) => h.ms))
  const cacheHeaders = [...hot[2]!.response.headers]
    .filter(([name]) => /cache-status|^age$|x-cache|cf-cache/i.test(name))
    .map(([name, value]) => `${name}: ${value}`)
  return (
    `first /atom.xml ${fmt(cold.ms, 1)} ms, then ${fmt(hotMs, 1)} ms (best of 3); ` +
    `cache headers: ${cacheHeaders.length ? cacheHeaders.join(', ') : 'none'}; ` +
    'the bench worker counts 0 KV reads on the hot requests (section 3).'
  )
}

/** A photo variant from the MEDIA bucket against the same bytes as a static asset. */
export const photoPair = (path: string, bytes: number, how: string, target?: number): Pair => ({
  name: `photo variant, 960 px AVIF (${how})`,
  worker: { path },
  asset: { path: ASSET_PATHS.photo },
  status: 200,
  bytes,
  ...(target ? { target } : {}),
})

/** The routes measured against their assets; 304s use each side's own ETag. */
export async function hotPairs(
  url: string,
  bodies: { feed: Uint8Array; article: Uint8Array; home: Uint8Array },
  articlePath: string,
): Promise<Pair[]> {
  const etagOf = async (path: string) => (await get(url + path)).response.headers.get('etag') ?? ''
  const [feedEtag, assetEtag] = [await etagOf('/rss.xml'), await etagOf(ASSET_PATHS.feed)]
  const gzip = { 'Accept-Encoding': 'gzip' }
  const feed = { path: '/rss.xml' }
  const feedAsset = { path: ASSET_PATHS.feed }
  const bytes = bodies.feed.length
  return [
    {
      name: 'RSS feed (edge cache)',
      worker: feed,
      asset: feedAsset,
      status: 200,
      bytes,
      target: 0.9,
    },
    {
      name: 'RSS 304 (If-None-Match)',
      worker: { ...feed, headers: { 'If-None-Match': feedEtag } },
      asset: { ...feedAsset, headers: { 'If-None-Match': assetEtag } },
      status: 304,
      bytes: 0,
      target: 0.9,
    },
    {
      name: 'article page',
      worker: { path: articlePath },
      asset: { path: ASSET_PATHS.article },
      status: 200,
      bytes: bodies.article.length,
    },
    {
      name: 'home page',
      worker: { path: '/' },
      asset: { path: ASSET_PATHS.home },
      status: 200,
      bytes: bodies.home.length,
    },
    // What aggregators send: workerd then compresses each response, on both sides.
    {
      name: 'RSS feed, Accept-Encoding: gzip',
      worker: { ...feed, headers: gzip },
      asset: { ...feedAsset, headers: gzip },
      status: 200,
      bytes,
    },
  ]
}
