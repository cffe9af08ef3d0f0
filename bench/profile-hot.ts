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
import { summarise, type Profile } from './lib/cpu-profile'

goOffline()
const PORT = 9431
const running: { stop(): Promise<void> }[] = []
const tmp = mkdtempSync(join(tmpdir(), 'sahifa-profile-'))
const repo = await readRepoConfig()

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
