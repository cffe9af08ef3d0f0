// `npm start` end to end, in a temp project: tools/start.ts's startSite (its publish, a real
// `wrangler dev` serving the dev-only entry with wrangler.toml's edge cache on, the watcher), the
// files saved as an editor saves them. A save shows on the next request, an invalid save prints
// its errors while the last good version stays served, drafts and scheduled articles have
// previews — and the deploy bundle of the same tree, over the same KV, answers 404 there.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as unpublish } from '../../src/cli/unpublish'
import type { UpdateReport } from '../../src/publish/watch-session'
import { MEMORY_LIMITS } from '../../src/worker/cache/memory'
import { freePort } from '../../tools/harness/free-port'
import { drawnJpeg } from '../../tools/harness/photos'
import { readRepoConfig, writeWorkerConfig } from '../../tools/harness/repo-config'
import { serveWorker } from '../../tools/harness/miniflare-worker'
import { startSite, type RunningSite } from '../../tools/start'
import { runInProject } from './support/cli'
import { articleFile, markdownFile } from './support/publishing'

let dir: string
let config: string
let port: number
let inspectorPort: number
let site: RunningSite | undefined
let url: string
let printed = ''

/** When the test last asked the server for something. */
let lastRequestAt = 0

const start = async () => {
  site = await startSite({
    port,
    inspectorPort,
    config,
    folder: join(dir, 'articles'),
    root: dir,
    print: (text) => (printed += text),
  })
}

/** What is left of the isolate's one-second memory copies since the last request. */
async function waitOutMemoryCopies() {
  const wait = lastRequestAt + MEMORY_LIMITS.ttlMs - Date.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}

/**
 * Saves `files` (name → content) into articles/ and waits until the session has published all of
 * them. An isolate keeps a copy in memory for up to a second, which no purge reaches: like an
 * editor, who takes longer than that between reading a page and saving, it first waits out what
 * is left of that since the last request.
 */
async function save(files: Record<string, string>): Promise<UpdateReport[]> {
  await waitOutMemoryCopies()
  const names = Object.keys(files).map((name) => `articles/${name}`)
  const reports: UpdateReport[] = []
  const seen = new Set<string>()
  const written = Promise.all(
    Object.entries(files).map(([name, text]) => writeFile(join(dir, 'articles', name), text)),
  )
  while (names.some((name) => !seen.has(name))) {
    const report = await site!.nextUpdate()
    reports.push(report)
    for (const name of report.saved) seen.add(name)
  }
  await written
  return reports
}

const get = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(url + path, { redirect: 'manual', ...init })
  lastRequestAt = Date.now()
  return response
}
const text = async (path: string) => (await get(path)).text()

const md = (fields: Record<string, unknown>) => markdownFile(articleFile(fields))
const FUTURE = '2099-01-01T08:00:00+02:00'

/** The URL kinds a reader has open, asked for twice so every one is in the cache. */
const READER_URLS = [
  '/',
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/articles/first',
  '/tags/cache',
  '/tags/cache/rss.xml',
  '/sitemaps/articles-1.xml',
]
async function warm() {
  for (const path of READER_URLS) {
    await get(path)
    expect((await get(path)).headers.get('Cache-Status'), path).toMatch(/^Sahifa; hit/)
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sahifa-start-'))
  port = await freePort(9300, 9349)
  inspectorPort = await freePort(9300, 9349, [port])
  url = `http://127.0.0.1:${port}`
  // The project's own configuration (edge cache on, as deployed); SITE_URL comes from the port.
  config = writeWorkerConfig(dir, await readRepoConfig(), {})
  await mkdir(join(dir, 'articles'))
  await writeFile(
    join(dir, 'articles', 'first.md'),
    md({ slug: 'first', title: 'العنوان الأول', tags: ['cache'] }),
  )
  await writeFile(
    join(dir, 'articles', 'second.md'),
    md({ slug: 'second', title: 'مقال ثان', tags: ['cache'] }),
  )
  await start()
}, 120_000)

