// The three site feeds through HTTP in workerd: the contract (status, headers, validators),
// then the bodies, checked by a strict XML parser (saxes). Real feed parsers read the same feeds
// in test/node/feed-clients.test.ts.
import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type { StoredArticle } from '../../src/model/article'
import { feedResponseKey, SITE_LIST } from '../../src/model/keys'
import { makeArticle, makeArticles } from '../support/articles'
import { child, childrenNamed, parseXml } from '../support/xml-tree'
import { countingKv, fetchWith } from './counting-kv'
import { get, prerenderFor, seed } from './kv'

const SEED_SLUG = 'الانسحاب-الأميركي-من-العراق'
const SEED_TITLE = 'الانسحاب الأميركي من العراق على طاولة البحث من جديد'
const SEED_URL = `http://127.0.0.1:8787/articles/${encodeURIComponent(SEED_SLUG)}`

const RFC822_GMT = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/

describe('site feeds with the real articles/', () => {
  beforeAll(async () => {
    await seed(inject('articles'))
  })

  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
  ])('serves %s with its content type, caching headers and validators', async (path, type) => {
    const response = await SELF.fetch(get(path))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe(type)
    expect(response.headers.get('Cache-Control')).toBe(
      'public, max-age=300, s-maxage=60, stale-while-revalidate=3600, stale-if-error=86400',
    )
    expect(response.headers.get('Vary')).toBe('Accept-Encoding')
    expect(response.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}"$/)
    // The newest change among the articles (the English sample's updatedAt), not the clock.
    expect(response.headers.get('Last-Modified')).toBe('Fri, 22 Nov 2024 12:00:00 GMT')
  })

  it('RSS is well-formed, parses, and carries the seed article in full, in Arabic', async () => {
    const xml = await (await SELF.fetch(get('/rss.xml'))).text()
    const channel = child(parseXml(xml), 'channel')
    expect(child(channel, 'language').text).toBe('ar')
    const item = childrenNamed(channel, 'item').find((entry) => child(entry, 'title').text === SEED_TITLE)!
    expect(child(item, 'link').text).toBe(SEED_URL)
    expect(child(item, 'guid').text).toBe(`tag:127.0.0.1,2026:${encodeURIComponent(SEED_SLUG)}`)
    const content = child(item, 'content:encoded').text
    expect(content).toMatch(/^<div dir="rtl" lang="ar">/)
    expect(content).toContain('<h2>خارج الحسابات</h2>')
    expect(content).toContain('<h2>موقف العراق الرسمي</h2>')
    expect(child(item, 'description').text).toContain('منذ أكتوبر 2024')
    expect(childrenNamed(item, 'category').map((category) => category.text)).toEqual([
      'سياسة',
      'العراق',
      'الولايات المتحدة',
      'إيران',
    ])
    expect(xml).toContain('<guid isPermaLink="false">tag:127.0.0.1,2026:')
    expect(xml).toContain('<dc:creator>صحيفة</dc:creator>')
    expect(xml).toContain('<atom:link href="http://127.0.0.1:8787/rss.xml" rel="self" type="application/rss+xml"/>')
    // One lastBuildDate and a pubDate per item: a renamed or missing element fails the count.
    const dates = [...xml.matchAll(/<(?:pubDate|lastBuildDate)>([^<]*)</g)]
    expect(dates).toHaveLength(1 + childrenNamed(channel, 'item').length)
    expect(childrenNamed(channel, 'item')).toHaveLength(inject('articles').length)
    for (const [, date] of dates) expect(date).toMatch(RFC822_GMT)
  })

  it('Atom is well-formed, parses, and marks language on the feed and on every entry', async () => {
    const xml = await (await SELF.fetch(get('/atom.xml'))).text()
    const feed = parseXml(xml)
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ar">/)
    expect(child(feed, 'updated').text).toBe('2024-11-22T12:00:00Z')
    const entry = childrenNamed(feed, 'entry').find((each) => child(each, 'title').text === SEED_TITLE)!
    expect(entry.attributes['xml:lang']).toBe('ar')
    expect(child(entry, 'link').attributes.href).toBe(SEED_URL)
    expect(child(entry, 'published').text).toBe('2024-11-20T06:30:00Z')
    expect(child(child(entry, 'author'), 'name').text).toBe('صحيفة')
    expect(child(entry, 'content').attributes.type).toBe('html')
    expect(child(entry, 'content').text).toMatch(/^<div dir="rtl" lang="ar">/)
    expect(xml).toContain('<entry xml:lang="en">')
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="http://127.0.0.1:8787/atom.xml"/>')
    expect(xml).toContain('<title type="text">الانسحاب الأميركي')
  })

  it('JSON Feed is version 1.1 with language, authors and full content', async () => {
    const feed = (await (await SELF.fetch(get('/feed.json'))).json()) as Record<string, any>
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.language).toBe('ar')
    expect(feed.feed_url).toBe('http://127.0.0.1:8787/feed.json')
    expect(feed.authors).toEqual([{ name: 'صحيفة', url: 'http://127.0.0.1:8787' }])
    const item = feed.items.find((entry: any) => entry.title === SEED_TITLE)
    expect(item).toMatchObject({
      url: SEED_URL,
      language: 'ar',
      date_published: '2024-11-20T06:30:00Z',
      tags: ['سياسة', 'العراق', 'الولايات المتحدة', 'إيران'],
      authors: [{ name: 'صحيفة', url: 'http://127.0.0.1:8787' }],
    })
    expect(item.content_html).toMatch(/^<div dir="rtl" lang="ar">/)
    expect(feed.items.map((entry: any) => entry.language)).toEqual(['en', 'ar', 'ar', 'ar'])
  })

  it('lists articles newest first in every format', async () => {
    const rss = child(parseXml(await (await SELF.fetch(get('/rss.xml'))).text()), 'channel')
    const atom = parseXml(await (await SELF.fetch(get('/atom.xml'))).text())
    const json = (await (await SELF.fetch(get('/feed.json'))).json()) as { items: { url: string }[] }
    const order = childrenNamed(rss, 'item').map((item) => child(item, 'link').text)
    expect(order).toHaveLength(4)
    expect(order.at(-1)).toBe(SEED_URL)
    expect(childrenNamed(atom, 'entry').map((entry) => child(entry, 'link').attributes.href)).toEqual(order)
    expect(json.items.map((item) => item.url)).toEqual(order)
  })
})

