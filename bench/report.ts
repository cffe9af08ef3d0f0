// The benchmark section of BENCHMARKS.md: markdown from the measured figures, written between
// `<!-- bench:start -->` and `<!-- bench:end -->` only (the load-test section is someone else's).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { BundleResult } from './steps/bundle'
import type { FloodResult } from './steps/flood'
import type { FreshnessResult } from './steps/freshness'
import type { RouteCpuSize } from './steps/route-cpu'
import { keysPerSecond, type ScaleResult } from './steps/scale'
import type { StorageResult } from './steps/storage'
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
  /** Issue 16: the archive through the publish CLI at three sizes. */
  scale?: ScaleResult
  storage?: StorageResult
  routeCpu?: RouteCpuSize[]
  /** Issue 10: publish → visible with npm start running, and the memory layer under a flood. */
  freshness?: FreshnessResult
  flood?: FloodResult
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
      `${seed.count.toLocaleString('en-US')} articles (${seed.bodies === 'full' ? '~5 KB bodies' : 'one-paragraph bodies'}): ${seed.keys.toLocaleString('en-US')} keys, ${fmtBytes(seed.bytes)} (${seed.via ? `published by ${seed.via} in ${fmt(seed.writeMs / 1000, 1)} s` : `layout ${fmt(seed.buildMs / 1000, 1)} s, write ${fmt(seed.writeMs / 1000, 1)} s`})`,
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
      watch.runs.map((run) => [
        run.name,
        fmt(run.publishMs, 0),
        fmt(run.visibleMs, 0),
        run.keysWritten,
      ]),
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

const MiB = (bytes: number) => fmt(bytes / 1024 ** 2, 0)
const sec = (ms: number) => fmt(ms / 1000, 2)

function scaleSection(scale: ScaleResult): string {
  const names = ['full', 'no change', 'one change', 'check'] as const
  const cell = (size: ScaleResult['sizes'][number], name: (typeof names)[number]) => {
    const run = size.runs.find((r) => r.name === name)
    if (!run) return '–'
    const rss = run.maxRssKiB === null ? '' : `, ${fmt(run.maxRssKiB / 1024 ** 2, 2)} GiB`
    const outcome =
      run.exitCode === 0 ? '' : run.timedOut ? ' **killed**' : ` **exit ${run.exitCode}**`
    return `${sec(run.ms)} s${rss}${outcome}`
  }
  const rows = scale.sizes.map((size) => [
    size.count.toLocaleString('en-US'),
    `${MiB(size.fileBytes)} MiB`,
    ...names.map((name) => cell(size, name)),
    size.runs.find((r) => r.name === 'one change')?.keysWritten ?? '–',
  ])
  const failures = scale.sizes.flatMap((size) =>
    size.runs
      .filter((run) => run.exitCode !== 0)
      .map(
        (run) =>
          `- ${size.count.toLocaleString('en-US')} articles, ${run.name}: ${run.summary.replace(/\|/g, '\\|')}`,
      ),
  )
  return [
    `Each size is its own temp project of generated \`.json\` articles (~5 KB bodies), published by \`npm run articles:publish -- --local --json\` into its own local KV: the full publish, a re-run with no change, then one article's body edited and published again; \`articles:check\` at the largest size. Each cell: wall time of the CLI (npm + tsx + the run) and the peak resident memory of its largest process (GNU time). Every run is killed after ${scale.timeoutMs / 60_000} min; the CLI's V8 heap is capped at ${scale.heapCapMiB} MiB (the machine is shared: an engine needing ~14 GB at 100,000 articles stops with a heap error instead).`,
    '',
    `The CLI's own startup (\`articles:publish -- --help\`: npm, tsx, the imports, no work): **${sec(scale.startupMs)} s**, ${fmt((scale.startupRssKiB ?? Number.NaN) / 1024, 0)} MiB; the targets subtract it to show the engine's share.`,
    '',
    ...(scale.kvFloor
      ? [
          `Local KV's own write rate, the floor under every full publish: ${scale.kvFloor.keys.toLocaleString('en-US')} values of ${(scale.kvFloor.valueBytes / 1024).toFixed(1)} KiB (about the mean value at 100,000 articles) put through the publish's local target (its batches and its writer inside workerd) into a fresh state took **${sec(scale.kvFloor.ms)} s: ${keysPerSecond(scale.kvFloor).toLocaleString('en-US')} keys/s** (bench/FINDINGS.md: why).`,
          '',
        ]
      : []),
    table(
      [
        'articles',
        'files',
        'full publish',
        'no change',
        'one change',
        '`articles:check`',
        'one change: keys written',
      ],
      rows,
    ),
    ...(failures.length
      ? ['', "Runs that did not finish (the CLI's last line):", '', ...failures]
      : []),
  ].join('\n')
}

