// The benchmark's workers: builds as `wrangler deploy` makes them, served by the harness's
// `wrangler dev` (tools/harness/wrangler-dev.ts) from a temp directory with KV persisted there,
// never in the repo's .wrangler/state — plus the CPU time their workerd processes use.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  writeWorkerConfig,
  type RepoConfig,
  type WorkerConfig,
} from '../../tools/harness/repo-config'
import { bundleWorker, type WorkerBundle } from '../../tools/harness/worker-bundle'
import { startWranglerDev, type WranglerDev } from '../../tools/harness/wrangler-dev'

/** wrangler's output without colour codes, so its "Total Upload" line can be read. */
const PLAIN_OUTPUT = { NO_COLOR: '1' }

export interface RunningWorker extends WranglerDev {
  /**
   * CPU time (ns) used so far by every workerd under this `wrangler dev` (wrangler 4 runs the
   * worker in one workerd and a proxy in front of it in another).
   */
  cpuNs(): number
  /** Resident memory (bytes) of those workerd processes now, in all and each by its pid. */
  rssBytes(): number
  rssByProcess(): Map<number, number>
  /** Where the worker's inspector listens (lib/inspector.ts). */
  inspectorPort: number
}

export interface ServedBuild extends WorkerBundle {
  /** A config serving the built module as it is, with `more` on top of the build's settings. */
  config(more?: WorkerConfig): string
}

/** Build `main` once into `<tmp>/build-<name>`, as deploy builds it. */
export async function buildServed(
  tmp: string,
  repo: RepoConfig,
  name: string,
  main: string,
  extra: WorkerConfig = {},
): Promise<ServedBuild> {
  const bundle = await bundleWorker({
    outdir: join(tmp, `build-${name}`),
    config: writeWorkerConfig(tmp, repo, { name: `${name}-src`, main, ...extra }),
    cwd: tmp,
    env: PLAIN_OUTPUT,
  })
  return {
    ...bundle,
    config: (more = {}) =>
      writeWorkerConfig(tmp, repo, { name, main: bundle.main, noBundle: true, ...extra, ...more }),
  }
}

/** Every descendant of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // The process ended while we looked: it is nobody's descendant any more.
    }
  }
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child)
      queue.push(child)
    }
  }
  return out
}

const commOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

/** Resident memory of the process (bytes), from /proc/<pid>/status; 0 once it has ended. */
function processRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** CPU time (ns) the process has used, summed over its threads (schedstat: ns resolution). */
function processCpuNs(pid: number): number {
  let total = 0
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return 0
  }
  for (const tid of tids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // A thread that just exited: its time is lost either way.
    }
  }
  return total
}

const inspectorPortOf = (port: number) => port + 50

export async function startWorker(options: {
  configPath: string
  cwd: string
  port: number
  persistTo: string
  probe?: string
}): Promise<RunningWorker> {
  const worker = await startWranglerDev({
    args: [
      '--config',
      options.configPath,
      '--persist-to',
      options.persistTo,
      '--log-level',
      'warn',
    ],
    port: options.port,
    inspectorPort: inspectorPortOf(options.port),
    cwd: options.cwd,
    env: PLAIN_OUTPUT,
    probe: options.probe,
  })
  const workerds = () => descendants(worker.pgid).filter((pid) => commOf(pid) === 'workerd')
  const cpuNs = () => workerds().reduce((sum, pid) => sum + processCpuNs(pid), 0)
  const rssBytes = () => workerds().reduce((sum, pid) => sum + processRssBytes(pid), 0)
  const rssByProcess = () => new Map(workerds().map((pid) => [pid, processRssBytes(pid)]))
  if (cpuNs() === 0) {
    await worker.stop()
    throw new Error('no workerd process under wrangler dev')
  }
  return {
    ...worker,
    cpuNs,
    rssBytes,
    rssByProcess,
    inspectorPort: inspectorPortOf(options.port),
  }
}
