// `npm run bench`: builds and runs the worker in workerd on loopback with generated sites of 10,
// 1,000 and 100,000 articles, measures render cost, the hot path, KV reads, publishing, bundle
// and startup, and writes the figures to BENCHMARKS.md (between the bench markers).
// Flags: --quick (small sites, short runs: for working on the bench itself), --no-write,
// --only=render,kv,hot,publish,watch,bundle,media.
import { execSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { slugOf } from './data'
import { describeEnvironment } from './environment'
import { fmt } from './lib/stats'
import { targets } from './targets'
import { goOffline } from '../src/publish/offline-env'
import { readRepoConfig, REPO, type WorkerConfig } from '../tools/harness/repo-config'
import { buildServed, startWorker, type RunningWorker } from './lib/workers'
import { renderReport, writeReport, type Results } from './report'
import { measureBundle } from './steps/bundle'
import {
  ASSET_PATHS,
  checkEdgeCache,
  hotPairs,
  measureHotPath,
  photoPair,
  writeAssets,
  type Pair,
} from './steps/hot-path'
import { benchVariant, measureEncoding, seedMediaBucket } from './steps/media'
import { countReads } from './steps/kv-reads'
import { measurePublish } from './steps/publish-cli-runs'
import { measureRender } from './steps/render'
import { measureWatch } from './steps/watch'
import { seedDirect, seedSite } from './steps/seed'

goOffline()
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    only: { type: 'string' },
  },
})
const quick = flags.quick ?? false
const only = new Set((flags.only ?? 'render,kv,hot,publish,watch,bundle,media').split(','))
const SIZES = quick
  ? { small: 10, hot: 300, large: 3000, publish: 100, watch: 300 }
  : { small: 10, hot: 1000, large: 100_000, publish: 1000, watch: 10_000 }
const PORT = 9401

