// The publish CLIs' shared parts: exit codes, flags, opening the KV target with the site's
// settings, and turning a thrown error into the right exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseSiteConfig, type SiteConfig } from '../src/model/site'
import { ConfigError, readProjectConfig, type ProjectConfig } from './config'
import { remoteTarget, type KvTarget } from './kv'
import { localTarget } from './local-kv'
import { localPurger, zonePurger, type EdgeCache } from './purge'

/** Documented in docs/publishing.md: scripts and CI depend on them. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, writeFailure: 3 } as const

/** A mistake in how the command was called (exit 2). */
export class UsageError extends Error {}

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

/** parseArgs with unknown flags and bad values as UsageError. */
export function parseFlags<const O extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`)
  }
}

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
export function remoteCredentials(config: ProjectConfig, env: NodeJS.ProcessEnv) {
  const { namespaceId } = config
  const accountId = env.CLOUDFLARE_ACCOUNT_ID || config.accountId
  const apiToken = env.CLOUDFLARE_API_TOKEN
  const missing = [
    !apiToken &&
      '  CLOUDFLARE_API_TOKEN   an API token with the "Workers KV Storage: Edit" permission\n' +
        '                         (dash.cloudflare.com → My Profile → API Tokens)',
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
function zoneOf(env: NodeJS.ProcessEnv, apiToken: string): EdgeCache {
  const zoneId = env.CLOUDFLARE_ZONE_ID?.trim()
  return zoneId ? zonePurger({ zoneId, apiToken }) : { skipped: 'CLOUDFLARE_ZONE_ID is not set' }
}

export interface OpenedTarget {
  target: KvTarget
  site: SiteConfig
  /** The edge cache in front of the target's site, or why this run cannot purge it. */
  edgeCache: EdgeCache
}

/** The KV target the flags name, with the site settings it serves and its edge cache. */
export async function openTarget(flags: {
  remote?: boolean | undefined
  local?: boolean | undefined
  config: string
}): Promise<OpenedTarget> {
  if (flags.local && flags.remote) throw new UsageError('--local and --remote exclude each other')
  const config = await readConfig(flags.config)
  const site = siteOf(config)
  if (flags.remote) {
    const credentials = remoteCredentials(config, process.env)
    return { target: remoteTarget(credentials), site, edgeCache: zoneOf(process.env, credentials.apiToken) }
  }
  if (!config.namespaceId) {
    throw new UsageError(
      `${flags.config} has no [[kv_namespaces]] entry with binding = "ARTICLES" and an id`,
    )
  }
  const target = await localTarget(flags.config, config.namespaceId, config.compatibilityDate)
  return { target, site, edgeCache: localPurger(() => target.purgeCache()) }
}

/**
 * Runs a CLI's main, which returns the exit code. A UsageError exits 2; anything else thrown
 * (e.g. local KV cannot be opened) exits 3 with its message.
 */
export async function runCli(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main()
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.writeFailure
  }
}
