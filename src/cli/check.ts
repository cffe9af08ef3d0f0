// The check CLI: `npm run articles:check -- [--json] [files or folders…]`. Validates article
// files exactly as a publish would (every problem at once), without opening KV: for editors and
// for CI.
import { stat } from 'node:fs/promises'
import { findArticleFiles } from '../publish/article-files'
import { buildState } from '../publish/desired-state'
import { externalLinkProblems } from '../publish/external-links'
import { checkEntrySizes } from '../publish/kv-limits'
import { linkProblems, runLinkTargets } from '../publish/link-checks'
import { loadArticles } from '../publish/load-articles'
import { byPlace } from '../publish/problems'
import { problemLines } from '../publish/publish-report'
import { renderCache } from '../publish/render-cache'
import { commandMain, EXIT, parseFlags, printLine, runIfMain, UsageError } from './command'
import type { CliIo } from './command'
import { readSite } from './target-flags'

const USAGE = `usage: npm run articles:check -- [--json] [--check-links] [--config F] [files or folders…]

Validates articles/ (or the files and folders named) without writing anything: every field, the
body, and links to other articles and to files beside them.
Exit code 0 when every file is valid (warnings allowed), 1 when any has an error.

  --check-links  also fetch every external link (a few at a time, 10 s each, 60 s in all);
                 one that fails is a warning`

async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: 'boolean' },
      'check-links': { type: 'boolean' },
      config: { type: 'string', default: 'wrangler.toml' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  )
  if (values.help) {
    printLine(io.stdout, USAGE)
    return EXIT.ok
  }
  const paths = positionals.length > 0 ? positionals : ['articles']
  let onlyFolders = true
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (!info) throw new UsageError(`${path}: no such file or folder\n\n${USAGE}`)
    onlyFolders &&= info.isDirectory()
  }
  const files = await findArticleFiles(paths)
  const site = await readSite(values.config)
  const cache = await renderCache()
  const loaded = await loadArticles(files, site, { render: cache.render })
  await cache.save()
  const now = io.clock.now()
  // Single files: articles beside them that are not checked count as existing.
  const targets = runLinkTargets(loaded, onlyFolders)
  const problems = [
    ...loaded.problems,
    ...(await linkProblems(loaded.loaded, targets, site, now)),
    ...(values['check-links'] ? await externalLinkProblems(loaded.loaded, site) : []),
  ].sort(byPlace)
  if (!problems.some((problem) => problem.severity === 'error')) {
    const state = buildState(loaded.articles, now)
    problems.push(...checkEntrySizes([...state.chunks, ...state.heads]))
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length
  if (values.json) {
    printLine(
      io.stdout,
      JSON.stringify(
        {
          valid: errors === 0,
          files: files.length,
          articles: loaded.articles.length,
          drafts: loaded.drafts.map((d) => d.slug),
          problems,
        },
        null,
        2,
      ),
    )
  } else {
    for (const line of problemLines(problems)) printLine(io.stderr, line)
    const warnings = problems.length - errors
    printLine(
      io.stdout,
      `${files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s).`,
    )
  }
  return errors === 0 ? EXIT.ok : EXIT.invalid
}

export const main = commandMain(checkCommand)

runIfMain(import.meta.url, main)
