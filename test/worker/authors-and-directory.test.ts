// Author pages and feeds (Arabic names raw or percent-encoded, folded like tags), the feeds
// directory (/feeds and its OPML 2.0 files), and HTTP details every response honours: 301s with
// validators, If-Modified-Since that is not an HTTP-date ignored, list names isolated in <title>.
import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeArticle } from '../support/articles'
import { child, childrenNamed, parseXml } from '../support/xml-tree'
import { countingKv, fetchWith } from './counting-kv'
import { get, seed } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
const SALMA = 'سلمى الحسيني'
const SALMA_PATH = `/authors/${encodeURIComponent(SALMA)}`
const OVERRIDE = 'وسم\u202eمقلوب'

const byline = [{ name: SALMA, url: 'https://salma.example/' }]
const articles = [
  makeArticle({ slug: 'first', title: 'مقالها الأول', authors: byline, section: 'سياسة', tags: ['العراق'], publishedAt: '2024-11-18T08:00:00Z' }),
  makeArticle({ slug: 'second', title: 'مقالها الثاني', authors: [{ name: SALMA }, { name: 'Sam Reed' }], publishedAt: '2024-11-19T08:00:00Z' }),
  makeArticle({ slug: 'other', title: 'لغيرها', authors: [{ name: 'Sam Reed' }], tags: [OVERRIDE], section: OVERRIDE, publishedAt: '2024-11-20T08:00:00Z' }),
]

beforeAll(async () => {
  await seed(articles)
})

describe('author pages and feeds', () => {
  it.each([`/authors/${SALMA}`, SALMA_PATH, SALMA_PATH.toLowerCase()])('serves %s: her articles, her site, her feeds', async (path) => {
    const response = await SELF.fetch(get(path))
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400')
    const html = await response.text()
    expect(html).toContain(`<title>صحيفة — \u2068${SALMA}\u2069</title>`)
    expect(html).toContain('مقالها الأول')
    expect(html).toContain('مقالها الثاني')
    expect(html).not.toContain('لغيرها')
    expect(html).toContain('<a href="https://salma.example/" rel="me" dir="ltr">salma.example</a>')
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      expect(html).toContain(`href="${ORIGIN}${SALMA_PATH}/${file}"`)
    }
  })

  it('is linked from the byline and from the JSON-LD of her articles', async () => {
    const html = await (await SELF.fetch(get('/articles/first'))).text()
    expect(html).toContain(`<a href="${SALMA_PATH}" rel="author">${SALMA}</a>`)
    expect(html).toContain(`"author":[{"@type":"Person","name":"${SALMA}","url":"${ORIGIN}${SALMA_PATH}","sameAs":"https://salma.example/"}]`)
  })

  it('offers her feeds in every format with only her articles, in one KV read each', async () => {
    for (const [file, type] of [
      ['rss.xml', 'application/rss+xml; charset=utf-8'],
      ['atom.xml', 'application/atom+xml; charset=utf-8'],
      ['feed.json', 'application/feed+json; charset=utf-8'],
    ] as const) {
      const counter = countingKv()
      const response = await fetchWith(get(`${SALMA_PATH}/${file}`), { ARTICLES: counter.kv })
      expect(response.status, file).toBe(200)
      expect(response.headers.get('Content-Type')).toBe(type)
      expect(response.headers.get('Link')).toContain(`<${ORIGIN}${SALMA_PATH}/${file}>; rel="self"`)
      expect(counter.operations(), file).toBe(1)
      const body = await response.text()
      expect(body).toContain('مقالها الأول')
      expect(body).not.toContain('لغيرها')
    }
    const atom = parseXml(await (await SELF.fetch(get(`${SALMA_PATH}/atom.xml`))).text())
    expect(child(atom, 'title').text).toBe(`صحيفة — ${SALMA}`)
    expect(child(atom, 'id').text).toBe(`${ORIGIN}${SALMA_PATH}`)
  })

  it('answers 404 for an author nobody is, and 301s the feed URL habits below an author', async () => {
    expect((await SELF.fetch(get('/authors/nobody'))).status).toBe(404)
    expect((await SELF.fetch(get('/authors/nobody/rss.xml'))).status).toBe(404)
    const alias = await SELF.fetch(get(`${SALMA_PATH}/feed`), { redirect: 'manual' })
    expect(alias.status).toBe(301)
    expect(alias.headers.get('Location')).toBe(`${SALMA_PATH}/rss.xml`)
  })
})

