// `npm run bench`: builds and runs the worker in workerd on loopback with generated sites of 10,
// 1,000 and 100,000 articles, measures render cost, the hot path, KV reads, publishing, bundle
// and startup, and writes the figures to BENCHMARKS.md (between the bench markers).
// Flags: --quick (small sites, short runs: for working on the bench itself), --no-write,
// --only=render,kv,hot,publish,bundle.
import { execSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { slugOf } from './data'
import { fmt, type Target } from './lib/stats'
import { buildWorker, readRepoConfig, REPO, startWorker, writeConfig, type RunningWorker, type WorkerConfig } from './lib/wrangler'
import { renderReport, writeReport, type Results } from './report'
import { measureBundle } from './steps/bundle'
import { ASSET_PATHS, measureHotPath, writeAssets, type Pair } from './steps/hot-path'
import { countReads } from './steps/kv-reads'
import { measurePublish } from './steps/publish'
import { measureRender } from './steps/render'
import { seedDirect, seedSite } from './steps/seed'

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean' }, 'no-write': { type: 'boolean' }, only: { type: 'string' } },
})
const quick = flags.quick ?? false
const only = new Set((flags.only ?? 'render,kv,hot,publish,bundle').split(','))
const SIZES = quick ? { small: 10, hot: 300, large: 3000, publish: 100 } : { small: 10, hot: 1000, large: 100_000, publish: 1000 }
const PORT = 9401

const started = performance.now()
const log = (line: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)

