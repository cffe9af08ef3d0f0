// Running workers for the benchmark: `wrangler dev` on loopback (ports 9400–9499) with a generated
// config in a temp directory and KV persisted there, never in the repo's .wrangler/state.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

export const REPO = resolve(import.meta.dirname, '..', '..')
export const WRANGLER = join(REPO, 'node_modules', '.bin', 'wrangler')

/** wrangler and miniflare without metrics, update checks or the `Request.cf` fetch. */
export const OFFLINE_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  NO_COLOR: '1',
}

export interface RepoConfig {
  /** The worker's entry module, relative to the repo. */
  main: string
  compatibilityDate: string
  compatibilityFlags: string[]
  kvId: string
  vars: Record<string, string>
  /** The repo's static assets directory, absolute, if it has one. */
  assetsDir: string | undefined
}

/** The settings of the repo's wrangler.toml that a bench config must repeat. */
export async function readRepoConfig(): Promise<RepoConfig> {
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: join(REPO, 'wrangler.toml') })
  const kv = config.kv_namespaces.find((ns: { binding: string }) => ns.binding === 'ARTICLES')
  return {
    main: config.main ? relative(REPO, resolve(REPO, config.main)) : 'src/worker/index.ts',
    compatibilityDate: config.compatibility_date ?? '2026-04-26',
    compatibilityFlags: config.compatibility_flags ?? [],
    kvId: kv?.id ?? 'sahifa-articles',
    vars: config.vars as Record<string, string>,
    assetsDir: config.assets?.directory ? resolve(REPO, config.assets.directory) : undefined,
  }
}

export interface WorkerConfig {
  name: string
  /** Entry module, relative to the repo, or absolute. */
  main: string
  /** The entry is already built (see buildWorker): serve it as it is. */
  noBundle?: boolean
  extraFlags?: string[]
  vars?: Record<string, string>
  /** A directory served as Workers static assets. */
  assets?: string
}

/** Write a wrangler.json for `worker` into `dir`; returns its path. */
export function writeConfig(dir: string, repo: RepoConfig, worker: WorkerConfig): string {
  const path = join(dir, `${worker.name}.wrangler.json`)
  const config = {
    name: worker.name,
    main: resolve(REPO, worker.main),
    ...(worker.noBundle ? { no_bundle: true } : {}),
    compatibility_date: repo.compatibilityDate,
    compatibility_flags: [...new Set([...repo.compatibilityFlags, ...(worker.extraFlags ?? [])])],
    kv_namespaces: [{ binding: 'ARTICLES', id: repo.kvId }],
    vars: { ...repo.vars, ...worker.vars },
    ...(worker.assets ? { assets: { directory: worker.assets } } : {}),
  }
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

/**
 * Bundle a worker as `wrangler deploy --dry-run --outdir` does; returns wrangler's output. Workers
 * are then served from the built module, so edits others make to src/ during a run cannot reload
 * the worker under measurement.
 */
export function buildWorker(configPath: string, cwd: string, outdir: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      WRANGLER,
      ['deploy', '--dry-run', '--outdir', outdir, '--config', configPath],
      {
        cwd,
        env: OFFLINE_ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout?.on('data', (data: Buffer) => (output += data.toString()))
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise(output)
        : reject(new Error(`wrangler deploy --dry-run exited ${code}:\n${output}`)),
    )
  })
}

export interface RunningWorker {
  url: string
  /** Spawn of `wrangler dev` until the first 200 on the probe path. */
  startupMs: number
  /**
   * CPU time (ns) used so far by every workerd under this `wrangler dev` (wrangler 4 runs the
   * worker in one workerd and a proxy in front of it in another).
   */
  cpuNs(): number
  /** What wrangler printed so far (for error messages). */
  output(): string
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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

export async function startWorker(options: {
  configPath: string
  cwd: string
  port: number
  persistTo: string
  probe?: string
  log?: (line: string) => void
}): Promise<RunningWorker> {
  const started = performance.now()
  const child: ChildProcess = spawn(
    WRANGLER,
    [
      'dev',
      '--config',
      options.configPath,
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--inspector-port',
      String(options.port + 50),
      '--persist-to',
      options.persistTo,
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    { cwd: options.cwd, env: OFFLINE_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  let output = ''
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()))
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()))
  const url = `http://127.0.0.1:${options.port}`
  let exited = false
  child.on('exit', () => (exited = true))
  const stop = async () => {
    if (exited || child.pid === undefined) return
    process.kill(-child.pid, 'SIGTERM')
    for (let i = 0; i < 50 && !exited; i++) await sleep(100)
    if (!exited) process.kill(-child.pid, 'SIGKILL')
  }
  try {
    for (;;) {
      if (exited) throw new Error(`wrangler dev exited before serving:\n${output}`)
      if (performance.now() - started > 60_000)
        throw new Error(`wrangler dev not serving after 60 s:\n${output}`)
      try {
        const response = await fetch(url + (options.probe ?? '/'))
        await response.arrayBuffer()
        if (response.status === 200) break
      } catch {
        // Not listening yet.
      }
      await sleep(25)
    }
  } catch (error) {
    await stop()
    throw error
  }
  const startupMs = performance.now() - started
  const rootPid = child.pid!
  const cpuNs = () =>
    descendants(rootPid)
      .filter((pid) => commOf(pid) === 'workerd')
      .reduce((sum, pid) => sum + processCpuNs(pid), 0)
  if (cpuNs() === 0) {
    await stop()
    throw new Error('no workerd process under wrangler dev')
  }
  return { url, startupMs, cpuNs, output: () => output, stop }
}
