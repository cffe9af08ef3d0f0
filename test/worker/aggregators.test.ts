// What aggregators rely on, through HTTP in workerd: section and tag feeds (Arabic names raw and
// percent-encoded), RFC 5005 paging, redirects for old URLs and renamed articles, 410 for
// unpublished ones, WebSub Link headers, sitemaps, robots.txt, and bounded KV reads.
import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { goneKey, redirectKey } from '../../src/model/keys'
import { makeArticle, makeArticles } from '../support/articles'
import { child, childrenNamed, parseXml } from '../support/xml-tree'
import { countingKv, fetchWith } from './counting-kv'
import { get, seed } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
const IRAQ = 'العراق'
const IRAQ_ENCODED = encodeURIComponent(IRAQ)

const atomLinks = (xml: string) =>
  Object.fromEntries(childrenNamed(parseXml(xml), 'link').map((link) => [link.attributes.rel, link.attributes.href]))

describe('section and tag feeds', () => {
  beforeAll(async () => {
    await seed(inject('articles'))
  })

  it.each([`/tags/${IRAQ}/atom.xml`, `/tags/${IRAQ_ENCODED}/atom.xml`])('serves %s (raw or encoded) with only that tag', async (path) => {
    const response = await SELF.fetch(get(path))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8')
    const feed = parseXml(await response.text())
    expect(child(feed, 'title').text).toBe(`صحيفة — ${IRAQ}`)
    expect(child(feed, 'id').text).toBe(`${ORIGIN}/tags/${IRAQ_ENCODED}`)
    expect(atomLinks(await (await SELF.fetch(get(path))).text()).self).toBe(`${ORIGIN}/tags/${IRAQ_ENCODED}/atom.xml`)
    const titles = childrenNamed(feed, 'entry').map((entry) => child(entry, 'title').text)
    expect(titles).toEqual(['الانسحاب الأميركي من العراق على طاولة البحث من جديد'])
  })

  it('serves every format for a section and a tag, Arabic and Latin', async () => {
    for (const base of ['/sections/سياسة', '/sections/technology', '/tags/عينة', '/tags/Sample']) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        expect((await SELF.fetch(get(`${base}/${file}`))).status, `${base}/${file}`).toBe(200)
      }
    }
    const samples = (await (await SELF.fetch(get('/tags/عينة/feed.json'))).json()) as { title: string; items: unknown[] }
    expect(samples.title).toBe('صحيفة — عينة')
    expect(samples.items).toHaveLength(2)
  })

  it('answers 404 for a tag or section nobody used', async () => {
    expect((await SELF.fetch(get('/tags/لا-يوجد/rss.xml'))).status).toBe(404)
    expect((await SELF.fetch(get('/sections/none/atom.xml'))).status).toBe(404)
  })

  it('advertises the hub and itself in Link headers and in the feed', async () => {
    const response = await SELF.fetch(get('/rss.xml'))
    expect(response.headers.get('Link')).toBe(
      `<${ORIGIN}/rss.xml>; rel="self", <https://pubsubhubbub.appspot.com/>; rel="hub"`,
    )
    expect(await response.text()).toContain('<atom:link href="https://pubsubhubbub.appspot.com/" rel="hub"/>')
    const json = (await (await SELF.fetch(get('/tags/عينة/feed.json'))).json()) as { hubs: unknown }
    expect(json.hubs).toEqual([{ type: 'WebSub', url: 'https://pubsubhubbub.appspot.com/' }])
  })

  it('ignores unknown query parameters', async () => {
    const plain = await SELF.fetch(get('/rss.xml'))
    const tracked = await SELF.fetch(get('/rss.xml?utm_source=reader&fbclid=x'))
    expect(tracked.status).toBe(200)
    expect(tracked.headers.get('ETag')).toBe(plain.headers.get('ETag'))
    expect(await tracked.text()).toBe(await plain.text())
  })
})

