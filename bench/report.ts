// The benchmark section of BENCHMARKS.md: markdown from the measured figures, written between
// `<!-- bench:start -->` and `<!-- bench:end -->` only (the load-test section is someone else's).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { BundleResult } from './steps/bundle'
import type { PairResult } from './steps/hot-path'
import type { RouteReads } from './steps/kv-reads'
import type { PhotoTiming } from './steps/media'
import type { PublishRun } from './steps/publish-cli-runs'
import type { RenderResult } from './steps/render'
import type { SeedResult } from './steps/seed'
import type { WatchResult } from './steps/watch'
import { fmt, fmtBytes, verdict, type Target } from './lib/stats'

export const START = '<!-- bench:start -->'
export const END = '<!-- bench:end -->'

export interface Results {
  environment: Record<string, string>
  command: string
  durationS: number
  render?: RenderResult[]
  kv?: { count: number; seed: SeedResult; routes: RouteReads[] }[]
  hot?: {
    pairs: PairResult[]
    connections: number
    duration: number
    rounds: number
    site: number
    cacheCheck: string
  }
  startup?: number[]
  publish?: PublishRun[]
  /** The 1,000-article site written in batches through a worker inside workerd (for comparison). */
  batchedWrite?: SeedResult
  bundle?: BundleResult
  /** The publish's photo encoder, per photo (measure 6). */
  photos?: PhotoTiming[]
  watch?: WatchResult
  targets: Target[]
  findings?: string
}

const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')

function renderSection(results: RenderResult[]): string {
  const byLabel = new Map(results.map((r) => [r.label, r]))
  const rows: string[][] = []
  for (const n of [20, 50]) {
    for (const format of ['rss', 'atom', 'json']) {
      const ours = byLabel.get(`${format} ${n} ours`)!
      const feed = byLabel.get(`${format} ${n} feed`)!
      rows.push([
        format === 'json' ? 'JSON Feed' : format === 'rss' ? 'RSS' : 'Atom',
        String(n),
        fmt(ours.cpuMs, 3),
        fmt(feed.cpuMs, 3),
        `${fmt(feed.cpuMs / ours.cpuMs)}×`,
        `${fmt(ours.wallMs, 3)} / ${fmt(feed.wallMs, 3)}`,
        `${fmtBytes(ours.bytes)} / ${fmtBytes(feed.bytes)}`,
      ])
    }
    const home = byLabel.get(`home ${n} ours`)
    if (home) {
      rows.push([
        'home page (HTML)',
        String(n),
        fmt(home.cpuMs, 3),
        '–',
        '–',
        fmt(home.wallMs, 3),
        fmtBytes(home.bytes),
      ])
    }
  }
  const decode = results.filter((r) => r.group === 'decode')
  const routes = results.filter((r) => r.group === 'route')
  return [
    'Renderer only: a 50- or 20-item FeedDocument (Arabic articles, ~5 KB body each) serialised in the bench worker, and the home page (hono/jsx) with the same articles;',
    '`feed` = the `feed` package used naively (a `Feed` built and serialised per request, same content).',
    "CPU = workerd CPU time over a batch ÷ operations (median of rounds); wall = the isolate's own clock.",
    '',
    table(
      [
        'format',
        'items',
        'ours CPU ms',
        '`feed` CPU ms',
        '`feed` ÷ ours',
        'wall ms ours / `feed`',
        'size (UTF-16 chars) ours / `feed`',
      ],
      rows,
    ),
    '',
    'Where the time goes: decoding the list head a cold request reads from KV (the newest 50+ articles with their bodies), escaping the content HTML inside the RSS/Atom renderers, and hashing the body for the ETag:',
    '',
    table(
      ['step', 'CPU ms', 'input'],
      decode.map((r) => [
        r.label,
        fmt(r.cpuMs, 3),
        /UTF-8|strongEtag/.test(r.label)
          ? `${fmtBytes(r.bytes)} (UTF-8)`
          : `${fmtBytes(r.bytes)} (UTF-16 chars)`,
      ]),
    ),
    '',
    "Whole cold request through the real app (edge cache off, KV answered from memory so the time is the worker's CPU: routing, decode, render, ETag, headers):",
    '',
    table(
      ['route', 'CPU ms', 'wall ms', 'body (bytes)'],
      routes.map((r) => [r.label, fmt(r.cpuMs, 3), fmt(r.wallMs, 3), String(r.bytes)]),
    ),
  ].join('\n')
}

