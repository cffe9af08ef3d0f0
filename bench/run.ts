// `npm run bench`: builds and runs the worker in workerd on loopback with generated sites of 10,
// 1,000 and 100,000 articles, measures render cost, the hot path, KV reads, publishing, bundle
// and startup, and writes the figures to BENCHMARKS.md (between the bench markers).
// Issues 16 and 10 add: the archive through the publish CLI at three sizes, KV storage by key
// family, cold CPU per route, publish → visible under `npm start`, and the memory layer under a
// flood of distinct URLs.
// Flags: --quick (small sites, short runs: for working on the bench itself), --no-write,
// --only=render,kv,hot,publish,watch,bundle,media,scale,storage,routes,freshness,flood.
import { execSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
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
import { seedDirect, seedSite, type SeedResult } from './steps/seed'
import { measureFlood } from './steps/flood'
import { measureFreshness } from './steps/freshness'
import { measureRouteCpu } from './steps/route-cpu'
import { measureScale } from './steps/scale'
import { measureStorage } from './steps/storage'
import { storedArticle } from './data'

goOffline()
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    only: { type: 'string' },
  },
})
const quick = flags.quick ?? false
const ALL = 'render,kv,hot,publish,watch,bundle,media,scale,storage,routes,freshness,flood'
const only = new Set((flags.only ?? ALL).split(','))
const SIZES = quick
  ? {
      small: 10,
      hot: 300,
      large: 3000,
      publish: 100,
      watch: 300,
      scale: [100, 1000, 3000],
      freshness: 100,
      flood: 2000,
    }
  : {
      small: 10,
      hot: 1000,
      large: 100_000,
      publish: 1000,
      watch: 10_000,
      scale: [100, 10_000, 100_000],
      freshness: 300,
      flood: 10_000,
    }
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
    persistTo: isAbsolute(state) ? state : join(tmp, state),
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

/** The large site in local KV: the one the scale step published through the CLI, else the bench's own. */
let largeSite: { state: string; seed: SeedResult } | undefined
let builtByCli: { count: number; state: string; publishMs: number } | undefined

async function largeState(): Promise<{ state: string; seed: SeedResult }> {
  if (largeSite) return largeSite
  if (builtByCli?.count === SIZES.large && hasSqlite()) {
    const storage = results.storage ?? measureStorage(builtByCli.state, repo.kvId, SIZES.large)
    const seed: SeedResult = {
      count: SIZES.large,
      bodies: 'full',
      keys: storage.families.reduce((n, f) => n + f.keys, 0),
      bytes: storage.totalBytes,
      buildMs: 0,
      writeMs: builtByCli.publishMs,
      via: 'the publish CLI (section 7)',
    }
    return (largeSite = { state: builtByCli.state, seed })
  }
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
      repo.vars,
      log,
    )
  } else {
    // Without the sqlite3 CLI, write through the binding: slow, so with short bodies.
    log('sqlite3 not found: writing the large site through the KV binding with short bodies (slow)')
    seed = await withWorker(benchConfig, state, (worker) =>
      seedSite(worker, SIZES.large, repo.vars, log, 'short'),
    )
  }
  log(
    `seeded ${SIZES.large} articles: ${seed.keys} keys, ${fmt(seed.bytes / 1024 ** 2, 0)} MiB in ${fmt(seed.writeMs / 1000, 1)} s`,
  )
  return (largeSite = { state, seed })
}

async function main() {
  // 7 and 8: the archive through the publish CLI; the largest site's KV by key family.
  if (only.has('scale') || only.has('storage')) {
    const scale = await measureScale(join(tmp, 'scale'), SIZES.scale, log, !only.has('scale'))
    if (only.has('scale')) results.scale = scale
    if (scale.built) {
      const full = scale.sizes.find((size) => size.count === scale.built!.count)!.runs[0]!
      builtByCli = {
        count: scale.built.count,
        state: join(scale.built.project, '.wrangler', 'state'),
        publishMs: full.ms,
      }
      if (only.has('storage') && hasSqlite())
        results.storage = measureStorage(builtByCli.state, repo.kvId, scale.built.count)
    }
  }
  // 9: cold CPU per route, on 10 articles and on the large site.
  if (only.has('routes')) {
    const settings = { rounds: quick ? 3 : 5, batchMs: quick ? 20 : 30, log }
    results.routeCpu = []
    await withWorker(benchConfig, 'state-routes', async (worker) => {
      await seedSite(worker, SIZES.small, repo.vars, log)
      results.routeCpu!.push({
        count: SIZES.small,
        source: 'written by the bench',
        routes: await measureRouteCpu(worker, SIZES.small, feedSize, settings),
      })
    })
    const large = await largeState()
    await withWorker(benchConfig, large.state, async (worker) => {
      results.routeCpu!.push({
        count: SIZES.large,
        source: large.seed.via ?? "written by the bench into miniflare's files",
        routes: await measureRouteCpu(worker, SIZES.large, feedSize, settings),
      })
    })
    log('cold CPU per route measured')
  }
  // 1 and 3 (small site): render cost and KV reads with 10 articles.
  if (only.has('render') || only.has('kv')) {
    await withWorker(benchConfig, 'state-small', async (worker) => {
      log(`bench worker up in ${fmt(worker.startupMs / 1000)} s`)
      if (only.has('kv')) {
        const seed = await seedSite(worker, SIZES.small, repo.vars, log)
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
  // 3 (large site): the same routes with 100,000 articles (from the scale step when it built them).
  if (only.has('kv')) {
    const large = await largeState()
    await withWorker(benchConfig, large.state, async (worker) => {
      results.kv!.push({
        count: SIZES.large,
        seed: large.seed,
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
      results.batchedWrite = await seedSite(worker, SIZES.hot, repo.vars, log)
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
        const photo = photoPair(
          variant.path,
          variant.bytes,
          'edge cache off: an R2 read per request',
        )
        const settings = { rounds: quick ? 1 : 2, duration: quick ? 1 : 3, connections: 8 }
        results.hot!.pairs.push(
          ...(await measureHotPath(worker, [pair, photo], { ...settings, log })),
        )
      },
      '/',
    )
  }
  // 4: the real publish CLI.
  if (only.has('publish'))
    results.publish = await measurePublish(join(tmp, 'publish'), SIZES.publish, log)
  // 6: npm start's watch mode, one save at a time.
  if (only.has('watch')) results.watch = await measureWatch(join(tmp, 'watch'), SIZES.watch, log)
  // 10: publish → visible with npm start running.
  if (only.has('freshness'))
    results.freshness = await measureFreshness(join(tmp, 'freshness'), SIZES.freshness, log)
  // 11: the memory layer under a flood of distinct URLs, production worker, edge cache on.
  if (only.has('flood')) {
    const count = 100
    await withWorker(benchConfig, 'state-flood', (worker) =>
      seedSite(worker, count, repo.vars, log),
    )
    const tag = encodeURIComponent(storedArticle(count - 1, count, 'x').tags[0]!)
    await withWorker(
      prodBuild.config(),
      'state-flood',
      async (worker) => {
        results.flood = await measureFlood(worker, {
          urls: SIZES.flood,
          tag,
          siteOrigin: new URL(repo.vars.SITE_URL!).origin,
          log,
        })
      },
      '/',
    )
  }
  // 5: bundle size.
  if (only.has('bundle')) results.bundle = await measureBundle(prodBuild)
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