function storageSection(storage: StorageResult): string {
  return [
    `Every value in the local KV the publish CLI wrote for ${storage.count.toLocaleString('en-US')} articles (section 7), by key family (\`v1:<family>:…\`), read from miniflare's files: ${fmt(storage.totalBytes / 1024 ** 2, 1)} MiB in all, **${fmt(storage.totalBytes / storage.articleBytes)}×** the \`v1:article:*\` values.`,
    '',
    table(
      ['family', 'keys', 'bytes', 'share', '× article bytes'],
      storage.families.map((f) => [
        `\`${f.family}\``,
        f.keys.toLocaleString('en-US'),
        fmtBytes(f.bytes),
        `${fmt((100 * f.bytes) / storage.totalBytes, 1)} %`,
        fmt(f.bytes / storage.articleBytes),
      ]),
    ),
  ].join('\n')
}

function routeCpuSection(sizes: RouteCpuSize[]): string {
  const first = sizes[0]!
  return [
    `The real app in the bench worker, edge cache off, each route's request repeated in batches (workerd CPU ÷ requests, median of rounds, as in section 1); KV read through: each key the route reads is fetched once from local KV and then answered from memory, so the figure is the worker's CPU, not miniflare's. Sites: ${sizes.map((s) => `${s.count.toLocaleString('en-US')} articles (${s.source})`).join('; ')}.`,
    '',
    table(
      [
        'route',
        ...sizes.flatMap((s) => [
          `status, ${s.count.toLocaleString('en-US')}`,
          `CPU ms, ${s.count.toLocaleString('en-US')}`,
        ]),
      ],
      first.routes.map((route, i) => [
        `${route.name}: \`${decodeURIComponent(sizes[sizes.length - 1]!.routes[i]!.route)}\``,
        ...sizes.flatMap((s) => [String(s.routes[i]!.status), fmt(s.routes[i]!.cpuMs, 3)]),
      ]),
    ),
  ].join('\n')
}

function freshnessSection(fresh: FreshnessResult): string {
  const ms = (v: number | undefined) =>
    v === undefined ? '–' : Number.isFinite(v) ? fmt(v, 0) : `> ${fresh.giveUpMs / 1000} s`
  return [
    `\`startSite\` (tools/start.ts, what \`npm start\` runs) on a temp project of ${fresh.count.toLocaleString('en-US')} \`.md\` articles (up in ${sec(fresh.firstPublishMs)} s). Each change: every URL is requested once, left alone for the isolate's memory copies to lapse (${'1 s'}, MEMORY_LIMITS.ttlMs — a reader who asked within that second may still get the old copy for the rest of it), then the change is written and each URL polled every 10 ms. Cells: ms from the save (or the CLI's exit) to the first response that shows it; for an unpublish, the article answering 410/404 and the lists and feeds without its title.`,
    '',
    table(
      ['change', 'session published ms', 'CLI ms', ...fresh.kinds],
      fresh.changes.map((c) => [
        c.name,
        c.publishMs === null ? '–' : fmt(c.publishMs, 0),
        c.cliMs === null ? '–' : fmt(c.cliMs, 0),
        ...fresh.kinds.map((kind) => ms(c.visibleMs[kind])),
      ]),
    ),
  ].join('\n')
}

