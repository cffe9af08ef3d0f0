// Measure 2: the hot path under load (autocannon), each worker route next to a static asset of the
// same bytes served by the same workerd (Workers static assets). Pairs run back to back, in
// alternating order round by round, so both sides see the same machine.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { median } from '../lib/stats'

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
}

/** The bodies behind the assets: the worker's own responses, written byte for byte. */
export const ASSET_PATHS = { feed: '/__static/rss.xml', article: '/__static/article', home: '/__static/home' }

export function writeAssets(dir: string, bodies: { feed: Uint8Array; article: Uint8Array; home: Uint8Array }) {
  mkdirSync(join(dir, '__static'), { recursive: true })
  writeFileSync(join(dir, '__static', 'rss.xml'), bodies.feed)
  // Served at /__static/article (html_handling strips .html), with no redirect in between.
  writeFileSync(join(dir, '__static', 'article.html'), bodies.article)
  writeFileSync(join(dir, '__static', 'home.html'), bodies.home)
}

async function load(url: string, target: Target, connections: number, duration: number): Promise<Side> {
  const result = await autocannon({ url: url + target.path, connections, duration, headers: target.headers ?? {} })
  const statuses: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (stats as { count: number }).count
  return {
    rps: result.requests.total / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
  }
}

const summarise = (runs: Side[]): Side => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  statuses: runs.reduce<Record<string, number>>((all, r) => {
    for (const [code, count] of Object.entries(r.statuses)) all[code] = (all[code] ?? 0) + count
    return all
  }, {}),
  errors: runs.reduce((n, r) => n + r.errors, 0),
})

export async function measureHotPath(
  url: string,
  pairs: Pair[],
  options: { rounds: number; duration: number; connections: number; log: (line: string) => void },
): Promise<PairResult[]> {
  const runs = new Map(pairs.map((p) => [p, { worker: [] as Side[], asset: [] as Side[] }]))
  for (const pair of pairs) {
    // Warm both sides (JIT, the edge cache, the asset manifest).
    await load(url, pair.worker, 2, 1)
    await load(url, pair.asset, 2, 1)
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const pair of pairs) {
      const sides = round % 2 === 0 ? (['worker', 'asset'] as const) : (['asset', 'worker'] as const)
      for (const side of sides) {
        runs.get(pair)![side].push(await load(url, pair[side], options.connections, options.duration))
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
    }
  })
}
