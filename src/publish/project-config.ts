// Publish configuration, the CLIs' view of wrangler.toml: the site's [vars], the ARTICLES
// namespace id, the MEDIA bucket's name and the account id. Read with wrangler's own parser, then
// cached by the file's content hash: importing wrangler costs a second or two, which a publish
// with nothing to do should not pay each time.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

export interface ProjectConfig {
  vars: Record<string, unknown>
  accountId?: string | undefined
  /** The `id` of the ARTICLES binding in [[kv_namespaces]]. */
  namespaceId?: string | undefined
  compatibilityDate?: string | undefined
  /** The `bucket_name` of the MEDIA binding in [[r2_buckets]] (photo variants). */
  mediaBucket?: string | undefined
}

/** Next to the load cache; deleting it is always safe. */
export const PROJECT_CONFIG_CACHE = 'node_modules/.cache/sahifa/wrangler-config.json'
const CACHE_SHAPE = 'v2 (mediaBucket)\0'

interface CacheEntry {
  key: string
  config: ProjectConfig
}

/** A problem reading the configuration (the CLIs exit 2). */
export class ConfigError extends Error {}

async function parseWithWrangler(configPath: string): Promise<ProjectConfig> {
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: configPath })
  return {
    vars: config.vars as Record<string, unknown>,
    accountId: config.account_id,
    compatibilityDate: config.compatibility_date,
    namespaceId: config.kv_namespaces.find((kv: { binding: string }) => kv.binding === 'ARTICLES')
      ?.id,
    mediaBucket: config.r2_buckets.find((r2: { binding: string }) => r2.binding === 'MEDIA')
      ?.bucket_name,
  }
}

export async function readProjectConfig(
  configPath: string,
  cacheFile = PROJECT_CONFIG_CACHE,
): Promise<ProjectConfig> {
  let text: string
  try {
    text = await readFile(configPath, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read ${configPath}: ${(error as Error).message}`)
  }
  const key = createHash('sha256')
    // The shape of a cached entry: entries of another one are read again from the file.
    .update(CACHE_SHAPE)
    .update(resolve(configPath))
    .update('\0')
    .update(text)
    .digest('hex')
  const cached = await readFile(cacheFile, 'utf8')
    .then((raw) => JSON.parse(raw) as CacheEntry)
    .catch(() => undefined)
  if (cached?.key === key) return cached.config

  let config: ProjectConfig
  try {
    config = await parseWithWrangler(configPath)
  } catch (error) {
    throw new ConfigError(`cannot read ${configPath}: ${(error as Error).message}`)
  }
  await mkdir(dirname(cacheFile), { recursive: true })
  await writeFile(`${cacheFile}.tmp`, JSON.stringify({ key, config } satisfies CacheEntry))
  await rename(`${cacheFile}.tmp`, cacheFile)
  return config
}
