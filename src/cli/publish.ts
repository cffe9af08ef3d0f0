// The publish CLI: `npm run articles:publish -- [--local|--remote] [--dry-run] [--prune] [--json]
// [files or folders…]`. Parses flags, opens the KV target, runs the publish pipeline, prints the
// outcome.
// Exit codes (docs/publishing.md): 0 published or nothing to do, 1 invalid input, 2 usage,
// 3 write failure.
import { stat } from 'node:fs/promises'
import { findArticleFiles } from '../publish/article-files'
import { commandMain, EXIT, parseFlags, printLine, runIfMain, UsageError } from './command'
import type { CliIo } from './command'
import { publishAndReport } from './publish-and-report'
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target-flags'

const USAGE = `usage: npm run articles:publish -- [options] [files or folders…]

Publishes articles/ (or the files and folders named) to KV: only what changed is written.

${TARGET_USAGE}
  --dry-run    print every key that would be written or deleted; write nothing
  --prune      unpublish live articles whose file is gone (410 Gone, off every list);
               only with folders, never with single files
  --check-links  also fetch every external link (a few at a time, 10 s each, 60 s in all);
               one that fails is a warning
  --ping       ping the WebSub hubs (WEBSUB_HUBS) for the feeds that changed; the default
               with --remote
  --no-ping    do not ping the hubs, even with --remote`

async function publishCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      ...TARGET_OPTIONS,
      'dry-run': { type: 'boolean' },
      prune: { type: 'boolean' },
      'check-links': { type: 'boolean' },
      ping: { type: 'boolean' },
      'no-ping': { type: 'boolean' },
    },
    USAGE,
  )
  if (values.ping && values['no-ping'])
    throw new UsageError(`--ping and --no-ping exclude each other\n\n${USAGE}`)
  if (values.help) {
    printLine(io.stdout, USAGE)
    return EXIT.ok
  }
  const paths = positionals.length > 0 ? positionals : ['articles']
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (!info) throw new UsageError(`${path}: no such file or folder\n\n${USAGE}`)
    if (values.prune && !info.isDirectory()) {
      throw new UsageError(
        `--prune needs folders: with single files every other article would count as removed\n\n${USAGE}`,
      )
    }
  }
  const files = await findArticleFiles(paths)
  const { target, site, edgeCache, media } = await openTarget(values, io)
  return publishAndReport(
    {
      target,
      site,
      files,
      json: values.json ?? false,
      edgeCache,
      media,
      dryRun: values['dry-run'] ?? false,
      prune: values.prune ?? false,
      checkLinks: values['check-links'] ? {} : undefined,
      // Local feeds have local URLs no public hub can fetch: ping for remote publishes only.
      pingHubs: values['no-ping'] ? false : (values.ping ?? values.remote ?? false),
    },
    io,
  )
}

export const main = commandMain(publishCommand)

runIfMain(import.meta.url, main)