describe('the feeds directory', () => {
  it('lists every site, section, tag and author feed in each format, with the OPML files', async () => {
    const response = await SELF.fetch(get('/feeds'))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    for (const base of ['', '/sections/سياسة', '/tags/العراق', SALMA_PATH, '/authors/sam%20reed', `/tags/${encodeURIComponent(OVERRIDE)}`]) {
      const path = base.startsWith('/sections/سياسة') || base.startsWith('/tags/العراق') ? encodeURI(base) : base
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) expect(html, `${base}/${file}`).toContain(`href="${ORIGIN}${path}/${file}"`)
    }
    for (const opml of ['/feeds.opml', '/feeds/atom.opml', '/feeds/json.opml']) expect(html).toContain(`href="${ORIGIN}${opml}"`)
  })

  it('is linked from the footer of every page', async () => {
    for (const path of ['/', '/articles/first', '/tags/العراق', SALMA_PATH, '/nothing-here']) {
      expect(await (await SELF.fetch(get(path))).text(), path).toContain('<a href="/feeds">كل الاشتراكات</a>')
    }
  })

  it.each([
    ['/feeds.opml', 'rss.xml', 'RSS'],
    ['/feeds/atom.opml', 'atom.xml', undefined],
    ['/feeds/json.opml', 'feed.json', undefined],
  ])('%s is OPML 2.0 subscribing once to each list', async (path, file, version) => {
    const response = await SELF.fetch(get(path))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/x-opml; charset=utf-8')
    const opml = parseXml(await response.text())
    expect(opml.name).toBe('opml')
    expect(opml.attributes.version).toBe('2.0')
    const head = child(opml, 'head')
    expect(child(head, 'title').text).toBe('صحيفة — كل الاشتراكات')
    expect(child(head, 'dateModified').text).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    expect(child(head, 'docs').text).toBe('http://opml.org/spec2.opml')
    const body = child(opml, 'body')
    const subscriptions = body.children.flatMap((outline) => (outline.attributes.type === 'rss' ? [outline] : outline.children))
    // OPML 2.0 §"text": every outline has one; a subscription has xmlUrl, and title as its text.
    for (const outline of [...body.children, ...subscriptions]) expect(outline.attributes.text).toBeTruthy()
    for (const outline of subscriptions) {
      expect(outline.attributes.type).toBe('rss')
      expect(outline.attributes.xmlUrl!.endsWith(`/${file}`)).toBe(true)
      expect(outline.attributes.title).toBe(outline.attributes.text)
      expect(outline.attributes.version).toBe(version)
    }
    expect(subscriptions.map((outline) => outline.attributes.xmlUrl)).toEqual(
      [
        '',
        `/sections/${encodeURIComponent('سياسة')}`,
        `/sections/${encodeURIComponent(OVERRIDE)}`,
        // Sorted as the site's language sorts names: Arabic before Latin in an Arabic site.
        `/tags/${encodeURIComponent('العراق')}`,
        `/tags/${encodeURIComponent(OVERRIDE)}`,
        SALMA_PATH,
        '/authors/sam%20reed',
      ].map((base) => `${ORIGIN}${base}/${file}`),
    )
    expect(childrenNamed(body, 'outline').filter((outline) => !outline.attributes.type).map((group) => group.attributes.text)).toEqual([
      'الأقسام',
      'الوسوم',
      'الكتّاب',
    ])
  })
})

describe('HTTP details', () => {
  it.each(['/tags/العراق/', '/feed', '/articles/first/'])('answers the 301 for %s with an ETag and Vary', async (path) => {
    const response = await SELF.fetch(get(path), { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('ETag')).toMatch(/^"[0-9a-f]{14}"$/)
    expect(response.headers.get('Vary')).toBe('Accept-Encoding')
  })

  it('ignores an If-Modified-Since that is not an HTTP-date, or is in the future', async () => {
    for (const since of ['2100', '2100-01-01T00:00:00Z', 'Mon, 01 Jan 2100 00:00:00 GMT', 'yesterday']) {
      expect((await SELF.fetch(get('/rss.xml', { 'If-Modified-Since': since }))).status, since).toBe(200)
    }
  })

  it('answers 304 to each of the three HTTP-date forms RFC 9110 §5.6.7 makes recipients accept', async () => {
    for (const since of ['Sun, 01 Dec 2024 00:00:00 GMT', 'Sunday, 01-Dec-24 00:00:00 GMT', 'Sun Dec  1 00:00:00 2024']) {
      expect((await SELF.fetch(get('/rss.xml', { 'If-Modified-Since': since }))).status, since).toBe(304)
    }
  })

  it('isolates section and tag names in <title>, so a bidi override stays inside', async () => {
    for (const path of [`/sections/${OVERRIDE}`, `/tags/${OVERRIDE}`]) {
      expect(await (await SELF.fetch(get(path))).text()).toContain(`<title>صحيفة — \u2068${OVERRIDE}\u2069</title>`)
    }
  })
})
