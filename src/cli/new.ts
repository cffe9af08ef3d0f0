// The scaffold CLI: `npm run articles:new -- <slug> [--json] [--dir articles]` writes
// articles/<slug>.md (or .json), valid as written, dated now, marked as a draft.
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Slug } from '../model/article-source'
import { scaffoldArticle } from '../publish/article-scaffold'
import { articleFileFor } from '../publish/content-paths'
import { parseArticleFile } from '../publish/parse-article'
import { printableFile } from '../publish/problems'
import { problemLines } from '../publish/publish-report'
import { commandMain, EXIT, parseFlags, printLine, runIfMain, UsageError } from './command'
import type { CliIo } from './command'

const USAGE = `usage: npm run articles:new -- <slug> [--json] [--dir articles]

Creates <dir>/<slug>.md — its fields between two --- lines, then the body in Markdown — dated
now and marked draft: true. Fill it in, remove draft, then run npm run articles:check and
npm run articles:publish.

  --json       create <dir>/<slug>.json instead (the body a JSON string)`

async function newCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      dir: { type: 'string', default: 'articles' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  )
  if (values.help) {
    printLine(io.stdout, USAGE)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError(`name exactly one slug\n\n${USAGE}`)
  const slug = positionals[0]!.normalize('NFC')
  const valid = Slug.safeParse(slug)
  if (!valid.success) {
    printLine(io.stderr, `${slug}: slug ${valid.error.issues[0]?.message}`)
    return EXIT.invalid
  }
  const format = values.json ? '.json' : '.md'
  const existing = articleFileFor(values.dir, slug)
  if (existing) {
    printLine(io.stderr, `${printableFile(existing)} already exists; nothing was written.`)
    return EXIT.invalid
  }
  const file = join(values.dir, `${slug}${format}`)
  const text = scaffoldArticle(
    slug,
    new Date(io.clock.now()),
    format,
    relative(values.dir, 'schema/article.schema.json'),
  )
  const problems = parseArticleFile(file, text).problems
  if (problems.length > 0)
    throw new Error(`the scaffold is invalid:\n${problemLines(problems).join('\n')}`)
  try {
    await writeFile(file, text, { flag: 'wx' })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    printLine(
      io.stderr,
      code === 'EEXIST'
        ? `${file} already exists; nothing was written.`
        : `cannot write ${file}: ${(error as Error).message}`,
    )
    return EXIT.invalid
  }
  printLine(
    io.stdout,
    `created ${file} (a draft dated now): fill it in, remove draft, then npm run articles:publish`,
  )
  return EXIT.ok
}

export const main = commandMain(newCommand)

runIfMain(import.meta.url, main)
