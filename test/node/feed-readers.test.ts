// The story as subscribers' software reads it (issue #13): the deploy bundle in workerd on
// loopback, read over HTTP by Python's Universal Feed Parser, rss-parser, @rowanmanning/feed-parser,
// xmllint and newsboat. Pinned here: summaries and titles with markup characters arrive as the
// editor wrote them, the photo caption and its agency credit reach every format, author feeds are
// valid feeds, the OPML directory imports into a real reader, and HEAD answers exactly what GET does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseFeed } from '@rowanmanning/feed-parser'
import { Ajv } from 'ajv'
import RssParser from 'rss-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredArticle } from '../../src/model/article'
import { parseSiteConfig } from '../../src/model/site'
import { findArticleFiles } from '../../src/publish/article-files'
import { loadArticles } from '../../src/publish/load-articles'
import { serveWorker, type ServedWorker } from '../../tools/harness/miniflare-worker'
import { harnessPhotoStore } from '../../tools/harness/photo-store'
import { readRepoConfig } from '../../tools/harness/repo-config'
import { HAS_FEEDPARSER, HAS_NEWSBOAT, HAS_XMLLINT, pipeTo, run } from './support/feed-tools'
import { makeArticle } from '../support/articles'

/** What Universal Feed Parser hands a reader: each text with the type it decided on. */
const FEEDPARSER_SCRIPT = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def detail(e, name):
    value = e.get(name + "_detail") or {}
    return {"value": value.get("value"), "type": value.get("type")}
