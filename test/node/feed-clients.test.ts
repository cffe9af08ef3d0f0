// The site feeds as real clients read them: the worker bundle in workerd on loopback, fetched
// over HTTP, then read by xmllint (strict XML), the feed parsers aggregators run
// (@rowanmanning/feed-parser, rss-parser, Python's Universal Feed Parser), a real reader
// (newsboat, headless) and the JSON Feed 1.1 JSON Schema. Each must accept the feed without
// warnings and see the seed article intact.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { parseFeed } from '@rowanmanning/feed-parser'
import { Ajv } from 'ajv'
import RssParser from 'rss-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredArticle } from '../../src/model/article'
import { findArticleFiles } from '../../src/publish/article-files'
import { loadArticles } from '../../src/publish/load-articles'
import { parseSiteConfig } from '../../src/model/site'
import { serveWorker, type ServedWorker } from '../../tools/harness/miniflare-worker'
import { harnessPhotoStore } from '../../tools/harness/photo-store'
import { readRepoConfig } from '../../tools/harness/repo-config'
import { HAS_FEEDPARSER, HAS_NEWSBOAT, HAS_XMLLINT, pipeTo, run } from './support/feed-tools'

const SEED_TITLE = 'الانسحاب الأميركي من العراق على طاولة البحث من جديد'
const SEED_URL = `http://127.0.0.1:8787/articles/${encodeURIComponent('الانسحاب-الأميركي-من-العراق')}`
const PHOTO_TITLE = 'عينة: صورة من صنع صحيفة تعرض الصور المتجاوبة'

/** Python's Universal Feed Parser: bozo is 1 for any well-formedness or encoding problem. */
const FEEDPARSER_SCRIPT = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": d.bozo, "error": str(d.get("bozo_exception", "")), "version": d.version,
  "language": d.feed.get("language"), "title": d.feed.get("title"),
  "entries": [{"title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
               "published": e.get("published"), "content": (e.get("content") or [{}])[0].get("value", ""),
               "tags": [t.get("term") for t in e.get("tags", [])],
               "enclosures": [{"href": x.get("href"), "length": x.get("length"), "type": x.get("type")}
                              for x in e.get("enclosures", [])]} for e in d.entries],
}))
`

let server: ServedWorker
let articles: StoredArticle[]
const feeds: Record<string, string> = {}
/** The sample's photo as the worker serves it: what every client's enclosure must describe. */
let photo: { url: string; length: number; type: string }

beforeAll(async () => {
  const site = parseSiteConfig((await readRepoConfig()).vars)
  const loaded = await loadArticles(await findArticleFiles(['articles']), site, { photos: harnessPhotoStore() })
  articles = loaded.articles
  server = await serveWorker({ articles, media: loaded.media })
  for (const path of ['/rss.xml', '/atom.xml', '/feed.json']) {
    feeds[path] = await (await fetch(server.url + path)).text()
  }
  // The feeds name SITE_URL (wrangler.toml's origin); the file is fetched from this server.
  const url = articles.find((article) => article.title === PHOTO_TITLE)!.image!.variants!.at(-1)!.path
  const served = await fetch(server.url + url)
  const bytes = (await served.arrayBuffer()).byteLength
  expect(served.headers.get('Content-Length')).toBe(String(bytes))
  photo = { url: `http://127.0.0.1:8787${url}`, length: bytes, type: served.headers.get('Content-Type')! }
})

afterAll(async () => {
  await server?.stop()
})

