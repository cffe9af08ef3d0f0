// The scaffold CLI: `npm run articles:new -- <slug> [--dir articles]` writes articles/<slug>.json,
// valid as written, dated now, marked as a draft.
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Slug } from '../src/model/article-source'
import { parseArticleFile } from './articles'
import { EXIT, parseFlags, runCli, UsageError } from './cli'
import { problemLines } from './report'
import { scaffoldArticle } from './scaffold'

const USAGE = `usage: npm run articles:new -- <slug> [--dir articles]

Creates <dir>/<slug>.json dated now and marked "draft": true. Fill it in, remove "draft", then
run npm run articles:check and npm run articles:publish.`

async function main(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { dir: { type: 'string', default: 'articles' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  )
  if (values.help) {
    console.log(USAGE)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError(`name exactly one slug\n\n${USAGE}`)
  const slug = positionals[0]!.normalize('NFC')
  const valid = Slug.safeParse(slug)
  if (!valid.success) {
    console.error(`${slug}: slug ${valid.error.issues[0]?.message}`)
    return EXIT.invalid
  }
  const file = join(values.dir, `${slug}.json`)
  const text = scaffoldArticle(slug, new Date(), relative(values.dir, 'schema/article.schema.json'))
  const problems = parseArticleFile(file, text).problems
  if (problems.length > 0)
    throw new Error(`the scaffold is invalid:\n${problemLines(problems).join('\n')}`)
  try {
    await writeFile(file, text, { flag: 'wx' })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    console.error(
      code === 'EEXIST'
        ? `${file} already exists; nothing was written.`
        : `cannot write ${file}: ${(error as Error).message}`,
    )
    return EXIT.invalid
  }
  console.log(
    `created ${file} (a draft dated now): fill it in, remove "draft", then npm run articles:publish`,
  )
  return EXIT.ok
}

await runCli(() => main(process.argv.slice(2)))
