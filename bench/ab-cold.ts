// A/B of cold request CPU per route (section 9's measure) between another checkout and this one:
// both bench workers built, serving copies of one 1,000-article site (or --articles N); first every route of section
// 9 and the feeds' later pages compared between the two (status, headers but Date, body), then the
// chosen routes timed in batches interleaved A B, B A, … so that both sides see the same machine
// load. Run, with the base exported beside the repo:
//   git archive <commit> | tar -x -C /tmp/base && ln -s $PWD/node_modules /tmp/base/
//   npx tsx bench/ab-cold.ts /tmp/base [--turns 30] [--routes 'RSS, page 2|home, page 2']
// The per-request CPU of a page of 20 full articles is about the same at 1,000 articles as at
// 100,000 (the reads are the same keys); 1,000 seeds in seconds.
import { cpSync, mkdirSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { goOffline } from '../src/publish/offline-env'
import { readRepoConfig, REPO } from '../tools/harness/repo-config'
import { freePort } from '../tools/harness/free-port'
import { fmt, median } from './lib/stats'
import { buildServed, startWorker, type RunningWorker } from './lib/workers'
import { routesFor } from './steps/kv-reads'
import { seedDirect, seedSite } from './steps/seed'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    turns: { type: 'string', default: '30' },
    articles: { type: 'string', default: '1000' },
    routes: { type: 'string', default: 'RSS, page 2|Atom, last page|tag JSON Feed, page 2|home, page 2|article, newest' },
  },
})
const base = positionals[0] && resolve(positionals[0])
if (!base) throw new Error('usage: npx tsx bench/ab-cold.ts <base checkout> [--turns N] [--routes "name|name"]')
goOffline()
const COUNT = Number(values.articles)
const turns = Number(values.turns)
const wanted = new Set(values.routes!.split('|'))
const tmp = mkdtempSync(join(tmpdir(), 'sahifa-ab-cold-'))
const repo = await readRepoConfig()
const feedSize = Number(repo.vars.FEED_SIZE ?? 20)
const running: RunningWorker[] = []
const BATCH_MS = 60

/** CPU ms a request of `iters` requests of `path` in one batch: workerd's CPU time ÷ iters. */
async function batch(worker: RunningWorker, path: string, iters: number): Promise<number> {
  const before = worker.cpuNs()
  const response = await fetch(`${worker.url}${path}&iters=${iters}`)
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`)
  return (worker.cpuNs() - before) / 1e6 / iters
}

// The base gets this checkout's render stamp, which the seeded site's pre-rendered first pages
// carry: both sides send those stored bytes, and render every later page with their own code.
mkdirSync(join(base, 'src/worker/generated'), { recursive: true })
copyFileSync(join(REPO, 'src/worker/generated/render-stamp.ts'), join(base, 'src/worker/generated/render-stamp.ts'))

const serve = async (name: string, main: string, state: string) => {
  const build = await buildServed(tmp, repo, name, main, { extraFlags: ['nodejs_compat'] })
  const port = await freePort(9750, 9769)
  const worker = await startWorker({ configPath: build.config(), cwd: tmp, port, persistTo: join(tmp, state), probe: '/__bench/ping' })
  running.push(worker)
  return worker
}

/** What must be identical between the sides: status, headers but Date, body. */
async function answer(worker: RunningWorker, path: string) {
  const response = await fetch(worker.url + path, { headers: { 'x-bench-edge-cache': 'off' }, redirect: 'manual' })
  const headers = [...response.headers].filter(([name]) => name !== 'date' && !name.startsWith('x-bench-'))
  return JSON.stringify({ status: response.status, headers, body: await response.text() })
}

try {
  const seeder = await serve('seed', join(REPO, 'bench/worker.ts'), 'a')
  if (COUNT <= 1000) await seedSite(seeder, COUNT, repo.vars, () => {})
  // A larger site goes straight into miniflare's files, as run.ts writes its 100,000: the
  // namespace's database made by one put first.
  else await fetch(`${seeder.url}/__bench/seed`, { method: 'POST', body: JSON.stringify([{ key: 'bench:init', value: '1' }]) })
  await seeder.stop()
  if (COUNT > 1000) seedDirect(join(tmp, 'a', 'v3', 'kv'), repo.kvId, COUNT, repo.vars, (line) => console.error(line))
  running.length = 0
  cpSync(join(tmp, 'a'), join(tmp, 'b'), { recursive: true })
  const sides = [await serve('base', join(base, 'bench/worker.ts'), 'a'), await serve('candidate', join(REPO, 'bench/worker.ts'), 'b')]
  const all = routesFor(COUNT, feedSize)
  // Besides section 9's routes: later pages of every list's feeds in every format and of its page,
  // rendered per request, and one past the end.
  const compared = [...all.map((route) => route.path), '/feed.json?page=3', '/atom.xml?page=2', '/rss.xml?page=51']
  for (const name of ['section page', 'tag page', 'author page']) {
    const list = all.find((route) => route.name === name)!.path
    compared.push(`${list}?page=2`, ...['rss.xml', 'atom.xml', 'feed.json'].map((file) => `${list}/${file}?page=2`))
  }
  const different = []
  for (const path of compared) if ((await answer(sides[0]!, path)) !== (await answer(sides[1]!, path))) different.push(path)
  console.log(`${compared.length - different.length} of ${compared.length} routes answer the same${different.map((path) => `\nDIFFERENT: ${path}`).join('')}`)
  const routes = all.filter((route) => wanted.has(route.name))
  // Each route as the bench worker times it (its status asked first), and its batch size.
  const cases = []
  for (const { name, path } of routes) {
    const response = await fetch(sides[0]!.url + path, { headers: { 'x-bench-edge-cache': 'off' }, redirect: 'manual' })
    await response.arrayBuffer()
    const benchPath = `/__bench/route?kv=live&status=${response.status}&path=${encodeURIComponent(path)}`
    for (const side of sides) await batch(side, benchPath, 20)
    const iters = Math.max(10, Math.round(BATCH_MS / (await batch(sides[0]!, benchPath, 20))))
    cases.push({ name, path: benchPath, iters, cpu: [[], []] as number[][] })
  }
  for (let turn = 0; turn < turns; turn++) {
    for (const c of cases) {
      // A B, then B A: each side goes first as often as second, next to the other in time.
      for (const side of turn % 2 === 0 ? [0, 1] : [1, 0]) c.cpu[side]!.push(await batch(sides[side]!, c.path, c.iters))
    }
  }
  console.log(`\nCPU ms a request, median of ${turns} batches a side (≈ ${BATCH_MS} ms each, interleaved); ratio = median of the batches' candidate/base`)
  for (const { name, cpu } of cases) {
    const [a, b] = cpu as [number[], number[]]
    const ratios = a.map((ms, i) => b[i]! / ms)
    const sorted = [...ratios].sort((x, y) => x - y)
    const quartile = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!
    console.log(`${name.padEnd(24)} base ${fmt(median(a), 3)}  candidate ${fmt(median(b), 3)}  ratio ${fmt(median(ratios), 3)} (quartiles ${fmt(quartile(0.25), 2)}–${fmt(quartile(0.75), 2)})`)
  }
} finally {
  for (const worker of running) await worker.stop()
  rmSync(tmp, { recursive: true, force: true })
}
