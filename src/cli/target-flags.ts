// The CLIs' KV flags: `--local`/`--remote`/`--config`, the site's settings from wrangler.toml
// [vars], and opening the KV target they name (credentials for `--remote` from the environment).
import type { ParseArgsConfig } from 'node:util'
import { ConfigError, readProjectConfig, type ProjectConfig } from '../publish/project-config'
import { localTarget } from '../publish/targets/local-target'
import { remoteTarget } from '../publish/targets/remote-target'
import { parseSiteConfig, type SiteConfig } from '../site'
import { UsageError, type CliIo } from './command'

export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  remote: { type: 'boolean' },
  config: { type: 'string', default: 'wrangler.toml' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

export const TARGET_USAGE = `  --local      write the local KV that \`npm start\` serves (default)
  --remote     write the Cloudflare namespace in wrangler.toml (needs credentials, see
               docs/publishing.md)
  --json       print a machine-readable report on stdout instead of text
  --config F   wrangler configuration file (default: wrangler.toml)`

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

/** The KV target the flags name, with the site settings it serves. */
export async function openTarget(
  flags: { remote?: boolean | undefined; local?: boolean | undefined; config: string },
  io: Pick<CliIo, 'env' | 'clock'>,
) {
  if (flags.local && flags.remote) throw new UsageError('--local and --remote exclude each other')
  const config = await readConfig(flags.config)
  const site = siteOf(config)
  if (flags.remote) {
    return { target: remoteTarget(remoteCredentials(config, io.env), { clock: io.clock }), site }
  }
  if (!config.namespaceId) {
    throw new UsageError(
      `${flags.config} has no [[kv_namespaces]] entry with binding = "ARTICLES" and an id`,
    )
  }
  return {
    target: await localTarget(flags.config, config.namespaceId, config.compatibilityDate),
    site,
  }
}
