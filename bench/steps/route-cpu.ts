// Measure 9 (issue 16): cold request CPU per route, as measure 1 times whole cold requests — the
// real app inside workerd with the edge cache off, batches of the same request, workerd's CPU
// time ÷ requests — on sites of 10 and 100,000 articles in local KV. KV is read through (each key
// fetched from the local KV once, then answered from memory), so the figure is the worker's own
// CPU: routing, reads' decode and validation, render, ETag, headers.
import type { RunningWorker } from '../lib/workers'
import { routesFor } from './kv-reads'
import { measureRender, type RenderCase } from './render'

export interface RouteCpu {
  name: string
  route: string
  status: number
  cpuMs: number
  wallMs: number
  bytes: number
}

export interface RouteCpuSize {
  count: number
  /** Where the site came from: the publish CLI (scale step) or written by the bench itself. */
  source: string
  routes: RouteCpu[]
}

export async function measureRouteCpu(
  worker: RunningWorker,
  count: number,
  feedSize: number,
  options: { rounds: number; batchMs: number; log: (line: string) => void },
): Promise<RouteCpu[]> {
  const routes = routesFor(count, feedSize)
  const cases: (RenderCase & { status: number })[] = []
  for (const { name, path } of routes) {
    const response = await fetch(worker.url + path, {
      headers: { 'x-bench-edge-cache': 'off' },
      redirect: 'manual',
    })
    await response.arrayBuffer()
    cases.push({
      group: 'route',
      label: name,
      status: response.status,
      path: `/__bench/route?kv=live&status=${response.status}&path=${encodeURIComponent(path)}`,
    })
  }
  const measured = await measureRender(worker, options, cases)
  return measured.map((result, i) => ({
    name: result.label,
    route: routes[i]!.path,
    status: cases[i]!.status,
    cpuMs: result.cpuMs,
    wallMs: result.wallMs,
    bytes: result.bytes,
  }))
}