function hotSection(hot: NonNullable<Results['hot']>): string {
  const ms = (v: number) => fmt(v, 1)
  const rows = hot.pairs.map((p) => [
    p.name,
    fmtBytes(p.bytes),
    fmt(p.worker.result.rps, 0),
    fmt(p.asset.result.rps, 0),
    `**${fmt(p.rpsRatio)}×**`,
    `${fmt(p.worker.result.cpuUs, 0)} / ${fmt(p.asset.result.cpuUs, 0)} (${fmt(p.cpuRatio)}×)`,
    `${ms(p.worker.result.p50)} / ${ms(p.worker.result.p99)}`,
    `${ms(p.asset.result.p50)} / ${ms(p.asset.result.p99)}`,
    String(p.worker.runs.length),
    Object.entries(p.worker.result.statuses)
      .map(([c, n]) => `${c}×${n}`)
      .join(' ') +
      ' vs ' +
      Object.entries(p.asset.result.statuses)
        .map(([c, n]) => `${c}×${n}`)
        .join(' '),
  ])
  return [
    `Site of ${hot.site.toLocaleString('en-US')} articles; autocannon, ${hot.connections} connections, ${hot.duration} s per run, worker and asset back to back in alternating order; medians of rounds. The asset is the worker's own response body written as a file and served by Workers static assets in the same \`wrangler dev\`/workerd. Ratio = median of per-round worker ÷ asset throughput.`,
    '',
    table(
      [
        'route',
        'body',
        'worker req/s',
        'asset req/s',
        'ratio',
        'workerd CPU µs/req, worker / asset',
        'worker p50 / p99 ms',
        'asset p50 / p99 ms',
        'rounds',
        'statuses (worker vs asset)',
      ],
      rows,
    ),
    '',
    `Edge cache check: ${hot.cacheCheck}`,
  ].join('\n')
}

function kvSection(kv: NonNullable<Results['kv']>): string {
  const [small, large] = [kv[0]!, kv[kv.length - 1]!]
  const rows = small.routes.map((r, i) => {
    const big = large.routes[i]!
    const cell = (a: RouteReads) => `${a.coldOps} (${a.coldKeys} keys)`
    const opt = (v: number | null) => (v === null ? '–' : String(v))
    return [
      `${r.name}: \`${decodeURIComponent(big.route)}\``,
      `${r.status} / ${big.status}`,
      cell(r),
      cell(big),
      `${opt(r.cold304Ops)} / ${opt(big.cold304Ops)}`,
      `${r.hotOps} / ${big.hotOps}`,
      `${opt(r.hot304Ops)} / ${opt(big.hot304Ops)}`,
      `${fmt(r.coldMs, 1)} / ${fmt(big.coldMs, 1)}`,
    ]
  })
  const seeds = kv.map(
    ({ seed }) =>
      `${seed.count.toLocaleString('en-US')} articles (${seed.bodies === 'full' ? '~5 KB bodies' : 'one-paragraph bodies'}): ${seed.keys.toLocaleString('en-US')} keys, ${fmtBytes(seed.bytes)} (layout ${fmt(seed.buildMs / 1000, 1)} s, write ${fmt(seed.writeMs / 1000, 1)} s)`,
  )
  return [
    `Counted by the bench worker's wrapped KV binding: one \`get\` (of one key or a bulk get of several) = one operation. Cold = edge cache off (a cache miss); 304 = the same URL with its ETag in If-None-Match; hot = the URL again with the edge cache on. Each cell: ${small.count.toLocaleString('en-US')} / ${large.count.toLocaleString('en-US')} articles.`,
    '',
    `Sites: ${seeds.join('; ')}.`,
    '',
    table(
      [
        'route',
        'status',
        `cold reads, ${small.count}`,
        `cold reads, ${large.count.toLocaleString('en-US')}`,
        'cold 304 reads',
        'hot reads',
        'hot 304 reads',
        'cold ms (client, KV via miniflare)',
      ],
      rows,
    ),
  ].join('\n')
}

function publishSection(runs: PublishRun[]): string {
  return table(
    ['run', 'time s', 'keys written', 'keys deleted', 'exit', 'CLI says'],
    runs.map((r) => [
      r.name,
      fmt(r.ms / 1000, 1),
      String(r.keysWritten ?? '?'),
      String(r.keysDeleted ?? '?'),
      String(r.exitCode),
      r.summary.replace(/\|/g, '\\|'),
    ]),
  )
}

function watchSection(watch: WatchResult): string {
  return [
    `${watch.count.toLocaleString('en-US')} \`.md\` articles in a temp project: the first publish and \`wrangler dev\` up in ${fmt(watch.firstPublishMs / 1000, 1)} s. Then one save at a time, timed from the file write:`,
    '',
    table(
      ['save', 'published ms (session)', 'visible ms (first request showing it)', 'keys written'],
      watch.runs.map((run) => [run.name, fmt(run.publishMs, 0), fmt(run.visibleMs, 0), run.keysWritten]),
    ),
  ].join('\n')
}