describe('paging (RFC 5005)', () => {
  const articles = makeArticles(120)
  const newestFirst = [...articles].reverse().map((article) => `${ORIGIN}/articles/${encodeURIComponent(article.slug)}`)

  beforeAll(async () => {
    await seed(articles)
  })

  it('links first, next, previous and last in Atom and RSS', async () => {
    const first = atomLinks(await (await SELF.fetch(get('/atom.xml'))).text())
    expect(first).toMatchObject({
      self: `${ORIGIN}/atom.xml`,
      first: `${ORIGIN}/atom.xml`,
      next: `${ORIGIN}/atom.xml?page=2`,
      last: `${ORIGIN}/atom.xml?page=6`,
    })
    expect(first.previous).toBeUndefined()
    const third = atomLinks(await (await SELF.fetch(get('/atom.xml?page=3'))).text())
    expect(third).toMatchObject({ self: `${ORIGIN}/atom.xml?page=3`, previous: `${ORIGIN}/atom.xml?page=2`, next: `${ORIGIN}/atom.xml?page=4` })
    const rss = await (await SELF.fetch(get('/rss.xml?page=6'))).text()
    expect(rss).toContain(`<atom:link href="${ORIGIN}/rss.xml?page=5" rel="previous" type="application/rss+xml"/>`)
    expect(rss).not.toContain('rel="next"')
  })

  it('walks every page of every format to the whole list, newest first, without gaps', async () => {
    const atomUrls: string[] = []
    const jsonUrls: string[] = []
    let next: string | undefined = `${ORIGIN}/feed.json`
    while (next) {
      const page = (await (await SELF.fetch(get(next.slice(ORIGIN.length)))).json()) as { next_url?: string; items: { url: string }[] }
      jsonUrls.push(...page.items.map((item) => item.url))
      next = page.next_url
    }
    for (let page = 1; page <= 6; page++) {
      const feed = parseXml(await (await SELF.fetch(get(`/atom.xml?page=${page}`))).text())
      atomUrls.push(...childrenNamed(feed, 'entry').map((entry) => child(entry, 'link').attributes.href!))
    }
    expect(jsonUrls).toEqual(newestFirst)
    expect(atomUrls).toEqual(newestFirst)
  })

  it('answers 404 past the last page and for a malformed page number', async () => {
    for (const query of ['?page=7', '?page=0', '?page=-1', '?page=2x', '?page=']) {
      expect((await SELF.fetch(get(`/atom.xml${query}`))).status, query).toBe(404)
    }
  })

  it('paginates the home page the same way', async () => {
    const html = await (await SELF.fetch(get('/?page=2'))).text()
    expect(html).toContain('rel="prev" href="/"')
    expect(html).toContain('rel="next" href="/?page=3"')
    expect((await SELF.fetch(get('/?page=7'))).status).toBe(404)
  })

  it('reads one KV operation for a first page or an article, and at most three for any other page, at any size', async () => {
    // A feed's later page: its head, the teasers of its chunks, then its articles in full.
    for (const [path, expected] of [
      ['/rss.xml', 1],
      ['/atom.xml?page=4', 3],
      ['/feed.json?page=6', 3],
      ['/', 1],
      ['/?page=5', 2],
      [`/articles/${encodeURIComponent(articles[7]!.slug)}`, 1],
    ] as const) {
      const counter = countingKv()
      const response = await fetchWith(get(path), { ARTICLES: counter.kv })
      expect(response.status, path).toBe(200)
      expect(counter.operations(), path).toBe(expected)
    }
  })
})

