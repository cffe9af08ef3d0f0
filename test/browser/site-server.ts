// The site as `npm start` serves it, for the browser tests and the screenshots: the stylesheet
// built, articles/ published by the real publish script, `wrangler dev` on a loopback port. Local
// KV lives in a temp dir (the publish script runs there, and local state follows the working
// directory), so a developer's own .wrangler/state is never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { unstable_readConfig } from 'wrangler'
import { buildAssets } from '../../scripts/build-assets'
import { goneKey } from '../../src/keys'

export interface SiteServer {
  url: string
  stop(): Promise<void>
}

/** An unpublished article's tombstone, so the 410 page can be checked. */
export const WITHDRAWN = { slug: 'خبر-مسحوب', title: 'Withdrawn sample: سحب هذا الخبر', removedAt: '2024-11-25T10:00:00Z' }

const WRANGLER_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
}

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** A port in 9200–9299 that nothing listens on (8787 is left to `npm start`). */
async function freePort(exclude: number[] = []): Promise<number> {
  for (let port = 9200; port <= 9299; port++) {
    if (exclude.includes(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('no free port in 9200-9299')
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // Not listening yet: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`wrangler dev did not answer ${url} within ${timeoutMs} ms:\n${output()}`)
}

export async function startSiteServer(): Promise<SiteServer> {
  await buildAssets()
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-site-'))
  const port = await freePort()
  const inspectorPort = await freePort([port])
  const url = `http://127.0.0.1:${port}`
  // The project's namespace and vars, with SITE_URL pointing at this server.
  const config = unstable_readConfig({ config: 'wrangler.toml' })
  const tempConfig = join(dir, 'wrangler.json')
  await writeFile(
    tempConfig,
    JSON.stringify({
      name: config.name,
      compatibility_date: config.compatibility_date,
      kv_namespaces: config.kv_namespaces.map(({ binding, id }: { binding: string; id?: string }) => ({ binding, id })),
      vars: { ...config.vars, SITE_URL: url },
    }),
  )
  const state = join(dir, '.wrangler', 'state')
  // Local KV state goes to .wrangler/state under the publish script's working directory.
  await run(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'scripts/publish.ts'), '--local', '--config', tempConfig, join(ROOT, 'articles')],
    { env: WRANGLER_ENV, cwd: dir },
  )
  // wrangler's own kv commands keep it beside the config file: the same place.
  await run(
    'npx',
    ['wrangler', 'kv', 'key', 'put', goneKey(WITHDRAWN.slug), JSON.stringify(WITHDRAWN), '--binding', 'ARTICLES', '--local', '--config', tempConfig],
    { env: WRANGLER_ENV },
  )
  const child = spawn(
    'npx',
    [
      'wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort),
      '--persist-to', state, '--var', `SITE_URL:${url}`, '--show-interactive-dev-session', 'false',
    ],
    { env: WRANGLER_ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const stop = async () => {
    // The whole process group we spawned: npx, wrangler and its workerd.
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(-child.pid, 'SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForHttp(url, child, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}
