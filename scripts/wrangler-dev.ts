// `wrangler dev` as a child process on a loopback port, for the load test and the browser tests:
// a free port, the offline environment, readiness, and a stop that ends the whole process group
// (npx, wrangler and its workerd) and removes the run's temp folder.
import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:net'

/** wrangler offline: no metrics, no update check, no Request.cf fetch. */
export const WRANGLER_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
}

/** A port in `from`–`to` that nothing listens on (each suite keeps to its own range). */
export async function freePort(from: number, to: number, exclude: number[] = []): Promise<number> {
  for (let port = from; port <= to; port++) {
    if (exclude.includes(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}-${to}`)
}

export interface WranglerDev {
  url: string
  /** The process group of npx, wrangler and workerd. */
  pgid: number
  output: () => string
  stop: () => Promise<void>
}

/**
 * Start `wrangler dev` with `args` on `port` and wait until `url` answers 200. `dir` (the run's
 * temp folder) is removed on stop, and on a failed start.
 */
export async function startWranglerDev(options: {
  args: string[]
  port: number
  inspectorPort: number
  dir: string
  timeoutMs?: number
}): Promise<WranglerDev> {
  const { port, inspectorPort, dir, timeoutMs = 60_000 } = options
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    'npx',
    [
      'wrangler', 'dev', ...options.args, '--ip', '127.0.0.1', '--port', String(port),
      '--inspector-port', String(inspectorPort), '--show-interactive-dev-session', 'false',
    ],
    { env: WRANGLER_ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(-child.pid, 'SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`)
    }
    try {
      if ((await fetch(url)).ok) break
    } catch {
      // Not listening yet: try again shortly.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { url, pgid: child.pid!, output: () => output, stop }
}
