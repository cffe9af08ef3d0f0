// The `npm start` path end to end: the publish CLI (its main, in-process) writing local state,
// and a real `wrangler dev` serving it with wrangler.toml's edge cache on. Once readers have the pages cached, an edit,
// a new article and an unpublish show on the very next request; a restart brings back nothing
// older than the last publish (the Cache API state persists under .wrangler/state).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as publish } from '../../src/cli/publish'
import { main as unpublish } from '../../src/cli/unpublish'
import { MEMORY_LIMITS } from '../../src/worker/cache/memory'
import { freePort } from '../../tools/harness/free-port'
import { readRepoConfig, writeWorkerConfig } from '../../tools/harness/repo-config'
import { startWranglerDev, type WranglerDev } from '../../tools/harness/wrangler-dev'
import { runInProject, type CliMain } from './support/cli'
import { articleFile } from './support/publishing'

let dir: string
let config: string
let state: string
let port: number
let inspectorPort: number
let server: WranglerDev | undefined
let url: string

/** When the test last asked the server for something (see runCli). */
let lastRequestAt = 0

/**
 * A CLI in the temp project, in-process (the same main `npm run articles:publish` runs); it must
 * exit 0. A run from a shell takes longer than the isolate's memory layer keeps a copy (a purge
 * cannot reach it): in-process, the run first waits out what is left of that since the last
 * request, as a real one would have.
 */
async function runCli(main: CliMain, args: string[]) {
  const wait = lastRequestAt + MEMORY_LIMITS.ttlMs - Date.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  const result = await runInProject(main, dir, ['--config', config, ...args])
  expect(result.code, result.stderr).toBe(0)
  return result
}
const publishCli = (...args: string[]) => runCli(publish, args)
const unpublishCli = (slug: string) => runCli(unpublish, [slug])

const writeArticle = (article: Record<string, unknown>) =>
  writeFile(join(dir, 'articles', `${String(article.slug)}.json`), JSON.stringify(article, null, 2))

const serve = async () => {
  server = await startWranglerDev({
    args: ['--persist-to', state, '--var', `SITE_URL:${url}`],
    port,
    inspectorPort,
    dir: join(dir, 'run'),
  })
}

const get = async (path: string) => {
  const response = await fetch(url + path, { redirect: 'manual' })
  lastRequestAt = Date.now()
  return response
}
const text = async (path: string) => (await get(path)).text()

/** The URL kinds a reader has open, asked for twice so every one is in the cache. */
const READER_URLS = ['/', '/rss.xml', '/atom.xml', '/feed.json', '/articles/first', '/tags/cache', '/tags/cache/rss.xml', '/sitemaps/articles-1.xml']
async function warm() {
  for (const path of READER_URLS) {
    await get(path)
    expect((await get(path)).headers.get('Cache-Status'), path).toMatch(/^Sahifa; hit/)
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sahifa-start-'))
  state = join(dir, '.wrangler', 'state')
  port = await freePort(9300, 9349)
  inspectorPort = await freePort(9300, 9349, [port])
  url = `http://127.0.0.1:${port}`
  // The project's own configuration (edge cache on, as deployed), SITE_URL on this server.
  config = writeWorkerConfig(dir, await readRepoConfig(), { vars: { SITE_URL: url } })
  await mkdir(join(dir, 'articles'))
  await mkdir(join(dir, 'run'))
  await writeArticle(articleFile({ slug: 'first', title: 'العنوان الأول', tags: ['cache'] }))
  await writeArticle(articleFile({ slug: 'second', title: 'مقال ثان', tags: ['cache'] }))
  await publishCli()
  await serve()
}, 120_000)

afterAll(async () => {
  await server?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('npm start', () => {
  it('shows an edit and a new article on the next request after the publish', async () => {
    await warm()
    await writeArticle(articleFile({ slug: 'first', title: 'العنوان المصحح', tags: ['cache'] }))
    await writeArticle(articleFile({ slug: 'third', title: 'خبر جديد', tags: ['cache'], publishedAt: '2024-11-21T08:30:00+02:00' }))
    const { stdout } = await publishCli()
    expect(stdout).toContain('Edge cache: purged everything of local cache (.wrangler/state)')
    for (const path of ['/', '/rss.xml', '/atom.xml', '/feed.json', '/tags/cache', '/tags/cache/rss.xml']) {
      const body = await text(path)
      expect(body, path).toContain('العنوان المصحح')
      expect(body, path).toContain('خبر جديد')
    }
    expect(await text('/articles/first')).toContain('العنوان المصحح')
    expect((await get('/articles/third')).status).toBe(200)
    expect(await text('/sitemaps/articles-1.xml')).toContain('/articles/third')
  }, 60_000)

  it('answers an unpublished article with 410 on the next request, and drops it from the feeds', async () => {
    await warm()
    await get('/articles/second')
    await unpublishCli('second')
    expect((await get('/articles/second')).status).toBe(410)
    expect(await text('/rss.xml')).not.toContain('/articles/second<')
  }, 60_000)

  it('serves nothing older than the last publish after a restart', async () => {
    await warm()
    await server!.stop()
    await writeArticle(articleFile({ slug: 'first', title: 'عنوان بعد إعادة التشغيل', tags: ['cache'] }))
    await publishCli()
    await serve()
    for (const path of ['/', '/rss.xml', '/articles/first', '/tags/cache']) {
      expect(await text(path), path).toContain('عنوان بعد إعادة التشغيل')
    }
  }, 120_000)
})
