// Harness: the real worker bundle (as `wrangler deploy` builds it) running in workerd through
// Miniflare on a loopback port, with KV seeded through the publish core and photo variants in its
// R2 bucket — for the feed-client tests, the hostile page in Chromium and the memory soak.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import type { StoredArticle } from '../../src/model/article'
import type { MediaFiles } from '../../src/publish/media-articles'
import type { KvBinding } from '../../src/publish/targets/binding-target'
import {
  bindingMediaTarget,
  uploadMedia,
  type R2Writer,
} from '../../src/publish/targets/media-target'
import { freePort } from './free-port'
import { readRepoConfig } from './repo-config'
import { seedKv } from './seed-kv'
import { bundleWorker, type WorkerBundle } from './worker-bundle'

export interface ServedWorker {
  url: string
  /** The module served, as `wrangler deploy` built it (gone once stopped). */
  bundle: WorkerBundle
  stop(): Promise<void>
}

export interface ServeOptions {
  /** Published at `now` (default: the clock) into the worker's empty KV; given the server's origin. */
  articles?: readonly StoredArticle[] | ((url: string) => readonly StoredArticle[])
  /** Serve the local KV state a publish CLI left in this folder (`.wrangler/state/v3/kv`) instead. */
  kvPersist?: string
  now?: number
  /** SITE_URL is the server's own origin instead of wrangler.toml's. */
  ownSiteUrl?: boolean
  /** Photo variants to put in the worker's MEDIA bucket (what loadArticles made of articles/). */
  media?: MediaFiles
  /** The port to serve on (default: a free one of 9350–9399), and one for V8's inspector. */
  port?: number
  inspectorPort?: number
}

/** Ports 9350–9399 (free-port.ts). */
export async function serveWorker(options: ServeOptions): Promise<ServedWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-worker-'))
  const [repo, bundle] = await Promise.all([readRepoConfig(), bundleWorker({ outdir: dir })])
  const start = async (port: number) => {
    const url = `http://127.0.0.1:${port}`
    const mf = new Miniflare({
      modules: true,
      scriptPath: bundle.main,
      modulesRoot: dir,
      compatibilityDate: repo.compatibilityDate,
      kvNamespaces: { ARTICLES: repo.kvId },
      r2Buckets: { MEDIA: repo.mediaBucket },
      ...(options.kvPersist ? { kvPersist: options.kvPersist } : {}),
      bindings: { ...repo.vars, ...(options.ownSiteUrl ? { SITE_URL: url } : {}) },
      host: '127.0.0.1',
      port,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      cf: false,
    })
    try {
      await mf.ready
    } catch (error) {
      await mf.dispose()
      throw error
    }
    return { mf, url }
  }
  // Test files run side by side: another may bind the port found free before this one does.
  let started: Awaited<ReturnType<typeof start>> | undefined
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await start(options.port ?? (await freePort(9350, 9399)))
    } catch (error) {
      const taken = (error as { code?: string }).code === 'ERR_ADDRESS_IN_USE'
      if (!taken || options.port !== undefined || attempt === 5) throw error
    }
  }
  const { mf, url } = started
  const { articles } = options
  if (articles) {
    const kv = (await mf.getKVNamespace('ARTICLES')) as unknown as KvBinding
    await seedKv(kv, typeof articles === 'function' ? articles(url) : articles, {
      now: options.now ?? Date.now(),
    })
  }
  const bucket = bindingMediaTarget(
    'served R2',
    (await mf.getR2Bucket('MEDIA')) as unknown as R2Writer,
  )
  await uploadMedia([...(options.media?.values() ?? [])], bucket)
  return {
    url,
    bundle,
    async stop() {
      await mf.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
