// Node-side tests' server: the real worker bundle (as `wrangler deploy` builds it) running in
// workerd through Miniflare on a loopback port, with KV seeded through the publish core.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { unstable_readConfig } from 'wrangler'
import { buildState, EMPTY_MANIFEST, planPublish } from '../../scripts/entries'
import type { StoredArticle } from '../../src/model/article'

export interface WorkerServer {
  url: string
  stop(): Promise<void>
}

const WRANGLER_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
}

/** Bundle the worker exactly as deploy would, into a temp dir. */
async function bundleWorker(outdir: string): Promise<string> {
  await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    env: WRANGLER_ENV,
  })
  return join(outdir, 'index.js')
}

/** Start the worker on 127.0.0.1 (a free port) with `articles` published into its KV at `now`. */
export async function startWorker(articles: readonly StoredArticle[], now = Date.now()): Promise<WorkerServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-worker-'))
  const config = unstable_readConfig({ config: 'wrangler.toml' })
  const namespace = config.kv_namespaces.find((kv: { binding: string }) => kv.binding === 'ARTICLES')!
  const mf = new Miniflare({
    modules: true,
    scriptPath: await bundleWorker(dir),
    modulesRoot: dir,
    compatibilityDate: config.compatibility_date,
    kvNamespaces: { ARTICLES: namespace.id! },
    bindings: config.vars as Record<string, string>,
    host: '127.0.0.1',
    port: 0,
    cf: false,
  })
  const kv = await mf.getKVNamespace('ARTICLES')
  const plan = await planPublish(buildState(articles, now), EMPTY_MANIFEST)
  for (const phase of plan.phases) {
    if ('put' in phase) for (const entry of phase.put) await kv.put(entry.key, entry.value)
  }
  const url = (await mf.ready).toString().replace(/\/$/, '')
  return {
    url,
    async stop() {
      await mf.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
