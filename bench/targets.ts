// The targets the benchmark prints as PASS/MISS, from the measured results.
import { fmt, type Target } from './lib/stats'
import type { Results } from './report'

/** Each target of issue 6 with what this run measured. */
export function targets(results: Results, publishCount: number): Target[] {
  const t: Target[] = []
  for (const format of ['rss', 'atom', 'json']) {
    const ours = results.render?.find((r) => r.label === `${format} 50 ours`)
    const feed = results.render?.find((r) => r.label === `${format} 50 feed`)
    if (!ours || !feed) continue
    const speedup = feed.cpuMs / ours.cpuMs
    t.push({
      name: `cold 50-item ${format.toUpperCase()} render ≤ 1 ms CPU median`,
      measured: `${fmt(ours.cpuMs, 3)} ms`,
      pass: ours.cpuMs <= 1,
    })
    t.push({
      name: `… at least 2× faster than \`feed\``,
      measured: `${fmt(speedup)}× (${fmt(feed.cpuMs, 3)} ms)`,
      pass: speedup >= 2,
    })
  }
  for (const route of results.render?.filter((r) => r.group === 'route' && / 50$/.test(r.label)) ??
    []) {
    t.push({
      name: `(context) whole cold request, ${route.label}, < 10 ms CPU (free plan)`,
      measured: `${fmt(route.cpuMs, 3)} ms`,
      pass: route.cpuMs < 10,
    })
  }
  for (const pair of results.hot?.pairs ?? []) {
    if (pair.target)
      t.push({
        name: `hot path: ${pair.name} ≥ ${pair.target}× static asset`,
        measured: `${fmt(pair.rpsRatio, 3)}×`,
        pass: pair.rpsRatio >= pair.target,
      })
  }
  if (results.kv && results.kv.length > 1) {
    const [small, large] = [results.kv[0]!, results.kv[results.kv.length - 1]!]
    const worst = Math.max(...[...small.routes, ...large.routes].map((r) => r.coldOps))
    // Same URL, answered 200 at both sizes: the reads must be equal (a last page differs in URL).
    const grows = small.routes
      .filter(
        (r, i) =>
          r.route === large.routes[i]!.route &&
          r.status === 200 &&
          large.routes[i]!.status === 200 &&
          large.routes[i]!.coldOps > r.coldOps,
      )
      .map((r) => r.name)
    t.push({
      name: '≤ 2 KV reads per request on every route (cold)',
      measured: `max ${worst}`,
      pass: worst <= 2,
    })
    t.push({
      name: `… independent of article count (${small.count} vs ${large.count.toLocaleString('en-US')})`,
      measured: grows.length ? `grows on ${grows.join(', ')}` : 'same on every route',
      pass: grows.length === 0,
    })
  }
  const [first, again] = results.publish ?? []
  if (first)
    t.push({
      name: `publish of ${publishCount.toLocaleString('en-US')} articles ≤ 10 s`,
      measured: `${fmt(first.ms / 1000, 1)} s, ${first.keysWritten ?? '?'} keys`,
      pass: first.exitCode === 0 && first.ms <= 10_000,
    })
  if (again)
    t.push({
      name: 'no-change re-run writes 0 keys in ≤ 3 s',
      measured: `${again.keysWritten ?? '?'} keys in ${fmt(again.ms / 1000, 1)} s`,
      pass: again.exitCode === 0 && again.keysWritten === 0 && again.ms <= 3000,
    })
  for (const run of results.watch?.runs ?? [])
    t.push({
      name: `npm start: ${run.name}, ${results.watch!.count.toLocaleString('en-US')} articles, visible ≤ 1 s`,
      measured: `${fmt(run.visibleMs, 0)} ms (published in ${fmt(run.publishMs, 0)} ms)`,
      pass: run.visibleMs <= 1000,
    })
  if (results.bundle)
    t.push({
      name: 'bundle ≤ 150 KiB gzip',
      measured: `${fmt(results.bundle.gzipBytes / 1024, 1)} KiB`,
      pass: results.bundle.gzipBytes <= 150 * 1024,
    })
  return t
}
