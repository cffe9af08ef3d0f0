// The unpublish CLI: `npm run articles:unpublish -- [--local|--remote] [--dry-run] [--json] <slug>…`.
// Takes articles off the site: a tombstone (their URL answers 410 Gone), off every list, then the
// article itself. Other articles stay exactly as KV has them; article files are not touched.
import { CONTENT_FOLDER } from '../publish/article-files'
import { articleFileFor } from '../publish/content-paths'
import { printableFile } from '../publish/problems'
import { commandMain, EXIT, parseFlags, printLine, runIfMain, UsageError } from './command'
import type { CliIo } from './command'
import { publishAndReport } from './publish-and-report'
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './target-flags'

const USAGE = `usage: npm run articles:unpublish -- [options] <slug>…

Takes the named articles off the site: their URLs answer 410 Gone and they leave every feed and list.

${TARGET_USAGE}
  --dry-run    print every key that would be written or deleted; write nothing`

async function unpublishCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { ...TARGET_OPTIONS, 'dry-run': { type: 'boolean' } },
    USAGE,
  )
  if (values.help) {
    printLine(io.stdout, USAGE)
    return EXIT.ok
  }
  if (positionals.length === 0) throw new UsageError(`name at least one slug\n\n${USAGE}`)
  const { target, site, edgeCache, media } = await openTarget(values, io)
  const code = await publishAndReport(
    {
      target,
      site,
      files: [],
      json: values.json ?? false,
      edgeCache,
      media,
      dryRun: values['dry-run'] ?? false,
      unpublish: positionals.map((slug) => slug.normalize('NFC')),
    },
    io,
  )
  for (const slug of positionals) {
    const file = articleFileFor(CONTENT_FOLDER, slug.normalize('NFC'))
    if (code === EXIT.ok && !values.json && file) {
      printLine(
        io.stderr,
        `note: ${printableFile(file)} still exists; the next publish puts it back. Delete it or mark it a draft (draft: true).`,
      )
    }
  }
  return code
}

export const main = commandMain(unpublishCommand)

runIfMain(import.meta.url, main)
