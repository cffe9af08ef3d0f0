// The CLIs' KV flags: `--local`/`--remote`/`--config`/`--no-purge`, the site's settings from
// wrangler.toml [vars], and opening the KV target they name with the edge cache in front of its
// site and the MEDIA bucket beside it (credentials for `--remote` from the environment).
import type { ParseArgsConfig } from 'node:util'
import { parseSiteConfig, type SiteConfig } from '../model/site'
import { localPurger, zonePurger, type EdgeCache } from '../publish/edge-purge'
import { ConfigError, readProjectConfig, type ProjectConfig } from '../publish/project-config'
import type { KvTarget } from '../publish/targets/kv-target'
import { localTarget } from '../publish/targets/local-target'
import type { MediaTarget } from '../publish/targets/media-target'
import { remoteMediaTarget } from '../publish/targets/remote-media-target'
import {
  API_REQUESTS_PER_WINDOW,
  API_WINDOW_MS,
  apiBase,
  remoteTarget,
  requestBudget,
} from '../publish/targets/remote-target'
import { UsageError, type CliIo } from './command'

export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  remote: { type: 'boolean' },
  config: { type: 'string', default: 'wrangler.toml' },
  json: { type: 'boolean' },
  'no-purge': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

export const TARGET_USAGE = `  --local      write the local KV that \`npm start\` serves (default)
  --remote     write the Cloudflare namespace in wrangler.toml (needs credentials, see
               docs/publishing.md)
  --json       print a machine-readable report on stdout instead of text
  --config F   wrangler configuration file (default: wrangler.toml)
  --no-purge   leave the edge cache alone: cached copies then show the change only when they
               expire (within 60 s). By default a local publish empties the local cache, and
               --remote purges what changed when CLOUDFLARE_ZONE_ID is set`

async function readConfig(configPath: string): Promise<ProjectConfig> {
  try {
    return await readProjectConfig(configPath)
  } catch (error) {
    throw error instanceof ConfigError ? new UsageError(error.message) : error
  }
}

function siteOf(config: ProjectConfig): SiteConfig {
  try {
    return parseSiteConfig(config.vars)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** The site's settings from wrangler.toml [vars], without opening KV (for `articles:check`). */
export async function readSite(configPath: string): Promise<SiteConfig> {
  return siteOf(await readConfig(configPath))
}

/**
 * What `--remote` needs and where each comes from. The token is read from the environment only:
 * it is never written to disk or printed.
 */
function remoteCredentials(config: ProjectConfig, env: NodeJS.ProcessEnv) {
  const { namespaceId } = config
  const accountId = env.CLOUDFLARE_ACCOUNT_ID || config.accountId
  const apiToken = env.CLOUDFLARE_API_TOKEN
  const missing = [
    !apiToken &&
      '  CLOUDFLARE_API_TOKEN   an API token with the "Workers KV Storage: Edit" permission\n' +
        '                         (and "Workers R2 Storage: Edit" for photos;\n' +
        '                         dash.cloudflare.com → My Profile → API Tokens)',
    !accountId && '  CLOUDFLARE_ACCOUNT_ID  your account id (or account_id in wrangler.toml)',
    !namespaceId && '  the ARTICLES namespace id in wrangler.toml [[kv_namespaces]]',
  ].filter((line): line is string => typeof line === 'string')
  if (missing.length > 0 || !apiToken || !accountId || !namespaceId) {
    throw new UsageError(
      `--remote needs Cloudflare credentials; missing:\n${missing.join('\n')}\n\n` +
        'Set them in the environment of this command only, e.g.\n' +
        '  CLOUDFLARE_ACCOUNT_ID=… CLOUDFLARE_API_TOKEN=… npm run articles:publish -- --remote\n' +
        'They are read from the environment and never stored or printed.',
    )
  }
  return { accountId, apiToken, namespaceId }
}

/**
 * The zone whose edge cache a remote publish purges, when CLOUDFLARE_ZONE_ID is set; the token is
 * the same CLOUDFLARE_API_TOKEN, which then needs the "Zone → Cache Purge → Purge" permission too.
 */
function zoneOf(io: Pick<CliIo, 'env' | 'clock'>, apiToken: string): EdgeCache {
  const zoneId = io.env.CLOUDFLARE_ZONE_ID?.trim()
  return zoneId
    ? zonePurger({ zoneId, apiToken }, { apiBase: apiBase(io.env), clock: io.clock })
    : { skipped: 'CLOUDFLARE_ZONE_ID is not set' }
}

export interface OpenedTarget {
  target: KvTarget
  site: SiteConfig
  /** The edge cache in front of the target's site, or why this run cannot purge it. */
  edgeCache: EdgeCache
  /** The MEDIA bucket beside the namespace, when wrangler.toml binds one. */
  media?: MediaTarget | undefined
}

/** The KV target the flags name, with the site settings it serves and its edge cache. */
export async function openTarget(
  flags: {
    remote?: boolean | undefined
    local?: boolean | undefined
    'no-purge'?: boolean | undefined
    config: string
  },
  io: Pick<CliIo, 'env' | 'clock'>,
): Promise<OpenedTarget> {
  if (flags.local && flags.remote) throw new UsageError('--local and --remote exclude each other')
  const config = await readConfig(flags.config)
  const site = siteOf(config)
  const unlessNoPurge = (edgeCache: EdgeCache): EdgeCache =>
    flags['no-purge'] ? { skipped: '--no-purge' } : edgeCache
  if (flags.remote) {
    const credentials = remoteCredentials(config, io.env)
    // KV and R2 calls spend one budget: Cloudflare counts every API request of the account.
    const api = {
      apiBase: apiBase(io.env),
      clock: io.clock,
      budget: requestBudget(API_REQUESTS_PER_WINDOW, API_WINDOW_MS, io.clock),
    }
    const bucket = config.mediaBucket
    return {
      target: remoteTarget(credentials, api),
      site,
      edgeCache: unlessNoPurge(zoneOf(io, credentials.apiToken)),
      media: bucket ? remoteMediaTarget({ ...credentials, bucket }, api) : undefined,
    }
  }
  if (!config.namespaceId) {
    throw new UsageError(
      `${flags.config} has no [[kv_namespaces]] entry with binding = "ARTICLES" and an id`,
    )
  }
  const target = await localTarget(
    flags.config,
    config.namespaceId,
    config.compatibilityDate,
    config.mediaBucket,
  )
  return {
    target,
    site,
    edgeCache: unlessNoPurge(localPurger(() => target.purgeCache())),
    media: target.media,
  }
}