function bundleSection(bundle: BundleResult, startup: number[]): string {
  const top = bundle.byPackage.slice(0, 8).map((p) => `${p.name} ${fmtBytes(p.bytes)}`)
  return [
    `- Bundle (\`wrangler deploy --dry-run --outdir\`): **${fmtBytes(bundle.rawBytes)} raw, ${fmtBytes(bundle.gzipBytes)} gzip -9**; wrangler: \`${bundle.wranglerLine}\``,
    `- Where the bytes come from (esbuild metafile, unminified): ${top.join(', ')}`,
    `- Build (\`wrangler deploy --dry-run\`, esbuild): ${fmt(bundle.buildMs / 1000, 1)} s`,
    `- Startup, spawn of \`wrangler dev\` serving the built module (\`no_bundle\`, static assets on) to the first 200 on \`/\` of the 1,000-article site: ${startup.map((s) => `${fmt(s / 1000, 2)} s`).join(', ')} (first and second start)`,
  ].join('\n')
}

function photosSection(photos: PhotoTiming[]): string {
  return [
    "The publish's encoder (`src/publish/media-encode.ts`, sharp) in this Node process: every variant of one photo (widths 480, 960 and 1600 px at most, each in AVIF, WebP and JPEG), cold, median of the rounds; then the same photo through the disk cache, as a re-run finds it. The media route's throughput is in section 2 (photo variant rows).",
    '',
    table(
      [
        'photo',
        'pixels',
        'file',
        'variants (bytes)',
        'encode ms per photo, median',
        'rounds (ms)',
        'from the cache ms',
      ],
      photos.map((p) => [
        p.name,
        `${p.width}×${p.height}`,
        fmtBytes(p.bytesIn),
        `${p.variants} (${fmtBytes(p.bytesOut)})`,
        `**${fmt(p.medianMs, 0)}**`,
        p.runsMs.map((ms) => fmt(ms, 0)).join(', '),
        fmt(p.cachedMs, 1),
      ]),
    ),
  ].join('\n')
}

export function renderReport(r: Results): string {
  const env = Object.entries(r.environment)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ')
  const parts = [
    START,
    '## Benchmarks (`npm run bench`)',
    '',
    `Generated by \`${r.command}\` in ${fmt(r.durationS, 0)} s. ${env}.`,
    'The machine is shared and noisy: compare ratios measured side by side in the same run, not absolute figures across runs.',
    '',
    "Reproduce: `npm run bench` (about 5–7 minutes on 2 cores; `-- --quick` for small sites and short runs, `-- --only=render,kv,hot,publish,watch,bundle,media` for some sections, `-- --no-write` to leave this file alone). Diagnostics used for the findings below: `npx tsx bench/profile-hot.ts` (CPU profile of the worker on the hot path) and `npx tsx bench/ab.ts <worker entry>` (A/B of a prototype against today's worker). The code is in `bench/`; the worker under test is built once per run with `wrangler deploy --dry-run` and served with `wrangler dev` on 127.0.0.1:9401, KV and cache state in a temp directory.",
    '',
    '### Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      r.targets.map((t) => [t.name, t.measured, `**${verdict(t.pass)}**`]),
    ),
  ]
  if (r.render)
    parts.push('', '### 1. Cold render cost (CPU in workerd)', '', renderSection(r.render))
  if (r.hot)
    parts.push(
      '',
      '### 2. Hot path under load, against a static asset of the same size',
      '',
      hotSection(r.hot),
    )
  if (r.kv) parts.push('', '### 3. KV reads per request', '', kvSection(r.kv))
  if (r.publish) {
    parts.push(
      '',
      '### 4. Publish (`npm run articles:publish`, local KV in a temp copy)',
      '',
      publishSection(r.publish),
    )
    const w = r.batchedWrite
    if (w) {
      parts.push(
        '',
        `For comparison, the bench writes its own ${w.count.toLocaleString('en-US')}-article site (${w.keys.toLocaleString('en-US')} keys, ${fmtBytes(w.bytes)}, laid out by the same \`buildState\`) in batches of 500 keys through a worker inside workerd: ${fmt(w.writeMs / 1000, 1)} s of writing.`,
      )
    }
  }
  if (r.watch)
    parts.push('', "### 6. The editor's desk (`npm start`, one save at a time)", '', watchSection(r.watch))
  if (r.bundle && r.startup)
    parts.push('', '### 5. Bundle and startup', '', bundleSection(r.bundle, r.startup))
  if (r.photos) parts.push('', '### 6. Photos: encoding per photo', '', photosSection(r.photos))
  if (r.findings) parts.push('', r.findings.trim())
  parts.push(END)
  return parts.join('\n')
}

/** Replace (or add) the bench section; everything outside the markers stays byte for byte. */
export function writeReport(path: string, section: string) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = current.indexOf(START)
  const end = current.indexOf(END)
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + END.length)
      : `${current.replace(/\n*$/, '\n\n')}${section}\n`
  writeFileSync(path, next)
}
