// Measure 4: the real publish CLI (`npm run articles:publish`) on 1,000 generated article files,
// in a temp copy of the project so its local KV and load cache start empty and the repo's
// .wrangler/state is never touched. Three runs: all new, no change, one article changed.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { projectCopy, publishOutcome, runCli, writeArticleJson } from '../lib/project'

export interface PublishRun {
  name: string
  ms: number
  exitCode: number
  keysWritten: number | null
  keysDeleted: number | null
  summary: string
}

/** Far above what 1,000 articles take: a hung publish fails the step instead of the bench. */
const TIMEOUT_MS = 10 * 60_000

export async function measurePublish(
  dir: string,
  count: number,
  log: (line: string) => void,
): Promise<PublishRun[]> {
  projectCopy(dir)
  const articles = join(dir, 'bench-articles')
  mkdirSync(articles)
  for (let i = 0; i < count; i++) writeArticleJson(articles, i, count)
  const runs: PublishRun[] = []
  const once = async (name: string) => {
    const result = await runCli(dir, 'articles:publish', ['--local', '--json', 'bench-articles'], {
      timeoutMs: TIMEOUT_MS,
    })
    const outcome = publishOutcome(result.stdout)
    if (result.code !== 0)
      log(`publish "${name}" exited ${result.code}: ${result.stderr.slice(-2000)}`)
    runs.push({
      name,
      ms: result.ms,
      exitCode: result.code,
      keysWritten: outcome.written,
      keysDeleted: outcome.deleted,
      summary: outcome.summary,
    })
    log(`publish ${name}: ${(result.ms / 1000).toFixed(1)} s, ${outcome.written} keys written`)
  }
  await once(`${count.toLocaleString('en-US')} new articles`)
  await once('no change')
  writeArticleJson(articles, Math.floor(count / 2), count, '\nفقرة أضيفت بعد النشر.\n')
  await once('one article changed')
  return runs
}
