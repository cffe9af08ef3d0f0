// The publish CLI: `npm run articles:publish -- [--local|--remote] [--dry-run] [files or folders…]`.
// Parses flags, picks the KV target, runs publish(), prints problems and a summary.
// Exit codes: 0 published (or nothing to do), 1 invalid article input, 2 usage, 3 write failure.
import { parseArgs } from 'node:util'
import { parseSiteConfig } from '../src/site'
import { localTarget, remoteTarget, type KvTarget } from './kv'
import { findArticleFiles } from './articles'
import { formatProblem } from './problems'
import { publish } from './publisher'

const USAGE = `usage: npm run articles:publish -- [--local|--remote] [--dry-run] [files or folders…]

  --local      write the local KV that \`npm start\` serves (default)
  --remote     write the Cloudflare namespace in wrangler.toml
               (needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment)
  --dry-run    print what would be written and deleted; write nothing
  --config F   wrangler configuration file (default: wrangler.toml)

Files or folders default to articles/.`

const EXIT = { published: 0, invalid: 1, usage: 2, writeFailure: 3 } as const

function fail(code: number, message: string): never {
  console.error(message)
  process.exit(code)
}

async function main() {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        local: { type: 'boolean' },
        remote: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        config: { type: 'string', default: 'wrangler.toml' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    fail(EXIT.usage, `${(error as Error).message}\n\n${USAGE}`)
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (values.local && values.remote) fail(EXIT.usage, `--local and --remote exclude each other\n\n${USAGE}`)

  let files: string[]
  try {
    files = await findArticleFiles(positionals.length > 0 ? positionals : ['articles'])
  } catch (error) {
    fail(EXIT.usage, `cannot read ${(error as Error).message}`)
  }

  let target: KvTarget
  let vars: Record<string, unknown>
  const { unstable_readConfig } = await import('wrangler')
  const config = unstable_readConfig({ config: values.config })
  if (values.remote) {
    const namespaceId = config.kv_namespaces.find((kv: { binding: string }) => kv.binding === 'ARTICLES')?.id
    const accountId = process.env.CLOUDFLARE_ACCOUNT_ID ?? config.account_id
    const apiToken = process.env.CLOUDFLARE_API_TOKEN
    const missing = [
      !apiToken && 'CLOUDFLARE_API_TOKEN (an API token with "Workers KV Storage: Edit")',
      !accountId && 'CLOUDFLARE_ACCOUNT_ID (or account_id in wrangler.toml)',
      !namespaceId && 'the ARTICLES kv_namespaces id in wrangler.toml',
    ].filter(Boolean)
    if (missing.length > 0 || !apiToken || !accountId || !namespaceId) {
      fail(EXIT.usage, `--remote needs ${missing.join(', ')}. Set them in the environment; they are never stored.`)
    }
    target = remoteTarget({ accountId, apiToken, namespaceId })
    vars = config.vars
  } else {
    ;({ target, vars } = await localTarget(values.config))
  }

  try {
    const site = parseSiteConfig(vars)
    const result = await publish({
      files,
      site,
      target,
      dryRun: values['dry-run'] ?? false,
      now: Date.now(),
      progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r${line}`) : undefined,
    })
    if (process.stderr.isTTY) process.stderr.write('\n')
    for (const problem of result.problems) console.error(formatProblem(problem))
    if (result.status === 'invalid') {
      const errors = result.problems.filter((problem) => problem.severity === 'error').length
      fail(EXIT.invalid, `\n${errors} error(s) in ${files.length} file(s); nothing was written.`)
    }
    const { plan } = result
    const verb = result.status === 'dry-run' ? 'would write' : 'wrote'
    if (result.status === 'dry-run') {
      for (const phase of plan.phases) {
        if ('put' in phase) for (const entry of phase.put) console.log(`put    ${entry.key} (${entry.value.length} chars)`)
        else for (const key of phase.delete) console.log(`delete ${key}`)
      }
    }
    const writes = plan.phases.reduce((n, phase) => n + ('put' in phase ? phase.put.length : 0), 0)
    const deletes = plan.phases.reduce((n, phase) => n + ('delete' in phase ? phase.delete.length : 0), 0)
    console.log(
      `${target.name}: ${plan.added.length} added, ${plan.updated.length} updated, ` +
        `${plan.unchanged.length} unchanged, ${plan.removed.length} removed, ` +
        `${result.drafts.length} drafts skipped, ${result.scheduled.length} scheduled; ` +
        `${verb} ${writes} keys and deleted ${deletes}.`,
    )
  } catch (error) {
    fail(EXIT.writeFailure, `publishing to ${target.name} failed: ${(error as Error).message}\nRun the same command again: a publish resumes safely.`)
  } finally {
    await target.close()
  }
}

await main()
