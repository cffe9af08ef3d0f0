// Harness: the settings of the repo's wrangler.toml that a generated config must repeat, and
// writing such a config (a wrangler.json in a run's temp folder) for a worker built or served
// elsewhere: another entry, a prebuilt module, other vars or static files.
import { writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))

export interface RepoConfig {
  name: string
  /** The worker's entry module, relative to the repo. */
  main: string
  compatibilityDate: string
  compatibilityFlags: string[]
  /** The ARTICLES namespace id. */
  kvId: string
  /** The MEDIA bucket's name (photo variants). */
  mediaBucket: string
  vars: Record<string, string>
  /** The repo's static assets directory, absolute, if it has one. */
  assetsDir: string | undefined
}

export async function readRepoConfig(): Promise<RepoConfig> {
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: join(REPO, 'wrangler.toml') })
  const kv = config.kv_namespaces.find((ns: { binding: string }) => ns.binding === 'ARTICLES')
  const media = config.r2_buckets.find((r2: { binding: string }) => r2.binding === 'MEDIA')
  if (!config.main || !config.compatibility_date || !kv?.id || !media?.bucket_name)
    throw new Error(
      'wrangler.toml needs main, compatibility_date, the ARTICLES namespace id and the MEDIA bucket',
    )
  return {
    name: config.name ?? 'sahifa',
    main: relative(REPO, resolve(REPO, config.main)),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    kvId: kv.id,
    mediaBucket: media.bucket_name,
    vars: config.vars as Record<string, string>,
    assetsDir: config.assets?.directory ? resolve(REPO, config.assets.directory) : undefined,
  }
}

export interface WorkerConfig {
  name?: string
  /** Entry module, relative to the repo, or absolute; none for a config only the publish CLI reads. */
  main?: string
  /** The entry is already built (see worker-bundle.ts): serve it as it is. */
  noBundle?: boolean
  extraFlags?: string[]
  /** On top of the repo's [vars]. */
  vars?: Record<string, string>
  /** A directory served as Workers static assets. */
  assets?: string
}

/** Write `<dir>/<name>.wrangler.json` for `worker`; returns its path. */
export function writeWorkerConfig(dir: string, repo: RepoConfig, worker: WorkerConfig): string {
  const name = worker.name ?? repo.name
  const path = join(dir, `${name}.wrangler.json`)
  const config = {
    name,
    ...(worker.main ? { main: resolve(REPO, worker.main) } : {}),
    ...(worker.noBundle ? { no_bundle: true } : {}),
    compatibility_date: repo.compatibilityDate,
    compatibility_flags: [...new Set([...repo.compatibilityFlags, ...(worker.extraFlags ?? [])])],
    kv_namespaces: [{ binding: 'ARTICLES', id: repo.kvId }],
    r2_buckets: [{ binding: 'MEDIA', bucket_name: repo.mediaBucket }],
    vars: { ...repo.vars, ...worker.vars },
    ...(worker.assets ? { assets: { directory: worker.assets } } : {}),
  }
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}
