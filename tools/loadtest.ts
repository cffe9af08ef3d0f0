// Load test (`npm run loadtest`): the real articles/ published by the publish pipeline to a temp
// local KV, `wrangler dev` on a loopback port (9300–9349), then autocannon for 60 s with mixed
// routes, unconditional and conditional (304) requests. Passes only with zero errors, zero
// timeouts and nothing but 2xx/3xx; samples workerd's RSS every second (reported) and records the result in
// BENCHMARKS.md between the loadtest markers (nothing else in the file is touched).
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import autocannon from 'autocannon'
import { goOffline } from '../src/publish/offline-env'
import { buildAssets } from '../src/publish/stylesheet-asset'
import { freePort } from './harness/free-port'
import { requestMix } from './harness/request-mix'
import { publishToLocalKv } from './harness/local-publish'
import { readRepoConfig, writeWorkerConfig, type RepoConfig } from './harness/repo-config'
import { bundleWorker } from './harness/worker-bundle'
import { startWranglerDev } from './harness/wrangler-dev'

const DURATION_SECONDS = Number(process.env.LOADTEST_DURATION ?? 60)
const CONNECTIONS = 10
const COMMAND = 'npm run loadtest'
const BENCHMARKS = resolve('BENCHMARKS.md')
const START = '<!-- loadtest:start -->'
const END = '<!-- loadtest:end -->'
/** Growth of workerd's RSS over the second half of the run that still counts as flat (reported, not asserted). */
const MAX_RSS_GROWTH_MIB = 64

const run = promisify(execFile)

/** Resident memory of the workerd processes in `pgid`'s process group, in MiB. */
async function workerdRssMiB(pgid: number): Promise<number> {
  const { stdout } = await run('ps', ['-eo', 'pgid=,rss=,comm='])
  let kib = 0
  for (const line of stdout.split('\n')) {
    const [group, rss, command] = line.trim().split(/\s+/)
    if (Number(group) === pgid && command?.includes('workerd')) kib += Number(rss)
  }
  return kib / 1024
}

async function startServer(repo: RepoConfig) {
  await buildAssets()
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-loadtest-'))
  const port = await freePort(9300, 9349)
  const inspectorPort = await freePort(9300, 9349, [port])
  const url = `http://127.0.0.1:${port}`
  // The worker bundled as deploy builds it and the static files copied, both into `dir`: edits
  // others make to src/ or public/ during the run can't make wrangler dev reload under load.
  const bundle = await bundleWorker({ outdir: join(dir, 'dist') })
  await cp('public', join(dir, 'public'), { recursive: true })
  const edgeCache = process.env.LOADTEST_EDGE_CACHE
  const config = writeWorkerConfig(dir, repo, {
    main: bundle.main,
    noBundle: true,
    assets: join(dir, 'public'),
    vars: { SITE_URL: url, ...(edgeCache ? { EDGE_CACHE: edgeCache } : {}) },
  })
  await publishToLocalKv(config)
  return startWranglerDev({
    args: ['--config', config, '--persist-to', join(dir, '.wrangler', 'state')],
    port,
    inspectorPort,
    dir,
  })
}

const mib = (value: number) => `${value.toFixed(0)} MiB`

