// Where the worker's time goes on the hot path: a CPU profile of the worker's isolate, taken
// through `wrangler dev`'s inspector while autocannon sends cached feed requests and 304s.
// Run: npx tsx bench/profile-hot.ts — prints the functions with the most inclusive time.
// The inspector session is bench/lib/inspector.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { openInspector } from './lib/inspector'
import { goOffline } from '../src/publish/offline-env'
import { readRepoConfig, writeWorkerConfig } from '../tools/harness/repo-config'
import { buildServed, startWorker } from './lib/workers'
import { seedSite } from './steps/seed'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

goOffline()
const PORT = 9431
const running: { stop(): Promise<void> }[] = []
const tmp = mkdtempSync(join(tmpdir(), 'sahifa-profile-'))
const repo = await readRepoConfig()

/** Inclusive ms per function name (each name counted once per sample), and busy ms in total. */
function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const name = byId.get(id)!.callFrame.functionName
    if (name === '(idle)' || name === '(program)') return
    busy += ms
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame
      const key = frame.functionName || '(anonymous)'
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
    }
  })
  return { busy, inclusive: [...inclusive].sort((a, b) => b[1] - a[1]) }
}

try {
  // A 1,000-article site, written through the bench worker.
  const benchConfig = writeWorkerConfig(tmp, repo, {
    name: 'bench',
    main: 'bench/worker.ts',
    extraFlags: ['nodejs_compat'],
  })
  const seeder = await startWorker({
    configPath: benchConfig,
    cwd: tmp,
    port: PORT,
    persistTo: join(tmp, 'state'),
    probe: '/__bench/ping',
  })
  running.push(seeder)
  await seedSite(seeder, 1000, repo.vars, () => {})
  await seeder.stop()
  // The production worker, built as `wrangler deploy` builds it.
  const build = await buildServed(tmp, repo, 'sahifa', repo.main)
  const worker = await startWorker({
    configPath: build.config(),
    cwd: tmp,
    port: PORT,
    persistTo: join(tmp, 'state'),
  })

  running.push(worker)
  const inspector = await openInspector(PORT + 50)
  const send = inspector.send
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 50 })

  const etag = (await fetch(`${worker.url}/rss.xml`)).headers.get('etag') ?? ''
  const cases: [string, Record<string, string>][] = [
    ['cached RSS feed', {}],
    ['304 (If-None-Match)', { 'If-None-Match': etag }],
  ]
  for (const [name, headers] of cases) {
    const url = `${worker.url}/rss.xml`
    await autocannon({ url, connections: 4, duration: 1, headers })
    await send('Profiler.start')
    const load = await autocannon({ url, connections: 8, duration: 4, headers })
    const { profile } = await send<{ profile: Profile }>('Profiler.stop')
    writeFileSync(
      join(tmpdir(), `sahifa-hot-${name.split(' ')[0]}.cpuprofile`),
      JSON.stringify(profile),
    )
    const { busy, inclusive } = summarise(profile)
    console.log(`\n${name}: ${load.requests.total} requests, isolate busy ${busy.toFixed(0)} ms`)
    for (const [fn, ms] of inclusive.slice(0, 22)) {
      console.log(`${((100 * ms) / busy).toFixed(1).padStart(6)} %  ${fn}`)
    }
  }
  inspector.close()
  await worker.stop()
} finally {
  for (const worker of running) await worker.stop()
  rmSync(tmp, { recursive: true, force: true })
}