print(json.dumps({
  "bozo": d.bozo, "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"),
  "entries": [{"title": detail(e, "title"), "summary": detail(e, "summary"), "id": e.get("id"),
               "authors": [a.get("name") for a in e.get("authors", [])],
               "content": (e.get("content") or [{}])[0].get("value", "")} for e in d.entries],
}))
`

const CAPTION = 'صورة بالقمر الاصطناعي لقاعدة “البرج 22” الأميركية التي استهدفتها طائرة مسيرة شمال شرقي الأردن'
const CREDIT = 'الفرنسية'
const AUTHOR = 'سارة الخطيب'
// A title is plain text in every format. RSS carries `<` and `&` in it as hexadecimal references,
// as the RSS Best Practices Profile advises: literal in every parser here. (Universal Feed Parser
// guesses a title is HTML when its text looks like a tag, so a title holding `<b>` as words would
// still reach its users as markup; no encoding of an RSS title avoids that guess without breaking
// the parsers that read titles as text.)
const TRICKY_TITLE = 'هل 3 < 5 & 7 > 2؟ "مقتبس" \'بين\''
// The issue's own example.
const TRICKY_SUMMARY = 'أقل من <5 & أكثر من >3 <b>ليس عريضا</b>'
const TRICKY_SLUG = 'رموز-في-العنوان'

const FORMATS = ['rss.xml', 'atom.xml', 'feed.json'] as const
const authorBase = `/authors/${encodeURIComponent(AUTHOR)}`

let server: ServedWorker
let seed: StoredArticle
const texts: Record<string, string> = {}

async function text(path: string): Promise<string> {
  texts[path] ??= await (await fetch(server.url + path)).text()
  return texts[path]!
}

beforeAll(async () => {
  const site = parseSiteConfig((await readRepoConfig()).vars)
  const { articles } = await loadArticles(await findArticleFiles(['articles']), site, {
    photos: harnessPhotoStore(),
  })
  seed = articles.find((article) => article.image?.credit === CREDIT)!
  const tricky = makeArticle({
    slug: TRICKY_SLUG,
    title: TRICKY_TITLE,
    summary: TRICKY_SUMMARY,
    html: '<p>نص فيه &lt;وسم&gt; مكتوب حرفيا و&amp; رمز.</p>',
    publishedAt: '2024-11-21T09:00:00Z',
    authors: [{ name: AUTHOR, url: 'https://example.org/sara' }],
    tags: ['العراق'],
  })
  server = await serveWorker({ articles: [...articles, tricky] })
})

afterAll(async () => {
  await server?.stop()
})

describe('texts with markup characters arrive as the editor wrote them', () => {
  it.runIf(HAS_FEEDPARSER).each(['/rss.xml', '/atom.xml'])('in Universal Feed Parser (%s)', async (path) => {
    const { stdout } = await pipeTo('/usr/bin/python3', ['-c', FEEDPARSER_SCRIPT], await text(path))
    const result = JSON.parse(stdout)
    expect(result.bozo).toBe(false)
    const entry = result.entries.find((each: { id: string }) => each.id.includes(encodeURIComponent(TRICKY_SLUG)))
    expect(entry, 'the crafted article in the feed').toBeDefined()
    // Whatever type UFP settles on, what it gives the reader to show is the literal text (an
    // HTML-typed value is shown as HTML, so it must carry the characters as references).
    for (const field of ['title', 'summary'] as const) {
      const { value, type } = entry[field]
      const shown = type === 'text/html' ? decodeHtmlText(value) : value
      expect(shown, `${path} ${field} (${type})`).toBe(field === 'title' ? TRICKY_TITLE : TRICKY_SUMMARY)
    }
  })

  it.each(['/rss.xml', '/atom.xml'])('in @rowanmanning/feed-parser (%s)', async (path) => {
    const item = parseFeed(await text(path)).items.find((each) => each.url?.includes(encodeURIComponent(TRICKY_SLUG)))!
    // This parser hands readers text: what it gives back is shown as it is.
    expect(item.title).toBe(TRICKY_TITLE)
    expect(item.description).toBe(TRICKY_SUMMARY)
  })

  it('in rss-parser (/rss.xml)', async () => {
    const feed = await new RssParser().parseString(await text('/rss.xml'))
    const item = feed.items.find((each) => each.link?.includes(encodeURIComponent(TRICKY_SLUG)))!
    expect(item.title).toBe(TRICKY_TITLE)
    expect(decodeHtmlText(item.content!)).toBe(TRICKY_SUMMARY)
  })

  it('in JSON Feed, where summary and title are plain strings', async () => {
    const feed = JSON.parse(await text('/feed.json'))
    const item = feed.items.find((each: { url: string }) => each.url.includes(encodeURIComponent(TRICKY_SLUG)))
    expect(item.title).toBe(TRICKY_TITLE)
    expect(item.summary).toBe(TRICKY_SUMMARY)
    expect(item.content_html).toContain('&lt;وسم&gt;')
  })
})

describe('the photo caption and its agency credit reach every format', () => {
  it.each(FORMATS)('/%s', async (file) => {
    const body = await text(`/${file}`)
    const content =
      file === 'feed.json'
        ? JSON.parse(body).items.find((item: { id: string }) => item.id === seed.id).content_html
        : decodeReferences(
            parseFeed(body).items.find((item) => item.id === seed.id || item.url?.endsWith(encodeURIComponent(seed.slug)))!
              .content!,
          )
    expect(content).toContain(CAPTION)
    expect(content).toContain(CREDIT)
    expect(content).toContain('<figcaption')
  })
})

describe('an author feed is a feed every client accepts', () => {
  it.runIf(HAS_XMLLINT).each(['rss.xml', 'atom.xml'])('%s is well-formed for xmllint', async (file) => {
    const { stderr } = await pipeTo('xmllint', ['--noout', '-'], await text(`${authorBase}/${file}`))
    expect(stderr).toBe('')
  })

  it.runIf(HAS_FEEDPARSER).each(['rss.xml', 'atom.xml'])('%s parses in Universal Feed Parser with its author', async (file) => {
    const { stdout } = await pipeTo('/usr/bin/python3', ['-c', FEEDPARSER_SCRIPT], await text(`${authorBase}/${file}`))
    const result = JSON.parse(stdout)
    expect(result.error).toBe('')
    expect(result.bozo).toBe(false)
    expect(result.title).toContain(AUTHOR)
    expect(result.entries).toHaveLength(1)
    expect(result.entries[0].authors.join(' ')).toContain(AUTHOR)
  })

  it.each(['rss.xml', 'atom.xml'])('%s parses in @rowanmanning/feed-parser and rss-parser', async (file) => {
    const body = await text(`${authorBase}/${file}`)
    expect(parseFeed(body).items).toHaveLength(1)
    expect((await new RssParser().parseString(body)).items).toHaveLength(1)
  })

  it('feed.json validates against the JSON Feed 1.1 schema, the author with their own URL', async () => {
    const schema = createRequire(import.meta.url)('jsonfeed-schema/schema-v1.1.json')
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema)
    const feed = JSON.parse(await text(`${authorBase}/feed.json`))
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true)
    expect(feed.items).toHaveLength(1)
    expect(feed.items[0].authors).toEqual([{ name: AUTHOR, url: 'https://example.org/sara' }])
  })
})

describe('the OPML directory', () => {
  it.runIf(HAS_XMLLINT).each(['/feeds.opml', '/feeds/atom.opml', '/feeds/json.opml'])(
    '%s is well-formed for xmllint',
    async (path) => {
      const { stderr } = await pipeTo('xmllint', ['--noout', '-'], await text(path))
      expect(stderr).toBe('')
    },
  )

  it.runIf(HAS_NEWSBOAT)('imports into newsboat with every list feed, the Arabic ones included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sahifa-opml-'))
    try {
      const files = { urls: join(dir, 'urls'), config: join(dir, 'config'), opml: join(dir, 'feeds.opml') }
      await writeFile(files.urls, '')
      await writeFile(files.config, '')
      await writeFile(files.opml, await text('/feeds.opml'))
      await run('newsboat', ['-u', files.urls, '-C', files.config, '-c', join(dir, 'cache.db'), '-i', files.opml], {
        timeout: 30_000,
      })
      const imported = (await import('node:fs/promises').then((fs) => fs.readFile(files.urls, 'utf8')))
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]!)
      expect(imported).toContain('http://127.0.0.1:8787/rss.xml')
      expect(imported).toContain(`http://127.0.0.1:8787${authorBase}/rss.xml`)
      expect(imported).toContain(`http://127.0.0.1:8787/tags/${encodeURIComponent('العراق')}/rss.xml`)
      // Every imported URL is a feed this worker serves.
      for (const url of imported) {
        const response = await fetch(server.url + new URL(url).pathname)
        expect(response.status, url).toBe(200)
        await response.body?.cancel()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('HEAD answers what GET does', () => {
  const paths = [
    '/',
    `/articles/${encodeURIComponent(seed?.slug ?? 'الانسحاب-الأميركي-من-العراق')}`,
    `/articles/${encodeURIComponent(TRICKY_SLUG)}`,
    authorBase,
    `/tags/${encodeURIComponent('العراق')}`,
    '/feeds',
    '/feeds.opml',
    '/feeds/atom.opml',
    '/feeds/json.opml',
    ...FORMATS.map((file) => `/${file}`),
    ...FORMATS.map((file) => `${authorBase}/${file}`),
    '/sitemap.xml',
    '/news-sitemap.xml',
    '/robots.txt',
    '/articles/not-there',
    '/?page=999',
  ]
  const comparable = (response: Response, ignore: string[] = []) =>
    Object.fromEntries(
      [...response.headers].filter(([name]) => !['date', 'age', 'cache-status', ...ignore].includes(name)),
    )

  it.each(paths)('%s, every header and the length of the body', async (path) => {
    const identity = { 'Accept-Encoding': 'identity' }
    const get = await fetch(server.url + path, { headers: identity })
    const body = new Uint8Array(await get.arrayBuffer())
    const head = await fetch(server.url + path, { method: 'HEAD', headers: identity })
    expect(head.status).toBe(get.status)
    expect(await head.text()).toBe('')
    expect(comparable(head)).toEqual(comparable(get))
    expect(Number(get.headers.get('content-length'))).toBe(body.byteLength)
  })

  // workerd compresses a GET body on the fly for a client that accepts gzip, so that answer is
  // chunked; a HEAD has no body to compress and keeps the worker's Content-Length. That is the
  // runtime's transfer coding (README, HTTP caching), the only difference it makes.
  it.each(paths)('%s, gzip accepted: the same apart from the transfer coding', async (path) => {
    const gzip = { 'Accept-Encoding': 'gzip' }
    const get = await fetch(server.url + path, { headers: gzip })
    await get.arrayBuffer()
    const head = await fetch(server.url + path, { method: 'HEAD', headers: gzip })
    const transfer = ['content-length', 'transfer-encoding']
    expect(comparable(head, transfer)).toEqual(comparable(get, transfer))
  })
})

/** The text a reader shows for an HTML fragment: tags dropped, then character references decoded. */
function decodeHtmlText(html: string): string {
  return decodeReferences(html.replace(/<[^>]*>/g, ''))
}

function decodeReferences(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, name: string) => {
    if (name[0] !== '#') return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name.toLowerCase()]!
    return String.fromCodePoint(/^#x/i.test(name) ? parseInt(name.slice(2), 16) : Number(name.slice(1)))
  })
}
