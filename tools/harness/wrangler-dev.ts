// Harness: `wrangler dev` as a child process on a loopback port, for the browser tests, the
// screenshots, the load test and the bench — offline, readiness on a probe path, and a stop that
// ends the whole process group (wrangler and its workerd) and removes the run's temp folder.
import { rm } from 'node:fs/promises'
import { collectOutput, spawnWrangler } from './wrangler-cli'

export interface WranglerDevOptions {
  /** Further arguments: --config, --persist-to, --var, --log-level… */
  args: string[]
  port: number
  inspectorPort: number
  cwd?: string
  /** Added to the environment (which is offline in any case). */
  env?: NodeJS.ProcessEnv
  /** The path that must answer 200 before the server counts as up (default `/`). */
  probe?: string
  /** The run's temp folder: removed on stop, and on a failed start. */
  dir?: string
  timeoutMs?: number
  /** Called with what wrangler prints, as it prints it (`npm start` passes it on). */
  onOutput?: (text: string) => void
}

export interface WranglerDev {
  url: string
  /** The process group of wrangler and its workerd processes. */
  pgid: number
  /** From the spawn until the first 200 on the probe path. */
  startupMs: number
  /** What wrangler printed so far (for error messages). */
  output: () => string
  /** Settles when wrangler exits, by itself or stopped. */
  exited: Promise<void>
  stop: () => Promise<void>
}

const POLL_MS = 25
/** How long a stopped group may take to exit before it is killed. */
const STOP_GRACE_MS = 5_000

export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const { port, inspectorPort, dir, probe = '/', timeoutMs = 60_000 } = options
  const started = performance.now()
  const url = `http://127.0.0.1:${port}`
  const child = spawnWrangler(
    [
      'dev',
      ...options.args,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const output = collectOutput(child)
  if (options.onOutput) {
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => options.onOutput!(chunk.toString()))
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // wrangler runs in a process group of its own (so a stop reaches workerd too), which a Ctrl-C
  // in the terminal does not reach — and miniflare's exit hook ends this process on SIGINT or
  // SIGTERM before any asynchronous stop could run. Whatever ends this process ends the group.
  const stopOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  process.once('exit', stopOnExit)
  void exited.then(() => process.off('exit', stopOnExit))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      process.kill(-child.pid, 'SIGTERM')
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), STOP_GRACE_MS)
      await exited
      clearTimeout(timer)
    }
    if (dir) await rm(dir, { recursive: true, force: true })
  }

  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`)
    }
    try {
      const response = await fetch(url + probe)
      await response.arrayBuffer()
      if (response.status === 200) break
    } catch {
      // Not listening yet: try again shortly.
    }
    if (performance.now() - started > timeoutMs) {
      await stop()
      throw new Error(
        `wrangler dev did not answer ${url}${probe} within ${timeoutMs} ms:\n${output()}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return { url, pgid: child.pid!, startupMs: performance.now() - started, output, exited, stop }
}