describe('conditional requests', () => {
  beforeAll(async () => {
    await seed(inject('articles'))
  })

  it('returns 304 with validators and no body when If-None-Match matches', async () => {
    const first = await SELF.fetch(get('/atom.xml'))
    const etag = first.headers.get('ETag')!
    const second = await SELF.fetch(get('/atom.xml', { 'If-None-Match': `"other", W/${etag}` }))
    expect(second.status).toBe(304)
    expect(await second.text()).toBe('')
    expect(second.headers.get('ETag')).toBe(etag)
    expect(second.headers.get('Cache-Control')).toBe(first.headers.get('Cache-Control'))
    expect(second.headers.get('Last-Modified')).toBe(first.headers.get('Last-Modified'))
    expect(second.headers.get('Vary')).toBe('Accept-Encoding')
  })

  it('returns 200 with the full body when If-None-Match does not match, even if If-Modified-Since would', async () => {
    const response = await SELF.fetch(
      get('/rss.xml', { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Sat, 01 Jan 2050 00:00:00 GMT' }),
    )
    expect(response.status).toBe(200)
    expect((await response.text()).length).toBeGreaterThan(1000)
  })

  it('honours If-Modified-Since against Last-Modified', async () => {
    const unchanged = await SELF.fetch(get('/feed.json', { 'If-Modified-Since': 'Fri, 22 Nov 2024 12:00:00 GMT' }))
    expect(unchanged.status).toBe(304)
    const changed = await SELF.fetch(get('/feed.json', { 'If-Modified-Since': 'Fri, 22 Nov 2024 11:59:59 GMT' }))
    expect(changed.status).toBe(200)
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const getResponse = await SELF.fetch(get('/rss.xml'))
    const head = await SELF.fetch(get('/rss.xml', {}, 'HEAD'))
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    for (const name of ['Content-Type', 'Cache-Control', 'ETag', 'Last-Modified']) {
      expect(head.headers.get(name)).toBe(getResponse.headers.get(name))
    }
  })
})

describe('hostile and unusual text', () => {
  const hostile = makeArticle({
    slug: 'hostile',
    // Lone surrogates never get this far: the schema refuses them (see test/security).
    title: 'A ]]> B ]]> <script>alert(1)</script> &amp; \u0000\u0008\u000B\u001F\uFFFE end',
    summary: 'Bidi \u202Eevil\u202C & "quotes" \'single\'',
    html: '<p>x ]]> y ]]&gt; z</p>',
    section: 'R&D <1>',
    tags: ['a&b', '"q"'],
    authors: [{ name: 'Tom & Jerry <tj>' }],
    image: { url: 'https://img.example/a.jpg?x=1&y=2', alt: 'alt & <b>', caption: 'cap ]]>', credit: 'AFP & Co' },
    publishedAt: '2024-11-23T00:00:00Z',
  })

  beforeAll(async () => {
    await seed([hostile])
  })

  it.each(['/rss.xml', '/atom.xml'])('%s stays well-formed and round-trips the text', async (path) => {
    const xml = await (await SELF.fetch(get(path))).text()
    const root = parseXml(xml)
    const item = path === '/rss.xml' ? child(child(root, 'channel'), 'item') : child(root, 'entry')
    // Forbidden characters are dropped; everything else arrives as the reader should see it.
    expect(child(item, 'title').text).toBe('A ]]> B ]]> <script>alert(1)</script> &amp;  end')
    expect(xml).not.toContain('<script>')
    const author = path === '/rss.xml' ? child(item, 'dc:creator') : child(child(item, 'author'), 'name')
    expect(author.text).toBe('Tom & Jerry <tj>')
    const categories = childrenNamed(item, 'category').map((c) => c.text || c.attributes.term)
    expect(categories).toEqual(['R&D <1>', 'a&b', '"q"'])
    expect(xml).toContain('https://img.example/a.jpg?x=1&amp;y=2')
  })

  it('JSON Feed is valid JSON with the text intact', async () => {
    const feed = (await (await SELF.fetch(get('/feed.json'))).json()) as { items: Record<string, unknown>[] }
    expect(feed.items[0]!.summary).toBe('Bidi \u202Eevil\u202C & "quotes" \'single\'')
    expect(feed.items[0]!.image).toBe('https://img.example/a.jpg?x=1&y=2')
  })
})

describe('responses the publisher rendered ahead', () => {
  const HOUR = 3_600_000
  // Within the news sitemap's 48 hours of the real clock, in a section, a tag and by an author.
  const recent = (now: number) =>
    makeArticles(30, now - 30 * HOUR).map((article, i) => ({
      ...article,
      slug: `خبر-${i}`,
      title: `خبر رقم ${i}`,
      section: 'سياسة',
      tags: ['العراق'],
      authors: [{ name: 'مراسل' }],
    }))
  const PATHS = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/sections/سياسة/rss.xml',
    '/tags/العراق/atom.xml',
    '/authors/مراسل/feed.json',
    '/sitemaps/articles-1.xml',
    '/news-sitemap.xml',
  ]

  /** Status, every header and the body of `path`, and the KV keys the worker read for it. */
  async function answer(path: string, vars: Partial<Cloudflare.Env> = {}) {
    const counter = countingKv()
    const response = await fetchWith(get(path), { ...vars, ARTICLES: counter.kv })
    return { status: response.status, headers: [...response.headers], body: await response.text(), keys: counter.keys() }
  }
  const withoutKeys = ({ keys: _keys, ...rest }: Awaited<ReturnType<typeof answer>>) => rest

  async function renderedAndStored(articles: StoredArticle[], now: number, vars: Partial<Cloudflare.Env> = {}) {
    await seed(articles, now, null)
    const rendered = await Promise.all(PATHS.map((path) => answer(path, vars)))
    await seed(articles, now, prerenderFor(vars))
    const stored = await Promise.all(PATHS.map((path) => answer(path, vars)))
    return { rendered, stored }
  }

  it('sends each list\'s first feed page, a sitemap page and the news sitemap in one read, byte for byte as rendered', async () => {
    const now = Date.now()
    const { rendered, stored } = await renderedAndStored(recent(now), now)
    PATHS.forEach((path, i) => {
      expect(stored[i]!.keys, path).toHaveLength(1)
      expect(stored[i]!.keys[0], path).toMatch(/^v1:response:/)
      expect(rendered[i]!.keys.length, path).toBeGreaterThan(1)
      expect(rendered[i]!.status, path).toBe(200)
      expect(withoutKeys(stored[i]!), path).toEqual(withoutKeys(rendered[i]!))
    })
    expect(stored[PATHS.indexOf('/news-sitemap.xml')]!.body).toContain('خبر رقم 29')
  })

  it('renders under other site settings, and sends what a publish with those settings rendered', async () => {
    const now = Date.now()
    const vars = { SITE_TITLE: 'Another title', WEBSUB_HUBS: '' }
    const articles = recent(now)
    await seed(articles, now)
    const stale = await answer('/rss.xml', vars)
    expect(stale.keys).toContain('v1:head:site')
    expect(stale.body).toContain('<title>Another title</title>')
    const { rendered, stored } = await renderedAndStored(articles, now, vars)
    expect(withoutKeys(stale)).toEqual(withoutKeys(rendered[0]!))
    PATHS.forEach((path, i) => expect(withoutKeys(stored[i]!), path).toEqual(withoutKeys(rendered[i]!)))
  })

  it('renders once a scheduled article comes due, as a publish after it would have it', async () => {
    const now = Date.now()
    const articles = recent(now)
    // Published two hours ago, when the newest article was an hour ahead: the stored feeds and
    // sitemaps are from before it came due.
    await seed(articles, now - 2 * HOUR)
    const due = await Promise.all(PATHS.map((path) => answer(path)))
    const { stored } = await renderedAndStored(articles, now)
    PATHS.forEach((path, i) => {
      expect(due[i]!.keys.length, path).toBeGreaterThan(1)
      expect(due[i]!.body, path).toContain(path.startsWith('/sitemaps/') ? encodeURIComponent('خبر-29') : 'خبر رقم 29')
      expect(withoutKeys(due[i]!), path).toEqual(withoutKeys(stored[i]!))
    })
  })

  it('renders when the stored response comes from other render code', async () => {
    const now = Date.now()
    await seed(recent(now), now)
    const key = feedResponseKey(SITE_LIST, 'atom')
    const stored = await answer('/atom.xml')
    const value = (await env.ARTICLES.get(key, 'text'))!
    await env.ARTICLES.put(key, value.replace(/"renderer":"[^"]*"/, '"renderer":"older code"'))
    const rendered = await answer('/atom.xml')
    expect(rendered.keys).toContain('v1:head:site')
    expect(withoutKeys(rendered)).toEqual(withoutKeys(stored))
  })
})