async function record(section: string) {
  let text = ''
  try {
    text = await readFile(BENCHMARKS, 'utf8')
  } catch {
    text = '# Benchmarks\n'
  }
  const block = `${START}\n${section}\n${END}`
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  text =
    start !== -1 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n${block}\n`
  await writeFile(BENCHMARKS, text)
}

async function main() {
  goOffline()
  const repo = await readRepoConfig()
  const server = await startServer(repo)
  try {
    const specs = await requestMix(repo, server.url)
    // Warm-up (not measured): 5 s of the same load, so the RSS baseline is after JIT, first renders
    // and cache fills, and growth during the run means a leak.
    await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: 5,
      timeout: 10,
      requests: specs,
    })
    const rss: number[] = [await workerdRssMiB(server.pgid)]
    const sampler = setInterval(() => {
      workerdRssMiB(server.pgid).then(
        (value) => rss.push(value),
        () => {},
      )
    }, 1_000)
    const result = await autocannon({
      url: server.url,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
      timeout: 10,
      requests: specs,
    })
    clearInterval(sampler)
    rss.push(await workerdRssMiB(server.pgid))

    const statuses = {
      '2xx': result['2xx'],
      '3xx': result['3xx'],
      '4xx': result['4xx'],
      '5xx': result['5xx'],
    }
    // Flat means no growth once the heap has settled: the second half of the run, not the first.
    const growth = rss.at(-1)! - rss[Math.floor(rss.length / 2)]!
    const failures = [
      result.errors > 0 && `${result.errors} connection errors`,
      result.timeouts > 0 && `${result.timeouts} timeouts`,
      result['4xx'] + result['5xx'] + result['1xx'] > 0 &&
        `responses other than 2xx/3xx: ${JSON.stringify(statuses)}`,
    ].filter(Boolean)
    const flat = growth <= MAX_RSS_GROWTH_MIB

    const cpu = cpus()
    const wrangler = createRequire(import.meta.url)('wrangler/package.json') as { version: string }
    const section = [
      `## Load test (\`${COMMAND}\`)`,
      '',
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${COMMAND}\` (tools/loadtest.ts).`,
      `The real \`articles/\` published by the publish pipeline to a temp local KV, the worker as \`wrangler deploy\` bundles it under \`wrangler dev\` (wrangler ${wrangler.version},`,
      `edge cache as configured in wrangler.toml) on 127.0.0.1, autocannon ${CONNECTIONS} connections for ${DURATION_SECONDS} s`,
      `over ${specs.length} requests in turn: ${new Set(specs.map((spec) => spec.path)).size} routes (home, article, section,`,
      'tag and tag-feed pages, RSS, Atom, JSON Feed, sitemaps, robots.txt), each unconditional, with',
      '`If-None-Match` and with `If-Modified-Since` (304s); after a 5 s warm-up at the same load.',
      '',
      `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Linux ${release()},`,
      `Node ${process.version}. Load generator and server share the machine (and its 2 cores with other work).`,
      '',
      '| measure | value |',
      '|---|---|',
      `| requests | ${result.requests.total} (${result.requests.average.toFixed(0)} req/s average) |`,
      `| latency p50 / p99 / max | ${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms |`,
      `| status 2xx / 3xx / 4xx / 5xx | ${statuses['2xx']} / ${statuses['3xx']} / ${statuses['4xx']} / ${statuses['5xx']} |`,
      `| errors / timeouts | ${result.errors} / ${result.timeouts} |`,
      `| workerd RSS after warm-up / half-way / peak / end | ${mib(rss[0]!)} / ${mib(rss[Math.floor(rss.length / 2)]!)} / ${mib(Math.max(...rss))} / ${mib(rss.at(-1)!)} |`,
      `| workerd RSS every 5 s | ${rss
        .filter((_, i) => i % 5 === 0)
        .map((value) => value.toFixed(0))
        .join(', ')} MiB |`,
      '',
      failures.length === 0
        ? `Result: **pass** — zero errors, zero non-2xx/3xx.`
        : `Result: **fail** — ${failures.join('; ')}.`,
      '',
      flat
        ? `Memory: flat — workerd RSS grew ${mib(growth)} over the second half of the run (at most ${MAX_RSS_GROWTH_MIB} MiB counts as flat).`
        : `Memory: **not flat** — workerd RSS grew ${mib(growth)} over the second half of the run (more than ${MAX_RSS_GROWTH_MIB} MiB). ` +
          'Reported, not asserted: the same growth shows with the edge cache off and with only 200s or only 304s, ' +
          'under wrangler dev (inspector attached); see docs/security.md.',
    ].join('\n')
    console.log(section)
    await record(section)
    console.log(`\nrecorded in ${BENCHMARKS}`)
    if (failures.length > 0) {
      console.error(
        `\nwrangler dev output (last 40 lines):\n${server.output().split('\n').slice(-40).join('\n')}`,
      )
      process.exitCode = 1
    }
  } finally {
    await server.stop()
  }
}

await main()
