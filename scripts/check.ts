// The check CLI: `npm run articles:check -- [--json] [files or folders…]`. Validates article files
// exactly as a publish would (every problem at once), without opening KV: for editors and for CI.
import { stat } from 'node:fs/promises'
import { findArticleFiles, loadArticles } from './articles'
import { checkEntrySizes } from './checks'
import { EXIT, parseFlags, readSite, runCli, UsageError } from './cli'
import { buildState } from './entries'
import { renderCache } from './render-cache'
import { problemLines } from './report'

const USAGE = `usage: npm run articles:check -- [--json] [--config F] [files or folders…]

Validates articles/ (or the files and folders named) without writing anything.
Exit code 0 when every file is valid (warnings allowed), 1 when any has an error.`

async function main(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      json: { type: 'boolean' },
      config: { type: 'string', default: 'wrangler.toml' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  )
  if (values.help) {
    console.log(USAGE)
    return EXIT.ok
  }
  const paths = positionals.length > 0 ? positionals : ['articles']
  for (const path of paths) {
    if (!(await stat(path).catch(() => undefined)))
      throw new UsageError(`${path}: no such file or folder\n\n${USAGE}`)
  }
  const files = await findArticleFiles(paths)
  const site = await readSite(values.config)
  const cache = await renderCache()
  const loaded = await loadArticles(files, site, { render: cache.render })
  await cache.save()
  const problems = [...loaded.problems]
  if (!problems.some((problem) => problem.severity === 'error')) {
    const state = buildState(loaded.articles, Date.now())
    problems.push(...checkEntrySizes([...state.chunks, ...state.heads]))
  }
  const errors = problems.filter((problem) => problem.severity === 'error').length
  if (values.json) {
    console.log(
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
    for (const line of problemLines(problems)) console.error(line)
    const warnings = problems.length - errors
    console.log(`${files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s).`)
  }
  return errors === 0 ? EXIT.ok : EXIT.invalid
}

await runCli(() => main(process.argv.slice(2)))