const started = performance.now()
const log = (line: string) =>
  console.error(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`,
  )

const tmp = mkdtempSync(join(tmpdir(), 'sahifa-bench-'))
const repo = await readRepoConfig()
const feedSize = Number(repo.vars.FEED_SIZE ?? 20)

/** Build `main` once, logged. */
async function built(name: string, main: string, extra: WorkerConfig = {}) {
  const build = await buildServed(tmp, repo, name, main, extra)
  log(`built ${main} in ${fmt(build.buildMs / 1000, 1)} s`)
  return build
}
const prodBuild = await built('sahifa', repo.main)
const benchConfig = (
  await built('sahifa-bench', 'bench/worker.ts', { extraFlags: ['nodejs_compat'] })
).config()
const results: Results = {
  environment: describeEnvironment(),
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
  durationS: 0,
  targets: [],
}
const running = new Set<RunningWorker>()

const hasSqlite = () => {
  try {
    execSync('sqlite3 -version', { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function withWorker<T>(
  configPath: string,
  state: string,
  use: (worker: RunningWorker) => Promise<T>,
  probe = '/__bench/ping',
): Promise<T> {
  const worker = await startWorker({
    configPath,
    cwd: tmp,
    port: PORT,
    persistTo: join(tmp, state),
    probe,
  })
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
        results.kv = [
          { count: SIZES.small, seed, routes: await countReads(worker, SIZES.small, feedSize) },
        ]
        log(`KV reads counted at ${SIZES.small} articles`)
      }
      if (only.has('render'))
        results.render = await measureRender(worker, {
          rounds: quick ? 3 : 9,
          batchMs: quick ? 20 : 40,
          log,
        })
    })
  }
  // 3 (large site): the same routes with 100,000 articles, written straight into the KV files.
  if (only.has('kv')) {
    const state = 'state-large'
    await withWorker(benchConfig, state, async (worker) => {
      const init = await fetch(`${worker.url}/__bench/seed`, {
        method: 'POST',
        body: JSON.stringify([{ key: 'bench:init', value: '1' }]),
      })
      if (init.status !== 200) throw new Error(`seed init: HTTP ${init.status}`)
    })
    let seed
    if (hasSqlite()) {
      seed = seedDirect(
        join(tmp, state, 'v3', 'kv'),
        repo.kvId,
        SIZES.large,
        repo.vars.SITE_URL!,
        log,
      )
    } else {
      // Without the sqlite3 CLI, write through the binding: slow, so with short bodies.
      log(
        'sqlite3 not found: writing the large site through the KV binding with short bodies (slow)',
      )
      seed = await withWorker(benchConfig, state, (worker) =>
        seedSite(worker, SIZES.large, repo.vars.SITE_URL!, log, 'short'),
      )
    }
    log(
      `seeded ${SIZES.large} articles: ${seed.keys} keys, ${fmt(seed.bytes / 1024 ** 2, 0)} MiB in ${fmt(seed.writeMs / 1000, 1)} s`,
    )
    await withWorker(benchConfig, state, async (worker) => {
      results.kv!.push({
        count: SIZES.large,
        seed,
        routes: await countReads(worker, SIZES.large, feedSize),
      })
    })
  }
  const prodAssets = join(tmp, 'assets')
  const prodConfig = prodBuild.config({ assets: prodAssets })
  // 2 and 5: the production worker on a 1,000-article site, next to static assets of the same bytes.
  if (only.has('hot')) {
    const articlePath = `/articles/${encodeURIComponent(slugOf(SIZES.hot - 10))}`
    const bodies = await withWorker(benchConfig, 'state-hot', async (worker) => {
      results.batchedWrite = await seedSite(worker, SIZES.hot, repo.vars.SITE_URL!, log)
      const body = async (path: string) =>
        new Uint8Array(await (await fetch(worker.url + path)).arrayBuffer())
      return {
        feed: await body('/rss.xml'),
        article: await body(articlePath),
        home: await body('/'),
      }
    })
    if (repo.assetsDir && existsSync(repo.assetsDir))
      cpSync(repo.assetsDir, prodAssets, { recursive: true })
    // A photo variant in the MEDIA bucket the worker serves, and the same bytes as an asset.
    const variant = await benchVariant()
    await seedMediaBucket(join(tmp, 'state-hot'), repo.mediaBucket, variant)
    writeAssets(prodAssets, { ...bodies, photo: variant.data })
    results.startup = []
    await withWorker(
      prodConfig,
      'state-hot',
      async (worker) => void results.startup!.push(worker.startupMs),
      '/',
    )
    await withWorker(
      prodConfig,
      'state-hot',
      async (worker) => {
        results.startup!.push(worker.startupMs)
        const cacheCheck = await checkEdgeCache(worker.url)
        const pairs = [
          ...(await hotPairs(worker.url, bodies, articlePath)),
          photoPair(variant.path, variant.bytes, 'Cache API', 0.9),
        ]
        const settings = { rounds: quick ? 1 : 4, duration: quick ? 1 : 3, connections: 8 }
        results.hot = {
          pairs: await measureHotPath(worker, pairs, { ...settings, log }),
          ...settings,
          site: SIZES.hot,
          cacheCheck,
        }
      },
      '/',
    )
    // The same feed with the edge cache off: every request reads KV and renders (a cache miss).
    const uncached = prodBuild.config({
      name: 'sahifa-uncached',
      assets: prodAssets,
      vars: { EDGE_CACHE: 'off' },
    })
    await withWorker(
      uncached,
      'state-hot',
      async (worker) => {
        const pair: Pair = {
          name: 'RSS feed, edge cache off (KV read + render per request)',
          worker: { path: '/rss.xml' },
          asset: { path: ASSET_PATHS.feed },
          status: 200,
          bytes: bodies.feed.length,
        }
        const photo = photoPair(variant.path, variant.bytes, 'edge cache off: an R2 read per request')
        const settings = { rounds: quick ? 1 : 2, duration: quick ? 1 : 3, connections: 8 }
        results.hot!.pairs.push(...(await measureHotPath(worker, [pair, photo], { ...settings, log })))
      },
      '/',
    )
  }
  // 4: the real publish CLI.
  if (only.has('publish'))
    results.publish = await measurePublish(join(tmp, 'publish'), SIZES.publish, log)
  // 6: npm start's watch mode, one save at a time.
  if (only.has('watch')) results.watch = await measureWatch(join(tmp, 'watch'), SIZES.watch, log)
  // 5: bundle size.
  if (only.has('bundle'))
    results.bundle = await measureBundle(prodBuild)
  // 6: the publish's photo encoder, per photo.
  if (only.has('media')) results.photos = await measureEncoding(quick ? 2 : 5, log)
}

try {
  await main()
} finally {
  for (const worker of running) await worker.stop()
  // The large site is ~3 GiB of files: never leave it behind, also after a failure.
  rmSync(tmp, { recursive: true, force: true })
}
results.durationS = (performance.now() - started) / 1000
results.targets = targets(results, SIZES.publish)
const findingsPath = join(REPO, 'bench', 'FINDINGS.md')
if (!quick && existsSync(findingsPath)) results.findings = readFileSync(findingsPath, 'utf8')
const section = renderReport(results)
if (!flags['no-write']) writeReport(join(REPO, 'BENCHMARKS.md'), section)
console.log(section)
for (const target of results.targets)
  log(
    `${target.pass === null ? 'n/a ' : target.pass ? 'PASS' : 'MISS'} ${target.name}: ${target.measured}`,
  )
log(`done in ${fmt(results.durationS, 0)} s`)
