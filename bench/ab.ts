// A/B of a worker entry against today's on the hot path: both built like production, serving
// the same 1,000-article site side by side, loaded in alternating order (cached feed, then 304).
// Run: npx tsx bench/ab.ts <worker entry> [--rounds 4]
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { median } from './lib/stats'
import { goOffline } from '../src/publish/offline-env'
import { readRepoConfig, writeWorkerConfig } from '../tools/harness/repo-config'
import { buildServed, startWorker, type RunningWorker } from './lib/workers'
import { seedSite } from './steps/seed'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '4' } },
})
goOffline()
const candidate = positionals[0]
if (!candidate) throw new Error('usage: npx tsx bench/ab.ts <worker entry> [--rounds N]')
const rounds = Number(values.rounds)
const tmp = mkdtempSync(join(tmpdir(), 'sahifa-ab-'))
const repo = await readRepoConfig()
const running: RunningWorker[] = []

async function serve(name: string, main: string, port: number, state: string) {
  const build = await buildServed(tmp, repo, name, main)
  const worker = await startWorker({
    configPath: build.config(),
    cwd: tmp,
    port,
    persistTo: join(tmp, state),
  })
  running.push(worker)
  return worker
}

try {
  const benchConfig = writeWorkerConfig(tmp, repo, {
    name: 'bench',
    main: 'bench/worker.ts',
    extraFlags: ['nodejs_compat'],
  })
  const seeder = await startWorker({
    configPath: benchConfig,
    cwd: tmp,
    port: 9432,
    persistTo: join(tmp, 'a'),
    probe: '/__bench/ping',
  })
  running.push(seeder)
  await seedSite(seeder, 1000, repo.vars, () => {})
  await seeder.stop()
  cpSync(join(tmp, 'a'), join(tmp, 'b'), { recursive: true })
  const sides = [
    await serve('today', repo.main, 9433, 'a'),
    await serve('candidate', candidate, 9434, 'b'),
  ]
  for (const side of sides)
    await autocannon({ url: `${side.url}/rss.xml`, connections: 4, duration: 1 })
  const etag = (await fetch(`${sides[0]!.url}/rss.xml`)).headers.get('etag') ?? ''
  for (const [name, headers] of [
    ['cached RSS feed', {}],
    ['304', { 'If-None-Match': etag }],
  ] as const) {
    const rps: number[][] = [[], []]
    const cpu: number[][] = [[], []]
    for (let round = 0; round < rounds; round++) {
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const side = sides[i]!
        const before = side.cpuNs()
        const load = await autocannon({
          url: `${side.url}/rss.xml`,
          connections: 8,
          duration: 3,
          headers,
        })
        rps[i]!.push(load.requests.total / 3)
        cpu[i]!.push((side.cpuNs() - before) / 1000 / load.requests.total)
      }
    }
    const ratio = median(rps[1]!.map((r, i) => r / rps[0]![i]!))
    console.log(
      `${name}: today ${median(rps[0]!).toFixed(0)} req/s, ${median(cpu[0]!).toFixed(0)} µs CPU/req; ` +
        `candidate ${median(rps[1]!).toFixed(0)} req/s, ${median(cpu[1]!).toFixed(0)} µs CPU/req; ` +
        `candidate ÷ today ${ratio.toFixed(2)}× (median of ${rounds} paired rounds)`,
    )
  }
} finally {
  for (const worker of running) await worker.stop()
  rmSync(tmp, { recursive: true, force: true })
}
