// The load cache (load-cache.ts) in front of a real publish into miniflare's KV: an unchanged file
// is never rendered again, and whatever the cache holds — fresh, stale, corrupt or made by other
// code or settings — KV ends byte for byte as a publish without it leaves it.
import { appendFile, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findArticleFiles } from '../../src/publish/article-files'
import { CacheChanged, loadCache, type LoadCacheOptions } from '../../src/publish/load-cache'
import { publish } from '../../src/publish/pipeline'
import { EMPTY_MANIFEST } from '../../src/publish/manifest'
import { planMedia } from '../../src/publish/media-plan'
import { teaserOf } from '../../src/model/list-layout'
import { renderBody, type RenderBody } from '../../src/publish/render-markdown'
import { articleFile, NOW, SITE, TempProject, TestKv } from './support/publishing'

let kv: TestKv
let project: TempProject
let cacheDir: string
beforeAll(async () => {
  kv = await TestKv.create()
})
afterAll(() => kv.dispose())
beforeEach(async () => {
  await project?.dispose()
  project = await TempProject.create()
  cacheDir = join(project.root, 'node_modules/.cache/sahifa/loads')
  await kv.restore({})
  await project.writeArticles([
    articleFile({ slug: 'a', title: 'ألف', tags: ['x'] }),
    articleFile({ slug: 'b', title: 'باء', tags: ['x'], body: 'نص [ألف](/articles/a).' }),
    articleFile({ slug: 'c', title: 'جيم' }),
  ])
})

/** One CLI-like publish with the cache in the project: what it did, and what it rendered. */
async function run(options: Partial<LoadCacheOptions> & { prune?: boolean } = {}) {
  const rendered: string[] = []
  const render: RenderBody = (source, baseUrl) => {
    rendered.push(baseUrl.slice(baseUrl.lastIndexOf('/') + 1))
    return renderBody(source, baseUrl)
  }
  // As the CLIs make it: bodies stay on disk.
  const cache = loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true, ...options }, cacheDir)
  const result = await publish({
    files: await findArticleFiles([project.articlesDir]),
    site: options.site ?? SITE,
    target: kv.target(),
    dryRun: false,
    now: NOW,
    root: project.root,
    render,
    cache,
    prune: options.prune,
  })
  return { result, rendered: rendered.sort(), hits: cache.counts.hits }
}

/** KV as a publish without any cache leaves it for the files as they are now. */
async function uncachedSnapshot() {
  const cached = await kv.snapshot()
  await kv.restore({})
  await publish({
    files: await findArticleFiles([project.articlesDir]),
    site: SITE,
    target: kv.target(),
    dryRun: false,
    now: NOW,
    root: project.root,
  })
  const fresh = await kv.snapshot()
  await kv.restore(cached)
  return fresh
}

/** Every entry file in the cache. */
async function entryFiles() {
  const files: string[] = []
  for (const folder of await readdir(cacheDir))
    for (const name of await readdir(join(cacheDir, folder))) files.push(join(cacheDir, folder, name))
  return files
}

const written = (outcome: Awaited<ReturnType<typeof run>>) =>
  outcome.result.status === 'invalid' ? -1 : outcome.result.keysWritten