afterAll(async () => {
  await site?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('npm start', () => {
  it('publishes articles/ and serves it on the port asked for, its links on that origin', async () => {
    expect(printed).toMatch(/✓ articles\/ published in \d+ ms: 2 added, 0 updated, 0 removed/)
    const home = await get('/')
    expect(home.status).toBe(200)
    expect(await home.text()).toContain(`<link rel="canonical" href="${url}/"`)
  })

  it('shows a saved edit and a new article on the next request, in every list and feed', async () => {
    await warm()
    await save({
      'first.md': md({ slug: 'first', title: 'العنوان المصحح', tags: ['cache'] }),
      'third.md': md({
        slug: 'third',
        title: 'خبر جديد',
        tags: ['cache'],
        publishedAt: '2024-11-21T08:30:00+02:00',
      }),
    })
    for (const path of [
      '/',
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/tags/cache',
      '/tags/cache/rss.xml',
    ]) {
      const body = await text(path)
      expect(body, path).toContain('العنوان المصحح')
      expect(body, path).toContain('خبر جديد')
    }
    expect(await text('/articles/first')).toContain('العنوان المصحح')
    expect((await get('/articles/third')).status).toBe(200)
    expect(await text('/sitemaps/articles-1.xml')).toContain('/articles/third')
  }, 60_000)

  it('serves the photo a saved article names from local R2, and a replaced photo file republishes the article', async () => {
    await mkdir(join(dir, 'articles', 'media'), { recursive: true })
    const photoFile = join(dir, 'articles', 'media', 'hall.jpg')
    await writeFile(photoFile, await drawnJpeg({ width: 640, height: 400 }))
    const article = md({ slug: 'photo', image: { url: 'media/hall.jpg', alt: 'القاعة' } })
    await save({ 'photo.md': article })
    const variantsOf = async () =>
      [...(await text('/articles/photo')).matchAll(/\/media\/[^\s"?,]+\.jpg/g)].map(([path]) => path)
    const before = await variantsOf()
    expect(before.length).toBeGreaterThan(0)
    const served = await get(before[0]!)
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('image/jpeg')

    // The photo file alone is saved: the session reads the article naming it again.
    await waitOutMemoryCopies()
    const update = site!.nextUpdate()
    await writeFile(photoFile, await drawnJpeg({ width: 640, height: 480 }))
    const report = await update
    expect(report.saved).toEqual(['articles/photo.md'])
    expect(report.status).toBe('published')
    const after = await variantsOf()
    expect(after.length).toBeGreaterThan(0)
    expect(after.some((path) => before.includes(path))).toBe(false)
    expect((await get(after[0]!)).status).toBe(200)
    expect(await text('/articles/photo')).toContain('height="480"')
  }, 60_000)

  it('prints the errors of an invalid save, and goes on serving the last good version', async () => {
    await warm()
    printed = ''
    const [report] = await save({
      'first.md': '---\nslug: first\ntitle: "العنوان المكسور\n---\nنص\n',
    })
    expect(report!.status).toBe('invalid')
    expect(printed).toContain(
      'articles/first.md:3:8: invalid YAML: the quoted value that starts here is never closed',
    )
    expect(printed).toContain(
      '✗ articles/first.md: not published (errors above); the site keeps the last good version.',
    )
    expect(await text('/articles/first')).toContain('العنوان المصحح')
    expect(await text('/rss.xml')).toContain('العنوان المصحح')
    // Fixed, it is published again.
    await save({ 'first.md': md({ slug: 'first', title: 'العنوان بعد الإصلاح', tags: ['cache'] }) })
    expect(await text('/articles/first')).toContain('العنوان بعد الإصلاح')
  }, 60_000)

  it('previews a draft and a scheduled article at /preview/<slug>, never indexed or stored, and nowhere else', async () => {
    await save({
      'draft.md': md({ slug: 'draft', title: 'مسودة للمعاينة', draft: true }),
      'later.md': md({ slug: 'later', title: 'خبر مجدول', publishedAt: FUTURE }),
    })
    const draft = await get('/preview/draft')
    expect(draft.status).toBe(200)
    expect(draft.headers.get('Cache-Control')).toBe('no-store')
    expect(draft.headers.get('X-Robots-Tag')).toBe('noindex')
    expect(draft.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const page = await draft.text()
    expect(page).toContain('<meta name="robots" content="noindex, nofollow"/>')
    expect(page).toMatch(/<p class="notice" role="status" data-preview="draft">مسودة/)
    expect(page).toContain('مسودة للمعاينة')
    expect(await text('/preview/later')).toMatch(
      /data-preview="scheduled">مجدول[^]*<time datetime="2099-01-01T/,
    )
    for (const path of ['/articles/draft', '/articles/later', '/preview/first', '/preview/none'])
      expect((await get(path)).status, path).toBe(404)
    expect(await text('/')).not.toContain('مسودة للمعاينة')
  }, 60_000)

  it('answers 404 at /preview/ from the deploy bundle of the same tree over the same KV, which holds no preview code', async () => {
    const deployed = await serveWorker({ kvPersist: join(dir, '.wrangler', 'state', 'v3', 'kv') })
    try {
      const code = await readFile(deployed.bundle.main, 'utf8')
      for (const marker of ['/preview/', 'v1:preview', 'data-preview', 'noindex'])
        expect(code.includes(marker), marker).toBe(false)
      const response = await fetch(`${deployed.url}/preview/draft`)
      expect([response.status, await response.text()]).toEqual([
        404,
        expect.not.stringContaining('مسودة للمعاينة'),
      ])
      expect((await fetch(`${deployed.url}/articles/first`)).status).toBe(200)
    } finally {
      await deployed.stop()
    }
  }, 60_000)

  it('shows a CLI unpublish beside the session at once, and the next save does not bring it back', async () => {
    await warm()
    await get('/articles/second')
    await rm(join(dir, 'articles', 'second.md'))
    await site!.nextUpdate()
    const wait = lastRequestAt + MEMORY_LIMITS.ttlMs - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const run = await runInProject(unpublish, dir, ['--config', config, 'second'])
    expect(run.code, run.stderr).toBe(0)
    expect((await get('/articles/second')).status).toBe(410)
    await save({ 'first.md': md({ slug: 'first', title: 'بعد السحب', tags: ['cache'] }) })
    expect(await text('/articles/first')).toContain('بعد السحب')
    expect((await get('/articles/second')).status).toBe(410)
    expect(await text('/rss.xml')).not.toContain('/articles/second<')
    // The CLI stored the feeds it rendered; the session, which leaves that to its worker, took
    // them away with its next save instead of leaving the CLI's (older) bytes to be served.
    expect(await text('/rss.xml')).toContain('بعد السحب')
  }, 60_000)

  it('serves nothing older than the last publish after a restart', async () => {
    await warm()
    await site!.stop()
    site = undefined
    await writeFile(
      join(dir, 'articles', 'first.md'),
      md({ slug: 'first', title: 'عنوان بعد إعادة التشغيل', tags: ['cache'] }),
    )
    await start()
    for (const path of ['/', '/rss.xml', '/articles/first', '/tags/cache']) {
      expect(await text(path), path).toContain('عنوان بعد إعادة التشغيل')
    }
  }, 120_000)
})
