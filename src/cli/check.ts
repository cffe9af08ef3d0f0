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
import { cliLoadCache } from '../publish/load-cache'
import { diskPhotoStore } from '../publish/media-cache'
import { byPlace, githubAnnotation } from '../publish/problems'
import { problemLines } from '../publish/publish-report'
import { commandMain, EXIT, parseFlags, printLine, runIfMain, UsageError } from './command'
import type { CliIo } from './command'
import { readSite } from './target-flags'

const USAGE = `usage: npm run articles:check -- [--format text|json|github] [--check-links] [--config F] [files or folders…]

Validates articles/ (or the files and folders named) without writing anything: every field, the
body, and links to other articles and to files beside them.
Exit code 0 when every file is valid (warnings allowed), 1 when any has an error.

  --format text    one line a problem, file:line:col: field: message (default)
  --format json    one machine-readable report on stdout (also: --json)
  --format github  GitHub Actions annotations (::error file=…,line=…,col=…::…), shown inline
                   on the changed files of a pull request
  --check-links    also fetch every external link (a few at a time, 10 s each, 60 s in all);
                   one that fails is a warning`

const FORMATS = ['text', 'json', 'github'] as const

async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: 'boolean' },
      'check-links': { type: 'boolean' },
      format: { type: 'string' },
      config: { type: 'string', default: 'wrangler.toml' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  )
  if (values.help) {
    printLine(io.stdout, USAGE)
    return EXIT.ok
  }
  const format = values.format ?? (values.json ? 'json' : 'text')
  if (!FORMATS.includes(format as (typeof FORMATS)[number]) || (values.json && format !== 'json')) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}\n\n${USAGE}`)
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
  const now = io.clock.now()
  const loaded = await loadArticles(files, site, {
    cache: cliLoadCache(site),
    now,
    photos: diskPhotoStore(),
  })
  // Single files: articles beside them that are not checked count as existing.
  const targets = runLinkTargets(loaded, onlyFolders)
  const problems = [
    ...loaded.problems,
    ...(await linkProblems(loaded.loaded, targets, site, now)),
    ...(values['check-links'] ? await externalLinkProblems(loaded.loaded, site) : []),
  ].sort(byPlace)
  if (!problems.some((problem) => problem.severity === 'error')) {
    const state = buildState(loaded.articles, now, { headSize: site.feedSize })
    problems.push(...checkEntrySizes([...state.chunks, ...state.heads]))
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length
  const summary = `${files.length} file(s) checked: ${errors} error(s), ${problems.length - errors} warning(s).`
  if (format === 'github') {
    for (const problem of problems) printLine(io.stdout, githubAnnotation(problem))
    printLine(io.stdout, summary)
  } else if (format === 'json') {
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
    printLine(io.stdout, summary)
  }
  return errors === 0 ? EXIT.ok : EXIT.invalid
}

export const main = commandMain(checkCommand)

runIfMain(import.meta.url, main)