const version = (pkg: string) => {
  try {
    return (JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
}
const git = (args: string) => {
  try {
    return execSync(`git ${args}`, { cwd: REPO, encoding: 'utf8' }).trim()
  } catch {
    return '?'
  }
}

const environment: Record<string, string> = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  commit: `${git('rev-parse --short HEAD')}${git('status --porcelain -- src scripts wrangler.toml') ? ' (+ uncommitted changes in src/scripts)' : ''}`,
  CPU: `${cpus()[0]?.model ?? '?'} × ${cpus().length} (nproc ${git('--version') && execSync('nproc', { encoding: 'utf8' }).trim()})`,
  memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  'load average at start': loadavg().map((l) => l.toFixed(2)).join(' '),
  kernel: release(),
  Node: process.version,
  versions: ['wrangler', 'miniflare', '@cloudflare/workerd-linux-64', 'hono', 'zod', 'feed', 'autocannon'].map((p) => `${p.replace('@cloudflare/workerd-linux-64', 'workerd')} ${version(p)}`).join(', '),
}

const tmp = mkdtempSync(join(tmpdir(), 'sahifa-bench-'))
const repo = await readRepoConfig()
const feedSize = Number(repo.vars.FEED_SIZE ?? 20)

/** Build `main` once into `dir`; the config serving the built module as it is. */
async function built(name: string, main: string, extra: Partial<WorkerConfig>) {
  const outdir = join(tmp, `build-${name}`)
  const t = performance.now()
  const output = await buildWorker(writeConfig(tmp, repo, { name: `${name}-src`, main, ...extra }), tmp, outdir)
  const entry = readdirSync(outdir).find((file) => /\.m?js$/.test(file))
  if (!entry) throw new Error(`no module in ${outdir}`)
  const buildMs = performance.now() - t
  log(`built ${main} in ${fmt(buildMs / 1000, 1)} s`)
  return { outdir, output, buildMs, config: (more: Partial<WorkerConfig> = {}) => writeConfig(tmp, repo, { name, main: join(outdir, entry), noBundle: true, ...extra, ...more }) }
}
const prodBuild = await built('sahifa', repo.main, {})
const benchConfig = (await built('sahifa-bench', 'bench/worker.ts', { extraFlags: ['nodejs_compat'] })).config()
const results: Results = { environment, command: `npm run bench${quick ? ' -- --quick' : ''}`, durationS: 0, targets: [] }
const running = new Set<RunningWorker>()

const hasSqlite = () => {
  try {
    execSync('sqlite3 -version', { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function withWorker<T>(configPath: string, state: string, use: (worker: RunningWorker) => Promise<T>, probe = '/__bench/ping'): Promise<T> {
  const worker = await startWorker({ configPath, cwd: tmp, port: PORT, persistTo: join(tmp, state), probe })
  running.add(worker)
  try {
    return await use(worker)
  } finally {
    await worker.stop()
    running.delete(worker)
  }
}

async function main() {
  // 1 and 3 (small site): render cost and KV reads with 10 articles.
  if (only.has('render') || only.has('kv')) {
    await withWorker(benchConfig, 'state-small', async (worker) => {
      log(`bench worker up in ${fmt(worker.startupMs / 1000)} s`)
      if (only.has('kv')) {
        const seed = await seedSite(worker, SIZES.small, repo.vars.SITE_URL!, log)
        results.kv = [{ count: SIZES.small, seed, routes: await countReads(worker, SIZES.small, feedSize) }]
        log(`KV reads counted at ${SIZES.small} articles`)
      }
      if (only.has('render')) results.render = await measureRender(worker, { rounds: quick ? 3 : 9, batchMs: quick ? 20 : 40, log })
    })
  }
  // 3 (large site): the same routes with 100,000 articles, written straight into the KV files.
  if (only.has('kv')) {
    const state = 'state-large'
    await withWorker(benchConfig, state, async (worker) => {
      const init = await fetch(`${worker.url}/__bench/seed`, { method: 'POST', body: JSON.stringify([{ key: 'bench:init', value: '1' }]) })
      if (init.status !== 200) throw new Error(`seed init: HTTP ${init.status}`)
    })
    let seed
    if (hasSqlite()) {
      seed = seedDirect(join(tmp, state, 'v3', 'kv'), repo.kvId, SIZES.large, repo.vars.SITE_URL!, log)
    } else {
      // Without the sqlite3 CLI, write through the binding: slow, so with short bodies.
      log('sqlite3 not found: writing the large site through the KV binding with short bodies (slow)')
      seed = await withWorker(benchConfig, state, (worker) => seedSite(worker, SIZES.large, repo.vars.SITE_URL!, log, 'short'))
    }
    log(`seeded ${SIZES.large} articles: ${seed.keys} keys, ${fmt(seed.bytes / 1024 ** 2, 0)} MiB in ${fmt(seed.writeMs / 1000, 1)} s`)
    await withWorker(benchConfig, state, async (worker) => {
      results.kv!.push({ count: SIZES.large, seed, routes: await countReads(worker, SIZES.large, feedSize) })
    })
  }
  const prodAssets = join(tmp, 'assets')
  const prodConfig = prodBuild.config({ assets: prodAssets })
  // 2 and 5: the production worker on a 1,000-article site, next to static assets of the same bytes.
  if (only.has('hot')) {
    const articlePath = `/articles/${encodeURIComponent(slugOf(SIZES.hot - 10))}`
    const bodies = await withWorker(benchConfig, 'state-hot', async (worker) => {
      results.batchedWrite = await seedSite(worker, SIZES.hot, repo.vars.SITE_URL!, log)
      const body = async (path: string) => new Uint8Array(await (await fetch(worker.url + path)).arrayBuffer())
      return { feed: await body('/rss.xml'), article: await body(articlePath), home: await body('/') }
    })
    if (repo.assetsDir && existsSync(repo.assetsDir)) cpSync(repo.assetsDir, prodAssets, { recursive: true })
    writeAssets(prodAssets, bodies)
    results.startup = []
    await withWorker(prodConfig, 'state-hot', async (worker) => void results.startup!.push(worker.startupMs), '/')
    await withWorker(prodConfig, 'state-hot', async (worker) => {
      results.startup!.push(worker.startupMs)
      const etagOf = async (path: string) => {
        const response = await fetch(worker.url + path)
        await response.arrayBuffer()
        return response.headers.get('etag') ?? ''
      }
      // Is the feed served from the edge cache? First request renders, the next ones should not.
      const timeOf = async (path: string) => {
        const t = performance.now()
        await (await fetch(worker.url + path)).arrayBuffer()
        return performance.now() - t
      }
      const coldMs = await timeOf('/atom.xml')
      await new Promise((resolve) => setTimeout(resolve, 200))
      const hotMs = Math.min(await timeOf('/atom.xml'), await timeOf('/atom.xml'), await timeOf('/atom.xml'))
      const probe = await fetch(worker.url + '/atom.xml')
      await probe.arrayBuffer()
      const cacheHeaders = [...probe.headers].filter(([name]) => /cache-status|^age$|x-cache|cf-cache/i.test(name))
      const cacheCheck = `first /atom.xml ${fmt(coldMs, 1)} ms, then ${fmt(hotMs, 1)} ms (best of 3); cache headers: ${cacheHeaders.length ? cacheHeaders.map(([k, v]) => `${k}: ${v}`).join(', ') : 'none'}; the bench worker counts 0 KV reads on the hot requests (section 3).`
      const gzip = { 'Accept-Encoding': 'gzip' }
      const [feedEtag, assetEtag] = [await etagOf('/rss.xml'), await etagOf(ASSET_PATHS.feed)]
      const pairs: Pair[] = [
        { name: 'RSS feed (edge cache)', worker: { path: '/rss.xml' }, asset: { path: ASSET_PATHS.feed }, status: 200, bytes: bodies.feed.length, target: 0.9 },
        { name: 'RSS 304 (If-None-Match)', worker: { path: '/rss.xml', headers: { 'If-None-Match': feedEtag } }, asset: { path: ASSET_PATHS.feed, headers: { 'If-None-Match': assetEtag } }, status: 304, bytes: 0, target: 0.9 },
        { name: 'article page', worker: { path: articlePath }, asset: { path: ASSET_PATHS.article }, status: 200, bytes: bodies.article.length },
        { name: 'home page', worker: { path: '/' }, asset: { path: ASSET_PATHS.home }, status: 200, bytes: bodies.home.length },
        // What aggregators send: workerd then compresses each response, on both sides.
        { name: 'RSS feed, Accept-Encoding: gzip', worker: { path: '/rss.xml', headers: gzip }, asset: { path: ASSET_PATHS.feed, headers: gzip }, status: 200, bytes: bodies.feed.length },
      ]
      const settings = { rounds: quick ? 1 : 4, duration: quick ? 1 : 3, connections: 8 }
      results.hot = { pairs: await measureHotPath(worker.url, pairs, { ...settings, log }), ...settings, site: SIZES.hot, cacheCheck }
    }, '/')
    // The same feed with the edge cache off: every request reads KV and renders (a cache miss).
    const uncached = prodBuild.config({ name: 'sahifa-uncached', assets: prodAssets, vars: { EDGE_CACHE: 'off' } })
    await withWorker(uncached, 'state-hot', async (worker) => {
      const pair: Pair = { name: 'RSS feed, edge cache off (KV read + render per request)', worker: { path: '/rss.xml' }, asset: { path: ASSET_PATHS.feed }, status: 200, bytes: bodies.feed.length }
      const settings = { rounds: quick ? 1 : 2, duration: quick ? 1 : 3, connections: 8 }
      results.hot!.pairs.push(...(await measureHotPath(worker.url, [pair], { ...settings, log })))
    }, '/')
  }
  // 4: the real publish CLI.
  if (only.has('publish')) results.publish = await measurePublish(join(tmp, 'publish'), SIZES.publish, log)
  // 5: bundle size.
  if (only.has('bundle')) results.bundle = await measureBundle(prodBuild.outdir, prodBuild.output, prodBuild.buildMs)
}

function targets(): Target[] {
  const t: Target[] = []
  for (const format of ['rss', 'atom', 'json']) {
    const ours = results.render?.find((r) => r.label === `${format} 50 ours`)
    const feed = results.render?.find((r) => r.label === `${format} 50 feed`)
    if (!ours || !feed) continue
    const speedup = feed.cpuMs / ours.cpuMs
    t.push({ name: `cold 50-item ${format.toUpperCase()} render ≤ 1 ms CPU median`, measured: `${fmt(ours.cpuMs, 3)} ms`, pass: ours.cpuMs <= 1 })
    t.push({ name: `… at least 2× faster than \`feed\``, measured: `${fmt(speedup)}× (${fmt(feed.cpuMs, 3)} ms)`, pass: speedup >= 2 })
  }
  for (const route of results.render?.filter((r) => r.group === 'route' && / 50$/.test(r.label)) ?? []) {
    t.push({ name: `(context) whole cold request, ${route.label}, < 10 ms CPU (free plan)`, measured: `${fmt(route.cpuMs, 3)} ms`, pass: route.cpuMs < 10 })
  }
  for (const pair of results.hot?.pairs ?? []) {
    if (pair.target) t.push({ name: `hot path: ${pair.name} ≥ ${pair.target}× static asset`, measured: `${fmt(pair.rpsRatio)}×`, pass: pair.rpsRatio >= pair.target })
  }
  if (results.kv && results.kv.length > 1) {
    const [small, large] = [results.kv[0]!, results.kv[results.kv.length - 1]!]
    const worst = Math.max(...[...small.routes, ...large.routes].map((r) => r.coldOps))
    // Same URL, answered 200 at both sizes: the reads must be equal (a last page differs in URL).
    const grows = small.routes
      .filter((r, i) => r.route === large.routes[i]!.route && r.status === 200 && large.routes[i]!.status === 200 && large.routes[i]!.coldOps > r.coldOps)
      .map((r) => r.name)
    t.push({ name: '≤ 2 KV reads per request on every route (cold)', measured: `max ${worst}`, pass: worst <= 2 })
    t.push({ name: `… independent of article count (${small.count} vs ${large.count.toLocaleString('en-US')})`, measured: grows.length ? `grows on ${grows.join(', ')}` : 'same on every route', pass: grows.length === 0 })
  }
  const [first, again] = results.publish ?? []
  if (first) t.push({ name: `publish of ${SIZES.publish.toLocaleString('en-US')} articles ≤ 10 s`, measured: `${fmt(first.ms / 1000, 1)} s, ${first.keysWritten ?? '?'} keys`, pass: first.exitCode === 0 && first.ms <= 10_000 })
  if (again) t.push({ name: 'no-change re-run writes 0 keys in ≤ 3 s', measured: `${again.keysWritten ?? '?'} keys in ${fmt(again.ms / 1000, 1)} s`, pass: again.exitCode === 0 && again.keysWritten === 0 && again.ms <= 3000 })
  if (results.bundle) t.push({ name: 'bundle ≤ 150 KiB gzip', measured: `${fmt(results.bundle.gzipBytes / 1024, 1)} KiB`, pass: results.bundle.gzipBytes <= 150 * 1024 })
  return t
}

try {
  await main()
} finally {
  for (const worker of running) await worker.stop()
}
results.durationS = (performance.now() - started) / 1000
results.targets = targets()
const findingsPath = join(REPO, 'bench', 'FINDINGS.md')
if (!quick && existsSync(findingsPath)) results.findings = readFileSync(findingsPath, 'utf8')
const section = renderReport(results)
if (!flags['no-write']) writeReport(join(REPO, 'BENCHMARKS.md'), section)
console.log(section)
for (const target of results.targets) log(`${target.pass === null ? 'n/a ' : target.pass ? 'PASS' : 'MISS'} ${target.name}: ${target.measured}`)
rmSync(tmp, { recursive: true, force: true })
log(`done in ${fmt(results.durationS, 0)} s`)