describe.each(['/rss.xml', '/atom.xml'])('%s', (path) => {
  it.runIf(HAS_XMLLINT)('is well-formed XML 1.0 for xmllint', async () => {
    const { stderr } = await pipeTo('xmllint', ['--noout', '-'], feeds[path]!)
    expect(stderr).toBe('')
  })

  it('parses in @rowanmanning/feed-parser with the seed article in full', () => {
    const feed = parseFeed(feeds[path]!)
    expect(feed.language).toBe('ar')
    expect(feed.items).toHaveLength(4)
    const item = feed.items.find((entry) => entry.title === SEED_TITLE)!
    expect(item.url).toBe(SEED_URL)
    expect(item.content).toContain('<h2>موقف العراق الرسمي</h2>')
    expect(item.published?.toISOString()).toBe('2024-11-20T06:30:00.000Z')
    expect(item.categories.map((category) => category.label ?? category.term)).toEqual([
      'سياسة',
      'العراق',
      'الولايات المتحدة',
      'إيران',
    ])
  })

  it('parses in rss-parser with dates and links', async () => {
    const feed = await new RssParser().parseString(feeds[path]!)
    const item = feed.items.find((entry) => entry.title === SEED_TITLE)!
    expect(item.link).toBe(SEED_URL)
    expect(item.isoDate).toBe('2024-11-20T06:30:00.000Z')
  })

  it('gives @rowanmanning/feed-parser the photo enclosure with its true length', () => {
    const item = parseFeed(feeds[path]!).items.find((entry) => entry.title === PHOTO_TITLE)!
    expect(item.media).toContainEqual(expect.objectContaining({ url: photo.url, mimeType: photo.type, length: photo.length }))
  })

  it.runIf(HAS_FEEDPARSER)('parses in Universal Feed Parser without a single warning', async () => {
    const { stdout } = await pipeTo('/usr/bin/python3', ['-c', FEEDPARSER_SCRIPT], feeds[path]!)
    const result = JSON.parse(stdout)
    expect(result.error).toBe('')
    expect(result.bozo).toBe(false)
    expect(result.version).toBe(path === '/rss.xml' ? 'rss20' : 'atom10')
    expect(result.language).toBe('ar')
    const entry = result.entries.find((each: { title: string }) => each.title === SEED_TITLE)
    expect(entry.link).toBe(SEED_URL)
    expect(entry.content).toContain('dir="rtl"')
    expect(entry.tags).toContain('العراق')
    const sample = result.entries.find((each: { title: string }) => each.title === PHOTO_TITLE)
    expect(sample.enclosures).toEqual([{ href: photo.url, length: String(photo.length), type: photo.type }])
  })
})

describe('rss-parser', () => {
  // It reads RSS <enclosure> only (Atom's rel="enclosure" links are not among its fields).
  it('sees the RSS enclosure of the photo with its true length and type', async () => {
    const feed = await new RssParser().parseString(feeds['/rss.xml']!)
    const item = feed.items.find((entry) => entry.title === PHOTO_TITLE)!
    expect(item.enclosure).toEqual({ url: photo.url, length: String(photo.length), type: photo.type })
  })
})

describe.runIf(HAS_NEWSBOAT)('newsboat', () => {
  it.each(['/rss.xml', '/atom.xml'])('subscribes to %s and stores every article with its Arabic title', async (path) => {
    const dir = await mkdtemp(join(tmpdir(), 'sahifa-newsboat-'))
    try {
      const files = { urls: join(dir, 'urls'), config: join(dir, 'config'), cache: join(dir, 'cache.db') }
      await writeFile(files.urls, `${server.url}${path}\n`)
      await writeFile(files.config, '')
      const newsboat = ['-u', files.urls, '-C', files.config, '-c', files.cache]
      await run('newsboat', [...newsboat, '-x', 'reload'], { timeout: 30_000 })
      const { stdout: unread } = await run('newsboat', [...newsboat, '-x', 'print-unread'], { timeout: 30_000 })
      expect(unread.trim()).toBe('4 unread articles')
      const { stdout: items } = await run('sqlite3', [files.cache, 'select title, url, guid from rss_item order by pubDate desc'])
      const rows = items.trim().split('\n').map((line) => line.split('|'))
      expect(rows.map(([title]) => title)).toContain(SEED_TITLE)
      expect(rows.find(([title]) => title === SEED_TITLE)![1]).toBe(SEED_URL)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('/feed.json', () => {
  it('validates against the JSON Feed 1.1 schema', () => {
    const schema = createRequire(import.meta.url)('jsonfeed-schema/schema-v1.1.json')
    // Formats (uri, date-time) are checked below by parsing, not by ajv plugins.
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema)
    const feed = JSON.parse(feeds['/feed.json']!)
    const valid = validate(feed)
    expect(validate.errors ?? [], 'JSON Feed 1.1 schema errors').toEqual([])
    expect(valid).toBe(true)
    expect(feed.items).toHaveLength(4)
    const sample = feed.items.find((item: { title: string }) => item.title === PHOTO_TITLE)
    expect([sample.image, sample.attachments]).toEqual([photo.url, [{ url: photo.url, mime_type: photo.type, size_in_bytes: photo.length }]])
    for (const item of feed.items) {
      expect(new URL(item.url).protocol).toBe('http:')
      // RFC 3339 with an offset, the instant of the article's publishedAt.
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
      const article = articles.find((each) => each.id === item.id)
      expect(article, `no article with the id ${item.id}`).toBeDefined()
      expect(new Date(item.date_published).toISOString()).toBe(new Date(article!.publishedAt).toISOString())
    }
    expect(feed.items.find((item: { title: string }) => item.title === SEED_TITLE).url).toBe(SEED_URL)
  })
})
