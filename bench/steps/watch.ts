// Measure 6: `npm start`'s watch mode (tools/start.ts) on a site of 10,000 `.md` articles in a
// temp project — the first publish, then single saves timed from the file write to the first
// request that shows them (the session's own publish time beside it): a body edit in the middle
// of the archive, a body edit of the newest article, a new title for the newest article.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { slugOf, sourceArticle } from '../data'
import { readRepoConfig, writeWorkerConfig } from '../../tools/harness/repo-config'
import { freePort } from '../../tools/harness/free-port'
import { MEMORY_LIMITS } from '../../src/worker/cache/memory'
import { startSite } from '../../tools/start'

export interface WatchRun {
  name: string
  /** From the write of the file to the session's report. */
  publishMs: number
  /** From the write of the file to the first request that shows the change. */
  visibleMs: number
  keysWritten: number
}

export interface WatchResult {
  count: number
  firstPublishMs: number
  runs: WatchRun[]
}

/** Article `i` of `count` as a `.md` file, with `edit` appended to its body and `more` fields. */
export function articleText(
  i: number,
  count: number,
  edit = '',
  title?: string,
  more: Record<string, unknown> = {},
) {
  const { body, ...fields } = sourceArticle(i, count, edit)
  const front = { ...fields, ...(title ? { title } : {}), ...more }
  return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${body}\n`
}

/**
 * `count` generated `.md` articles in `<dir>/articles`, published and served by startSite (what
 * `npm start` runs) on a free port; `file(i)` is article i's path.
 */
export async function startGeneratedSite(
  dir: string,
  count: number,
  log: (line: string) => void,
  step: string,
) {
  const folder = join(dir, 'articles')
  mkdirSync(folder, { recursive: true })
  const file = (i: number) => join(folder, `${slugOf(i)}.md`)
  for (let i = 0; i < count; i++) writeFileSync(file(i), articleText(i, count))
  const config = writeWorkerConfig(dir, await readRepoConfig(), {})
  const port = await freePort(9400, 9499)
  const inspectorPort = await freePort(9400, 9499, [port])
  const started = performance.now()
  const site = await startSite({ port, inspectorPort, config, folder, root: dir, print: () => {} })
  const firstPublishMs = performance.now() - started
  log(`${step}: ${count} articles published and served in ${(firstPublishMs / 1000).toFixed(1)} s`)
  return { site, file, config, firstPublishMs }
}

export async function measureWatch(
  dir: string,
  count: number,
  log: (line: string) => void,
): Promise<WatchResult> {
  const { site, file, firstPublishMs } = await startGeneratedSite(dir, count, log, 'watch')
  const runs: WatchRun[] = []
  try {
    const save = async (name: string, i: number, text: string, marker: string) => {
      // The isolate's one-second memory copies are not what is measured: none is left by now.
      await new Promise((resolve) => setTimeout(resolve, MEMORY_LIMITS.ttlMs))
      const url = `${site.url}/articles/${encodeURIComponent(slugOf(i))}`
      const saved = performance.now()
      const update = site.nextUpdate()
      writeFileSync(file(i), text)
      const report = await update
      const publishMs = performance.now() - saved
      let visibleMs = Infinity
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await (await fetch(url)).text()).includes(marker)) {
          visibleMs = performance.now() - saved
          break
        }
      }
      runs.push({ name, publishMs, visibleMs, keysWritten: report.keysWritten })
      log(
        `watch ${name}: published in ${publishMs.toFixed(0)} ms, visible in ${visibleMs.toFixed(0)} ms`,
      )
    }
    const middle = Math.floor(count / 2)
    const newest = count - 1
    const edit = 'فقرة أضيفت أثناء التحرير.'
    await save(
      'body edit, an article in the middle',
      middle,
      articleText(middle, count, `\n\n${edit}\n`),
      edit,
    )
    await save(
      'body edit, the newest article',
      newest,
      articleText(newest, count, `\n\n${edit}\n`),
      edit,
    )
    const title = 'عنوان جديد للخبر الأحدث'
    await save(
      'new title, the newest article',
      newest,
      articleText(newest, count, '', title),
      title,
    )
  } finally {
    await site.stop()
  }
  return { count, firstPublishMs, runs }
}
