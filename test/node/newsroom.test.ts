// Issue #12's cases through the real publish CLI (in-process main) and real miniflare KV: a partial
// run cannot take a live article down from another folder, dates in the future and write
// amplification are bounded, names that are path segments are refused — and an embargoed
// article published through the CLI shows nothing of itself in the deploy bundle over that KV.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveWorker, type ServedWorker } from '../../tools/harness/miniflare-worker'
import { readRepoConfig } from '../../tools/harness/repo-config'
import { main as publish } from '../../src/cli/publish'
import { runInProject } from './support/cli'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

let project: TempProject
let namespace: string
const run = (args: string[] = []) => runInProject(publish, project.root, args)

/** One key of the local KV state the CLI wrote (what `wrangler dev` serves). */
async function localKey(key: string): Promise<string | null> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response() } }',
    kvNamespaces: { ARTICLES: namespace },
    compatibilityDate: '2026-04-26',
    kvPersist: join(project.root, '.wrangler/state/v3/kv'),
    cf: false,
  })
  try {
    return await (await mf.getKVNamespace('ARTICLES')).get(key, 'text')
  } finally {
    await mf.dispose()
  }
}

beforeAll(async () => {
  namespace = (await readRepoConfig()).kvId
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml(namespace))
  await project.writeArticles([articleFile({ slug: 'live-article', title: 'حي' })])
  expect((await run()).code).toBe(0)
})
afterAll(() => project.dispose())

describe('a partial run', () => {
  it('cannot take down a live article from another folder while its file exists', async () => {
    await mkdir(join(project.root, 'other'))
    const newcomer = join(project.root, 'other', 'newcomer.json')
    await writeFile(newcomer, JSON.stringify(articleFile({ slug: 'newcomer', redirectFrom: ['live-article'] }), null, 2))
    const result = await run([newcomer])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('"live-article" is a live article and articles/live-article.json still exists')
    expect(result.stdout).not.toContain('removed')
    expect(await localKey('v1:article:live-article')).not.toBeNull()
    expect(await localKey('v1:article:newcomer')).toBeNull()
  })
})

describe('input limits', () => {
  it('refuses an updatedAt in the future, at its line and column', async () => {
    await project.write('future.json', articleFile({ slug: 'future', updatedAt: '2099-01-01T00:00:00Z' }))
    const result = await run()
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/articles\/future\.json:\d+:\d+: updatedAt: 2099-01-01T00:00:00Z is in the future/)
    await project.remove('future.json')
  })

  it('warns of a publication more than a year ahead, and publishes it scheduled', async () => {
    await project.write('far.json', articleFile({ slug: 'far', publishedAt: '2099-01-01T00:00:00Z' }))
    const result = await run(['--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/articles\/far\.json:\d+:\d+: warning: publishedAt: 2099-01-01T00:00:00Z is more than a year ahead/)
    await project.remove('far.json')
  })

  it('refuses 8,000 tags before writing anything, and a dry run reports what an article costs in KV', async () => {
    const tags = Array.from({ length: 8_000 }, (_, i) => `وسم-${i}`)
    await project.write('tags.json', articleFile({ slug: 'tags', tags }))
    const refused = await run()
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('tags: at most 30 tags: each is a list with its own pages and feeds')
    expect(await localKey('v1:article:tags')).toBeNull()

    await project.write('tags.json', articleFile({ slug: 'tags', tags: tags.slice(0, 30) }))
    const dry = await run(['--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^writes \d+ keys, [\d.]+ KiB, for \d+ changed article\(s\) of [\d.]+ KiB: [\d.]+ keys per article, [\d.]+× its bytes$/m)
    await project.remove('tags.json')
  })

  it.each([
    ['a tag', { tags: ['..'] }, 'tags[0]'],
    ['a section', { section: '.' }, 'section'],
    ['an author', { authors: [{ name: '..' }] }, 'authors[0].name'],
  ])('refuses %s that is a path segment, not a name', async (_, fields, path) => {
    await project.write('dots.json', articleFile({ slug: 'dots', ...fields }))
    const result = await run()
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${path}: must not be "." or "..": it would be a path, not a name`)
    await project.remove('dots.json')
  })
})

describe('an embargoed article published through the CLI', () => {
  let worker: ServedWorker
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString()

  beforeAll(async () => {
    await project.write(
      'embargoed.json',
      articleFile({
        slug: 'embargoed',
        title: 'نبأ تحت الحظر',
        publishedAt: inAnHour,
        section: 'EmbargoSection',
        tags: ['EmbargoTag'],
        authors: [{ name: 'Embargo Writer' }],
        redirectFrom: ['live-article'],
      }),
    )
    await project.remove('live-article.json')
    expect((await run()).code).toBe(0)
    worker = await serveWorker({ kvPersist: join(project.root, '.wrangler/state/v3/kv') })
  }, 60_000)
  afterAll(() => worker.stop())

  it.each([
    '/sections/embargosection',
    '/sections/embargosection/rss.xml',
    '/tags/embargotag',
    '/tags/embargotag/rss.xml',
    '/authors/embargo%20writer/atom.xml',
    '/articles/embargoed',
    '/articles/live-article',
  ])('answers %s 404 before its time', async (path) => {
    const response = await fetch(worker.url + path, { redirect: 'manual' })
    expect(response.status).toBe(404)
    const body = await response.text()
    // The 404 page names the URL asked for (its canonical link) and nothing else about it.
    for (const secret of ['EmbargoSection', 'EmbargoTag', 'Embargo Writer', 'نبأ تحت الحظر', 'embargoed']) {
      if (!path.includes(secret)) expect(body, path).not.toContain(secret)
    }
  })

  it.each(['/', '/rss.xml', '/feed.json', '/sitemap.xml', '/sitemaps/lists.xml', '/sitemaps/articles-1.xml', '/news-sitemap.xml', '/feeds', '/feeds.opml'])(
    'says nothing of it in %s',
    async (path) => {
      const body = await (await fetch(worker.url + path)).text()
      for (const secret of ['embargosection', 'EmbargoSection', 'embargotag', 'EmbargoTag', 'Embargo Writer', 'embargo%20writer', 'نبأ تحت الحظر', 'embargoed']) {
        expect(body, path).not.toContain(secret)
      }
    },
  )
})
