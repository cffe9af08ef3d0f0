// Where a cold request's CPU goes: a CPU profile of the bench worker's isolate while it answers one
// route again and again through the real app, edge cache off, KV read through from memory (the
// routes step's /__bench/route). Run: npx tsx bench/profile-cold.ts '/rss.xml?page=2' — prints
// the functions with the most inclusive and self time. The inspector session is bench/lib/inspector.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openInspector } from './lib/inspector'
import { goOffline } from '../src/publish/offline-env'
import { readRepoConfig } from '../tools/harness/repo-config'
import { buildServed, startWorker } from './lib/workers'
import { seedSite } from './steps/seed'
import { freePort } from '../tools/harness/free-port'
import { summarise, type Profile } from './lib/cpu-profile'

goOffline()
// A free port (other suites may run beside it), its inspector 50 above.
const PORT = await freePort(9600, 9649)
const path = process.argv[2] ?? '/rss.xml?page=2'
const running: { stop(): Promise<void> }[] = []
const tmp = mkdtempSync(join(tmpdir(), 'sahifa-profile-'))
const repo = await readRepoConfig()

try {
  // A 1,000-article site, written through the bench worker, then served by it with its inspector.
  const benchConfig = (await buildServed(tmp, repo, 'bench', 'bench/worker.ts', { extraFlags: ['nodejs_compat'] })).config()
  const worker = await startWorker({
    configPath: benchConfig,
    cwd: tmp,
    port: PORT,
    persistTo: join(tmp, 'state'),
    probe: '/__bench/ping',
  })
  running.push(worker)
  await seedSite(worker, 1000, repo.vars, () => {})
  const route = `${worker.url}/__bench/route?kv=live&path=${encodeURIComponent(path)}&iters=20`
  const status = (await fetch(`${worker.url}${path}`, { headers: { 'x-bench-edge-cache': 'off' } })).status
  for (let i = 0; i < 20; i++) await (await fetch(`${route}&status=${status}`)).arrayBuffer()
  const inspector = await openInspector(PORT + 50)
  const send = inspector.send
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 50 })
  await send('Profiler.start')
  let requests = 0
  for (const end = Date.now() + 4000; Date.now() < end; requests += 20) await (await fetch(`${route}&status=${status}`)).arrayBuffer()
  const { profile } = await send<{ profile: Profile }>('Profiler.stop')
  writeFileSync(join(tmpdir(), 'sahifa-cold.cpuprofile'), JSON.stringify(profile))
  const { busy, inclusive, self } = summarise(profile)
  console.log(`\n${path} (HTTP ${status}): ${requests} requests, isolate busy ${(busy / requests).toFixed(3)} ms a request`)
  for (const [fn, ms] of inclusive.slice(0, 30)) console.log(`${((100 * ms) / busy).toFixed(1).padStart(6)} %  ${fn}`)
  console.log('\nself time:')
  for (const [fn, ms] of self.slice(0, 25)) console.log(`${((100 * ms) / busy).toFixed(1).padStart(6)} %  ${fn}`)
  inspector.close()
} finally {
  for (const worker of running) await worker.stop()
  rmSync(tmp, { recursive: true, force: true })
}
