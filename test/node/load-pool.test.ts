// Loading on loader threads (load-pool.ts): the threads start from the TypeScript sources as the
// CLIs run them, and a run prepared on them loads every kind of file — articles, drafts, invalid
// files, files that are not articles — to exactly what the main thread loads, problems placed at
// the same lines, cache entries the next run hits.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findArticleFiles } from '../../src/publish/article-files'
import { combineLoads, loadFiles, prepareText } from '../../src/publish/load-articles'
import { loadCache } from '../../src/publish/load-cache'
import { loaderThreads, loadPool, POOL_MIN_FILES } from '../../src/publish/load-pool'
import { linkProblems, runLinkTargets } from '../../src/publish/link-checks'
import { articleFile, markdownFile, NOW, SITE, TempProject } from './support/publishing'

let project: TempProject
beforeAll(async () => {
  project = await TempProject.create()
  await project.writeArticles([
    articleFile({ slug: 'a', title: 'ألف', tags: ['x'], body: 'نص [باء](/articles/b) و[خارجي](https://example.org/).' }),
    articleFile({ slug: 'b', title: 'باء', tags: ['x'], language: 'en', body: 'Text with **bold**.\r\n\r\n## Heading' }),
    articleFile({ slug: 'draft', draft: true }),
    // Invalid: an error placed at its line and column.
    articleFile({ slug: 'bad', publishedAt: 'yesterday' }),
  ])
  await project.write('c.md', markdownFile(articleFile({ slug: 'c', title: 'جيم' })))
  await project.write('bom.json', `\uFEFF${JSON.stringify(articleFile({ slug: 'bom' }))}`)
  // The same slug twice: a rule across files, placed through each load's locator.
  await project.write('twin.json', articleFile({ slug: 'a', title: 'توأم' }))
  await project.write('broken.json', '{ "slug": "broken", ')
  await project.write('notes.txt', 'not an article')
})
afterAll(() => project.dispose())

/** A load as data: what a thread can send, the locator left out. */
const plain = (loads: readonly object[]) => JSON.parse(JSON.stringify(loads)) as unknown

async function loadAll(threads: number, cacheDir?: string) {
  const files = await findArticleFiles([project.articlesDir])
  const cache = cacheDir ? loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true }, cacheDir) : undefined
  const loads = await loadFiles(files, SITE, { root: project.root, now: NOW, threads, cache })
  return { loads, cache }
}

describe('loader threads', () => {
  it('are used only for enough files to pay for their start, at most one a core', () => {
    expect(loaderThreads(POOL_MIN_FILES - 1)).toBe(0)
    expect(loaderThreads(POOL_MIN_FILES)).toBe(1)
    expect(loaderThreads(1_000_000)).toBeGreaterThanOrEqual(1)
    expect(loaderThreads(1_000_000)).toBeLessThanOrEqual(4)
  })

  it('prepare a text on a thread to what the main thread prepares', async () => {
    const file = 'articles/a.json'
    const text = { file, path: join(project.articlesDir, 'a.json'), problems: [], raw: JSON.stringify(articleFile({ slug: 'a' })) }
    const pool = loadPool(SITE, { prepareDrafts: false, threads: 1 })
    try {
      const [onThread, here] = await Promise.all([pool.prepare(text), prepareText(text, SITE, {})])
      expect(onThread).toEqual(JSON.parse(JSON.stringify(here.prepared)))
      expect(onThread.loaded?.article.html).toContain('<p>')
    } finally {
      await pool.close()
    }
    await expect(pool.prepare(text)).rejects.toThrow('stopped')
  })

  it('load every kind of file as the main thread does, problems at the same places', async () => {
    const here = await loadAll(0)
    const threaded = await loadAll(2)
    expect(plain(threaded.loads)).toEqual(plain(here.loads))
    const problems = combineLoads(threaded.loads).problems
    expect(problems).toEqual(combineLoads(here.loads).problems)
    // The rule across files placed the twin's slug through the thread-made load's locator.
    expect(problems.find((problem) => problem.file.endsWith('twin.json'))).toMatchObject({ path: 'slug', line: 3 })
    expect(problems.find((problem) => problem.file.endsWith('bad.json'))).toMatchObject({ severity: 'error', path: 'publishedAt' })
  })

  it("classify each article's links to articles and files once, with the load", async () => {
    const { loads } = await loadAll(2)
    const a = loads.find((load) => load.file.endsWith('a.json'))!.loaded!
    expect(a.internalLinks).toEqual([{ at: ['body', expect.any(Number)], link: { kind: 'article', slug: 'b' } }])
    // The check reads the classification the load carries: no URL is parsed again.
    const problems = await linkProblems(
      [{ ...a, internalLinks: [{ at: ['body', 0], link: { kind: 'article', slug: 'nowhere' } }] }],
      runLinkTargets(combineLoads(loads), true),
      SITE,
      NOW,
    )
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('/articles/nowhere, which is no article')])
  })

  it('leave cache entries the next run hits', async () => {
    const cacheDir = join(project.root, 'cache')
    const first = await loadAll(2, cacheDir)
    // Every file read is kept (invalid ones and drafts too); notes.txt is not an article.
    expect(first.cache!.counts).toEqual({ hits: 0, stored: 8 })
    const second = await loadAll(2, cacheDir)
    expect(second.cache!.counts).toEqual({ hits: 8, stored: 0 })
    const [before, after] = [combineLoads(first.loads), combineLoads(second.loads)]
    expect(plain(after.loaded)).toEqual(plain(before.loaded))
    expect(after.problems).toEqual(before.problems)
  })
})