describe('old URLs, renamed and unpublished articles', () => {
  beforeAll(async () => {
    await seed([makeArticle({ slug: 'new-name' }), makeArticle({ slug: 'مقال', tags: [IRAQ] })])
    await env.ARTICLES.put(redirectKey('old-name'), JSON.stringify({ slug: 'new-name' }))
    await env.ARTICLES.put(goneKey('withdrawn'), JSON.stringify({ slug: 'withdrawn', title: 'x', removedAt: '2024-12-01T00:00:00Z' }))
  })

  it.each([
    ['/feed', '/rss.xml'],
    ['/feed/', '/rss.xml'],
    ['/rss', '/rss.xml'],
    ['/rss/', '/rss.xml'],
    ['/feed/atom', '/atom.xml'],
    ['/atom', '/atom.xml'],
    ['/feed/json', '/feed.json'],
    ['/index.xml', '/rss.xml'],
    [`/tags/${IRAQ_ENCODED}/feed`, `/tags/${IRAQ_ENCODED}/rss.xml`],
    ['/sections/x/atom/', '/sections/x/atom.xml'],
    ['/articles/new-name/', '/articles/new-name'],
    ['/articles/old-name', '/articles/new-name'],
  ])('answers %s with 301 to %s', async (from, to) => {
    const response = await SELF.fetch(get(from), { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('Location')).toBe(to)
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=86400, s-maxage=60')
  })

  it('answers a missing, renamed or unpublished article in one KV operation', async () => {
    for (const [slug, status] of [['nothing-here', 404], ['old-name', 301], ['withdrawn', 410]] as const) {
      const counter = countingKv()
      const response = await fetchWith(get(`/articles/${slug}`), { ARTICLES: counter.kv })
      expect(response.status, slug).toBe(status)
      expect(counter.operations(), slug).toBe(1)
    }
  })

  it('answers 410 Gone with a page for an unpublished article', async () => {
    const response = await SELF.fetch(get('/articles/withdrawn'))
    expect(response.status).toBe(410)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toContain('سُحب هذا المقال')
    const head = await SELF.fetch(get('/articles/withdrawn', {}, 'HEAD'))
    expect(head.status).toBe(410)
    expect(await head.text()).toBe('')
  })
})

describe('sitemaps and robots.txt', () => {
  const now = Date.now()
  const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000).toISOString()

  beforeAll(async () => {
    await seed(
      [
        makeArticle({ slug: 'fresh', title: 'خبر عاجل & جديد', publishedAt: hoursAgo(2), section: 'سياسة', tags: [IRAQ] }),
        makeArticle({ slug: 'yesterday', language: 'en-GB', publishedAt: hoursAgo(30) }),
        makeArticle({ slug: 'old', publishedAt: hoursAgo(60), updatedAt: hoursAgo(1) }),
        makeArticle({ slug: 'scheduled', publishedAt: new Date(now + 3_600_000).toISOString() }),
      ],
      now,
    )
  })

  it('serves a sitemap index pointing at the list and article sitemaps', async () => {
    const response = await SELF.fetch(get('/sitemap.xml'))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
    // Capped at the scheduled article's time, an hour ahead: it appears in the index then.
    expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=(3599|3600), s-maxage=60, stale-while-revalidate=86400, stale-if-error=86400$/)
    const index = parseXml(await response.text())
    expect(index.name).toBe('sitemapindex')
    expect(childrenNamed(index, 'sitemap').map((sitemap) => child(sitemap, 'loc').text)).toEqual([
      `${ORIGIN}/sitemaps/lists.xml`,
      `${ORIGIN}/sitemaps/articles-1.xml`,
    ])
  })

  it('lists published articles with lastmod from their updates, never scheduled ones', async () => {
    const urlset = parseXml(await (await SELF.fetch(get('/sitemaps/articles-1.xml'))).text())
    const urls = childrenNamed(urlset, 'url').map((url) => [child(url, 'loc').text, child(url, 'lastmod').text])
    expect(urls.map(([loc]) => loc)).toEqual(['old', 'yesterday', 'fresh'].map((slug) => `${ORIGIN}/articles/${slug}`))
    expect(Date.parse(urls[0]![1]!)).toBe(Date.parse(hoursAgo(1)))
    expect((await SELF.fetch(get('/sitemaps/articles-2.xml'))).status).toBe(404)
    const lists = await (await SELF.fetch(get('/sitemaps/lists.xml'))).text()
    expect(lists).toContain(`<loc>${ORIGIN}/sections/${encodeURIComponent('سياسة')}</loc>`)
    expect(lists).toContain(`<loc>${ORIGIN}/tags/${IRAQ_ENCODED}</loc>`)
  })

  it('serves a Google News sitemap of the last 48 hours', async () => {
    const news = parseXml(await (await SELF.fetch(get('/news-sitemap.xml'))).text())
    const entries = childrenNamed(news, 'url').map((url) => {
      const item = child(url, 'news:news')
      return {
        loc: child(url, 'loc').text,
        language: child(child(item, 'news:publication'), 'news:language').text,
        name: child(child(item, 'news:publication'), 'news:name').text,
        title: child(item, 'news:title').text,
        date: child(item, 'news:publication_date').text,
      }
    })
    expect(entries.map((entry) => entry.loc)).toEqual([`${ORIGIN}/articles/fresh`, `${ORIGIN}/articles/yesterday`])
    expect(entries[0]).toMatchObject({ language: 'ar', name: 'صحيفة', title: 'خبر عاجل & جديد' })
    expect(entries[1]!.language).toBe('en')
    expect(Date.parse(entries[0]!.date)).toBe(Date.parse(hoursAgo(2)))
  })

  it('points robots.txt at both sitemaps', async () => {
    const response = await SELF.fetch(get('/robots.txt'))
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe(
      `User-agent: *\nAllow: /\n\nSitemap: ${ORIGIN}/sitemap.xml\nSitemap: ${ORIGIN}/news-sitemap.xml\n`,
    )
  })
})