function floodSection(flood: FloodResult): string {
  return [
    `The production worker under \`wrangler dev\` (edge cache on), ${flood.urls.toLocaleString('en-US')} distinct URLs over ${flood.connections} connections in ${sec(flood.floodMs)} s: first trailing-slash URLs with ${fmtBytes(flood.queryBytes)} queries, then distinct \`?page=\` values (statuses: ${Object.entries(
      flood.statuses,
    )
      .map(([c, n]) => `${c}×${n}`)
      .join(
        ' ',
      )}). The layer's size comes from a \`MemoryCache\` in Node fed the same responses at the same moments, each one entering it when its \`Cache-Status\` says the worker kept it.`,
    '',
    table(
      ['', 'value'],
      [
        [
          'workerd RSS before / right after / after ' + sec(flood.settleMs) + ' s',
          `${MiB(flood.rssBeforeBytes)} / ${MiB(flood.rssAfterBytes)} / ${MiB(flood.rssSettledBytes)} MiB`,
        ],
        ...flood.phases.map((phase) => [
          `after ${phase.name}, in ${sec(phase.ms)} s: workerd RSS / JS heap`,
          `${MiB(phase.rssAfterBytes)} / ${MiB(phase.heapAfterBytes)} MiB`,
        ]),
        ...flood.rssByProcess.map((rss, i) => [
          `… workerd process ${i + 1} of ${flood.rssByProcess.length}`,
          `${rss.map(MiB).join(' / ')} MiB`,
        ]),
        [
          'isolate JS heap in use, same moments (inspector)',
          flood.heapUsedBytes.map(MiB).join(' / ') + ' MiB',
        ],
        [
          'memory layer, peak entries / bytes',
          `${flood.peak.entries} / ${fmtBytes(flood.peak.bytes)}`,
        ],
        ['memory layer at the end', `${flood.end.entries} / ${fmtBytes(flood.end.bytes)}`],
        [
          'bound (MEMORY_LIMITS)',
          `${flood.limits.maxEntries} / ${fmtBytes(flood.limits.maxBytes)}`,
        ],
      ],
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
    "Reproduce: `npm run bench` (about 15–20 minutes on 2 cores, most of it the 100,000-article publishes and the flood; `-- --quick` for small sites and short runs, `-- --only=render,kv,hot,publish,watch,bundle,media,scale,storage,routes,freshness,flood` for some sections, `-- --no-write` to leave this file alone). Diagnostics used for the findings below: `npx tsx bench/profile-hot.ts` (CPU profile of the worker on the hot path), `npx tsx bench/ab.ts <worker entry>` (A/B of a prototype against today's worker), `npx tsx bench/profile-cold.ts <path>` (CPU profile of one route's cold requests) and `npx tsx bench/ab-cold.ts <base checkout>` (A/B of cold CPU per route between two checkouts, answers compared first). The code is in `bench/`; the worker under test is built once per run with `wrangler deploy --dry-run` and served with `wrangler dev` on 127.0.0.1:9401, KV and cache state in a temp directory.",
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
    parts.push(
      '',
      "### 4b. The editor's desk (`npm start`, one save at a time)",
      '',
      watchSection(r.watch),
    )
  if (r.bundle && r.startup)
    parts.push('', '### 5. Bundle and startup', '', bundleSection(r.bundle, r.startup))
  if (r.photos) parts.push('', '### 6. Photos: encoding per photo', '', photosSection(r.photos))
  // Issues 16 and 10: each section with its title, when its step ran.
  const later: [string, string | undefined][] = [
    ['7. Archive scale through the publish CLI (issue 16)', r.scale && scaleSection(r.scale)],
    ['8. KV storage by key family (issue 16)', r.storage && storageSection(r.storage)],
    ['9. Cold CPU per route (issue 16)', r.routeCpu && routeCpuSection(r.routeCpu)],
    [
      '10. Publish → visible with `npm start` running (issue 10)',
      r.freshness && freshnessSection(r.freshness),
    ],
    [
      '11. The memory layer under a flood of distinct URLs (issue 10)',
      r.flood && floodSection(r.flood),
    ],
  ]
  for (const [title, section] of later) if (section) parts.push('', `### ${title}`, '', section)
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