describe('the load cache', () => {
  it('renders nothing and writes nothing when no file changed', async () => {
    expect((await run()).rendered).toEqual(['a', 'b', 'c'])
    const again = await run()
    expect(again).toMatchObject({ rendered: [], hits: 3 })
    expect(written(again)).toBe(0)
    expect(await kv.snapshot()).toEqual(await uncachedSnapshot())
  })

  it('loads an edited file again and rewrites its article', async () => {
    await run()
    await project.write('c.json', articleFile({ slug: 'c', title: 'جيم معدل' }))
    const edited = await run()
    expect(edited).toMatchObject({ rendered: ['c'], hits: 2 })
    expect(edited.result.status === 'published' && edited.result.plan.updated).toEqual(['c'])
    expect(await kv.snapshot()).toEqual(await uncachedSnapshot())
  })

  it('takes a file touched without a change from the cache, under its new time', async () => {
    await run()
    const later = new Date(NOW + 60_000)
    await utimes(join(project.articlesDir, 'a.json'), later, later)
    const touched = await run()
    expect(touched).toMatchObject({ rendered: [], hits: 3 })
    expect(written(touched)).toBe(0)
  })

  it('rebuilds from the files when every entry is corrupt, to the same KV', async () => {
    await run()
    const expected = await kv.snapshot()
    for (const folder of await readdir(cacheDir))
      for (const name of await readdir(join(cacheDir, folder)))
        await writeFile(join(cacheDir, folder, name), name.length % 2 ? '{"version":1' : '{}')
    await kv.restore({})
    expect((await run()).rendered).toEqual(['a', 'b', 'c'])
    expect(await kv.snapshot()).toEqual(expected)
  })

  it('misses every entry once the site settings or the loading code change', async () => {
    await run()
    expect((await run({ engine: 'another version of the publisher' })).rendered).toEqual([
      'a',
      'b',
      'c',
    ])
    const site = { ...SITE, url: 'https://other.example' }
    const moved = await run({ site })
    expect(moved.rendered).toEqual(['a', 'b', 'c'])
    expect(moved.hits).toBe(0)
  })

  it('reports a deleted file as gone and its links as broken, from cached loads', async () => {
    await run()
    await project.remove('a.json')
    const pruned = await run({ prune: true })
    // b links to a: the cached b is checked again, and placed by reading b anew.
    expect(pruned.result.status).toBe('invalid')
    expect(pruned.result.problems).toEqual([
      expect.objectContaining({
        file: 'articles/b.json',
        line: expect.any(Number),
        column: expect.any(Number),
        message: expect.stringContaining('/articles/a'),
      }),
    ])
  })

  it('reads a body left on disk when asked for, and refuses one that changed under the run', async () => {
    await run()
    const path = join(project.articlesDir, 'b.json')
    const cached = await loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true }, cacheDir)
      .byStat(path, 'articles/b.json')
    const html = cached?.loaded?.article.html
    expect(html).toContain('/articles/a"')
    // Another run rewrites the entry meanwhile (same length, other bytes): the body is not guessed.
    for (const file of await entryFiles()) {
      const text = await readFile(file, 'utf8')
      await writeFile(file, text.replace(html!, html!.replace('ألف', 'باء')))
    }
    expect(() => cached?.loaded?.article.html).toThrow(CacheChanged)
    // The photo plan asks every article for its bucket keys: the entry says, the body is not read.
    expect(planMedia([cached!.loaded!.article], EMPTY_MANIFEST, new Map()).problems).toEqual([])
    // Nor do the lists, whose chunks hold every article as a teaser.
    expect(teaserOf(cached!.loaded!.article)).toMatchObject({ slug: 'b', title: 'باء' })
    expect(() => JSON.stringify(cached?.loaded?.article)).toThrow('articles/b.json: its cached load changed')
  })

  it('keeps a watch session’s bodies in memory: a later rewrite of the entry does not reach them', async () => {
    const session = { site: SITE, prepareDrafts: true }
    const path = join(project.articlesDir, 'b.json')
    // Filled by a first load (as a session's first publish does), then read back.
    const first = await run(session)
    expect(first.result.status).toBe('published')
    const cached = await loadCache(session, cacheDir).byStat(path, 'articles/b.json')
    const html = cached!.loaded!.article.html
    for (const file of await entryFiles()) await writeFile(file, '{}')
    expect(cached!.loaded!.article.html).toBe(html)
    expect(JSON.stringify(cached!.loaded!.article)).toContain('/articles/a')
  })

  it('reads two files that swapped contents again, and reports both slugs', async () => {
    await run()
    const path = (name: string) => join(project.articlesDir, name)
    await rename(path('a.json'), path('swap'))
    await rename(path('c.json'), path('a.json'))
    await rename(path('swap'), path('c.json'))
    const swapped = await run()
    expect(swapped.result.status).toBe('invalid')
    expect(swapped.result.problems.map((problem) => [problem.file, problem.path])).toEqual([
      ['articles/a.json', 'slug'],
      ['articles/c.json', 'slug'],
    ])
    // Each fixed in place: published as the files now say, as without a cache.
    for (const slug of ['a', 'c']) {
      const text = await readFile(path(`${slug}.json`), 'utf8')
      await writeFile(path(`${slug}.json`), text.replace(/"slug": "[ac]"/, `"slug": "${slug}"`))
    }
    expect((await run()).result.status).toBe('published')
    expect(await kv.snapshot()).toEqual(await uncachedSnapshot())
  })

  it('takes each line from its index, keeps every line through a partial run, and never guesses a body', async () => {
    await run()
    // A run over one file: the index still holds the other two.
    const cache = () => loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true }, cacheDir)
    const partial = await publish({
      files: [join(project.articlesDir, 'c.json')],
      site: SITE,
      target: kv.target(),
      dryRun: true,
      now: NOW,
      root: project.root,
      cache: cache(),
    })
    expect(partial.status).toBe('dry-run')
    // Each entry file gone: the lines come from the index alone (no entry is opened for a hit)…
    for (const file of await entryFiles()) if (file.endsWith('.entry')) await writeFile(file, '')
    const loads = cache()
    for (const name of ['a', 'b', 'c'])
      expect((await loads.byStat(join(project.articlesDir, `${name}.json`), `articles/${name}.json`))?.loaded?.article.slug).toBe(name)
    expect(loads.counts.hits).toBe(3)
    // …and a body, which only the entry holds, is not guessed.
    const b = await cache().byStat(join(project.articlesDir, 'b.json'), 'articles/b.json')
    expect(() => b?.loaded?.article.html).toThrow(CacheChanged)
    // An index written for other settings is not read at all.
    const other = loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true, engine: 'other' }, cacheDir)
    expect(await other.byStat(join(project.articlesDir, 'a.json'), 'articles/a.json')).toBeUndefined()
  })

  it('appends the lines a run changed to its index, survives a torn line, and writes it anew once mostly stale', async () => {
    const indexFile = join(cacheDir, 'index', 'entries.lines')
    const lines = async () => (await readFile(indexFile, 'utf8')).split('\n').filter(Boolean)
    const inode = async () => (await stat(indexFile)).ino
    // Twelve articles: one edit is under a quarter of the lines, four edits are not.
    for (const slug of 'defghijkl') await project.write(`${slug}.json`, articleFile({ slug, title: `عنوان ${slug}` }))
    await run()
    const first = { lines: await lines(), inode: await inode() }
    expect(first.lines).toHaveLength(1 + 12)
    // No change: the index is not written at all.
    await run()
    expect(await inode()).toBe(first.inode)
    expect(await lines()).toEqual(first.lines)
    // One edit: its line appended, the file kept; the new line wins over the old one.
    await project.write('c.json', articleFile({ slug: 'c', title: 'جيم معدل' }))
    await run()
    expect(await inode()).toBe(first.inode)
    expect(await lines()).toHaveLength(1 + 13)
    // A run that stopped mid-append leaves a torn last line: it is skipped, and the next append
    // starts on a line of its own.
    await appendFile(indexFile, (await lines())[1]!.slice(0, 20))
    await project.write('d.json', articleFile({ slug: 'd', title: 'عنوان معدل' }))
    const afterTear = await run()
    expect(afterTear).toMatchObject({ rendered: ['d'], hits: 11 })
    expect(await inode()).toBe(first.inode)
    expect((await lines()).at(-1)).toMatch(/^"[^"]*d\.json"\t\{/)
    const fromIndex = loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true }, cacheDir)
    for (const file of await entryFiles()) if (file.endsWith('.entry')) await rename(file, `${file}.away`)
    expect((await fromIndex.byStat(join(project.articlesDir, 'c.json'), 'articles/c.json'))?.loaded?.article.title).toBe('جيم معدل')
    for (const file of await entryFiles()) if (file.endsWith('.away')) await rename(file, file.slice(0, -'.away'.length))
    // Four more edits: stale lines pass a quarter, and the index is written anew, one line a file.
    for (const slug of 'efgh') await project.write(`${slug}.json`, articleFile({ slug, title: `عنوان ${slug} 2` }))
    expect((await run()).rendered).toEqual(['e', 'f', 'g', 'h'])
    expect(await inode()).not.toBe(first.inode)
    expect(await lines()).toHaveLength(1 + 12)
    expect((await run()).hits).toBe(12)
    expect(await kv.snapshot()).toEqual(await uncachedSnapshot())
  })

  it('drops the lines of deleted files when it writes the index anew, and keeps those of files a run did not meet', async () => {
    const indexFile = join(cacheDir, 'index', 'entries.lines')
    const paths = async () => (await readFile(indexFile, 'utf8')).split('\n').slice(1).filter(Boolean).map((line) => JSON.parse(line.slice(0, line.indexOf('\t'))) as string)
    for (const slug of 'defghijkl') await project.write(`${slug}.json`, articleFile({ slug, title: `عنوان ${slug}` }))
    await run()
    const entries = async () => (await entryFiles()).filter((file) => file.endsWith('.entry')).length
    expect(await entries()).toBe(12)
    // Two files deleted, four edited: the index is written anew, without the deleted two, whose
    // entry files go too…
    await rm(join(project.articlesDir, 'k.json'))
    await rm(join(project.articlesDir, 'l.json'))
    for (const slug of 'efgh') await project.write(`${slug}.json`, articleFile({ slug, title: `عنوان ${slug} 2` }))
    await run({ prune: true })
    expect((await paths()).map((path) => path.slice(path.lastIndexOf('/') + 1)).sort()).toEqual(
      'abcdefghij'.split('').map((slug) => `${slug}.json`),
    )
    expect(await entries()).toBe(10)
    // …while runs over one file each keep the lines of the others, still there: the third one's
    // stale lines pass a quarter, and it writes the index anew.
    for (const slug of 'abc') {
      await project.write(`${slug}.json`, articleFile({ slug, title: `عنوان ${slug} 3` }))
      const cache = loadCache({ site: SITE, prepareDrafts: false, bodiesOnDisk: true }, cacheDir)
      const files = [join(project.articlesDir, `${slug}.json`)]
      await publish({ files, site: SITE, target: kv.target(), dryRun: true, now: NOW, root: project.root, cache })
    }
    expect(await paths()).toHaveLength(10)
    expect(await entries()).toBe(10)
  })
})
