// Measure 1: cold render cost inside workerd. Each batch runs one task `iters` times in the bench
// worker; its cost is the workerd processes' CPU time over the batch divided by `iters` (schedstat,
// ns resolution), with the isolate's own clock as a cross-check. Configurations are interleaved
// round by round so that ours and the `feed` reference see the same machine load.
import { slugOf } from '../data'
import type { RunningWorker } from '../lib/workers'
import { median } from '../lib/stats'

export interface RenderCase {
  group: 'render' | 'decode' | 'route'
  label: string
  path: string
  impl?: 'ours' | 'feed'
  format?: string
  n?: number
}

export interface RenderResult extends RenderCase {
  /** Median CPU ms per operation (workerd processes). */
  cpuMs: number
  /** Median wall ms per operation as the isolate's clock saw it. */
  wallMs: number
  bytes: number
  iters: number
  rounds: number
}

const FORMATS = ['rss', 'atom', 'json'] as const
const SIZES = [20, 50] as const

export function renderCases(): RenderCase[] {
  const cases: RenderCase[] = []
  for (const n of SIZES) {
    for (const format of FORMATS) {
      for (const impl of ['ours', 'feed'] as const) {
        cases.push({
          group: 'render',
          label: `${format} ${n} ${impl}`,
          impl,
          format,
          n,
          path: `/__bench/render?impl=${impl}&format=${format}&n=${n}`,
        })
      }
    }
    cases.push({
      group: 'render',
      label: `home ${n} ours`,
      impl: 'ours',
      format: 'home',
      n,
      path: `/__bench/render?impl=ours&format=home&n=${n}`,
    })
  }
  cases.push({ group: 'decode', label: 'head JSON.parse', path: '/__bench/decode?zod=off' })
  cases.push({ group: 'decode', label: 'head JSON.parse + zod', path: '/__bench/decode' })
  cases.push({
    group: 'decode',
    label: 'content HTML of 50 items through xml(), the entity escaper (RSS/Atom before 2504c9d)',
    path: '/__bench/escape?n=50&mode=xml',
  })
  cases.push({
    group: 'decode',
    label: 'the same content through cdata() (RSS/Atom since 2504c9d)',
    path: '/__bench/escape?n=50&mode=cdata',
  })
  cases.push({
    group: 'decode',
    label: 'UTF-8 encode of the RSS 50 body',
    path: '/__bench/etag?n=50&step=encode',
  })
  cases.push({
    group: 'decode',
    label: 'strongEtag of the RSS 50 body (encode + SHA-256)',
    path: '/__bench/etag?n=50',
  })
  const routes: [string, string][] = [
    ['/rss.xml', 'RSS'],
    ['/atom.xml', 'Atom'],
    ['/feed.json', 'JSON Feed'],
    ['/', 'home page'],
  ]
  for (const n of SIZES) {
    for (const [path, label] of routes) {
      cases.push({
        group: 'route',
        label: `${label} ${n}`,
        n,
        path: `/__bench/route?n=${n}&path=${encodeURIComponent(path)}`,
      })
    }
  }
  const article = `/articles/${encodeURIComponent(slugOf(150))}`
  cases.push({
    group: 'route',
    label: 'article page',
    path: `/__bench/route?n=20&path=${encodeURIComponent(article)}`,
  })
  return cases
}

interface Batch {
  cpuMs: number
  wallMs: number
  bytes: number
}

async function batch(worker: RunningWorker, path: string, iters: number): Promise<Batch> {
  const before = worker.cpuNs()
  const response = await fetch(
    `${worker.url}${path}${path.includes('?') ? '&' : '?'}iters=${iters}`,
  )
  const body = (await response.json()) as { ms: number; bytes: number; iters: number }
  const after = worker.cpuNs()
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`)
  return { cpuMs: (after - before) / 1e6 / iters, wallMs: body.ms / iters, bytes: body.bytes }
}

export async function measureRender(
  worker: RunningWorker,
  options: { rounds: number; batchMs: number; log: (line: string) => void },
  cases: RenderCase[] = renderCases(),
): Promise<RenderResult[]> {
  // Warm up (JIT, the in-memory site) and size each batch to about batchMs.
  const iters = new Map<RenderCase, number>()
  for (const c of cases) {
    await batch(worker, c.path, 5)
    const probe = await batch(worker, c.path, 10)
    iters.set(
      c,
      Math.max(5, Math.min(2000, Math.round(options.batchMs / Math.max(probe.cpuMs, 0.005)))),
    )
  }
  const samples = new Map<RenderCase, Batch[]>(cases.map((c) => [c, []]))
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? cases : [...cases].reverse()
    for (const c of order) samples.get(c)!.push(await batch(worker, c.path, iters.get(c)!))
    options.log(`cold CPU round ${round + 1}/${options.rounds} (${cases.length} cases)`)
  }
  return cases.map((c) => {
    const s = samples.get(c)!
    return {
      ...c,
      cpuMs: median(s.map((b) => b.cpuMs)),
      wallMs: median(s.map((b) => b.wallMs)),
      bytes: s[0]!.bytes,
      iters: iters.get(c)!,
      rounds: options.rounds,
    }
  })
}
