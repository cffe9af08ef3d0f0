// The HTML pages through HTTP in workerd: status and headers first, then what a reader gets.
import { env, SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { articleKey } from '../../src/model/keys'
import { makeArticle } from '../support/articles'
import { get, seed } from './kv'

const SEED_SLUG = 'الانسحاب-الأميركي-من-العراق'
const SEED_PATH = `/articles/${encodeURIComponent(SEED_SLUG)}`

describe('pages with the real articles/', () => {
  beforeAll(async () => {
    await seed(inject('articles'))
  })

  it('serves the home page in Arabic, right to left, newest first', async () => {
    const response = await SELF.fetch(get('/'))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400')
    expect(response.headers.get('ETag')).toMatch(/^"[0-9a-f]{32}"$/)
    const html = await response.text()
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/)
    const english = html.indexOf('Sample: how Sahifa serves')
    const seedTitle = html.indexOf('الانسحاب الأميركي من العراق على طاولة البحث من جديد')
    expect(english).toBeGreaterThan(0)
    expect(seedTitle).toBeGreaterThan(english)
    // The featured sample leads with its photo, though the English article is newer…
    expect(html).toContain('<li class="teaser lead-story with-photo" lang="ar" dir="rtl"><picture class="teaser-photo">')
    expect(html.indexOf('عينة: صورة من صنع صحيفة')).toBeLessThan(english)
    // …which follows, marked left-to-right inside the Arabic page.
    expect(html).toContain('<li class="teaser" lang="en" dir="ltr">')
    // The masthead links the sections of the newest articles, newest first.
    expect(html).toMatch(/<a href="\/sections\/technology" dir="auto">Technology<\/a>.*<a href="\/sections\/[^"]+" dir="auto">ثقافة<\/a>.*<a href="\/sections\/[^"]+" dir="auto">سياسة<\/a>/)
  })

  it('serves the seed article by its raw and its percent-encoded Arabic slug', async () => {
    for (const path of [SEED_PATH, `/articles/${SEED_SLUG}`]) {
      const response = await SELF.fetch(get(path))
      expect(response.status).toBe(200)
    }
  })

  it('renders the seed article as a news page', async () => {
    const html = await (await SELF.fetch(get(SEED_PATH))).text()
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/)
    expect(html).toContain('<h1 class="article-title">الانسحاب الأميركي من العراق على طاولة البحث من جديد</h1>')
    expect(html).toContain(`<link rel="canonical" href="http://127.0.0.1:8787${SEED_PATH}"/>`)
    for (const [type, path] of [
      ['application/rss+xml', '/rss.xml'],
      ['application/atom+xml', '/atom.xml'],
      ['application/feed+json', '/feed.json'],
    ]) {
      expect(html).toMatch(new RegExp(`<link rel="alternate" type="${type!.replace('+', '\\+')}" title="[^"]+" href="http://127.0.0.1:8787${path}"/>`))
    }
    expect(html).toContain('<meta name="description" content="منذ أكتوبر 2024، تصاعدت')
    expect(html).toContain('<h2>خارج الحسابات</h2>')
    expect(html).toContain('<h2>موقف العراق الرسمي</h2>')
    // The photo's caption and agency credit are kept; no photo file is invented.
    expect(html).toContain('صورة بالقمر الاصطناعي لقاعدة “البرج 22” الأميركية التي استهدفتها طائرة مسيرة شمال شرقي الأردن')
    expect(html).toContain('<span class="credit">(الفرنسية)</span>')
    expect(html).not.toMatch(/<figure class="figure"><img/)
    expect(html).toContain('<time datetime="2024-11-20T06:30:00Z">20 نوفمبر 2024</time>')
    expect(html).toContain('استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007')
    expect(html).toContain('جديد الأخبار')
    expect(html).toContain('href="/articles/sample-english-article"')
    expect(html).not.toContain(`<a href="${SEED_PATH}">`)
  })

  it('describes the seed article for sharing without inventing its photo', async () => {
    const html = await (await SELF.fetch(get(SEED_PATH))).text()
    expect(html).toContain('<meta property="og:title" content="الانسحاب الأميركي من العراق على طاولة البحث من جديد"/>')
    expect(html).toContain('<meta property="og:type" content="article"/>')
    expect(html).toContain('<meta name="twitter:card" content="summary"/>')
    const [, json] = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)!
    const article = JSON.parse(json!) as Record<string, unknown>
    expect(article).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'الانسحاب الأميركي من العراق على طاولة البحث من جديد',
      inLanguage: 'ar',
      datePublished: '2024-11-20T06:30:00Z',
      publisher: { '@type': 'NewsMediaOrganization', name: 'صحيفة' },
    })
    expect(article).not.toHaveProperty('image')
  })

  it.each(['/', SEED_PATH, '/rss.xml', '/no-such-page'])('sends the security headers with %s', async (path) => {
    const response = await SELF.fetch(get(path))
    expect(response.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin')
  })

  it('sends the security headers with a 304 too', async () => {
    const etag = (await SELF.fetch(get('/'))).headers.get('ETag')!
    const response = await SELF.fetch(get('/', { 'If-None-Match': etag }))
    expect(response.status).toBe(304)
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('lays out an English article left to right with an English date, keeping the chrome Arabic', async () => {
    const html = await (await SELF.fetch(get('/articles/sample-english-article'))).text()
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en" dir="ltr">/)
    expect(html).toContain('<header class="masthead" lang="ar" dir="rtl">')
    expect(html).toContain('<time datetime="2024-11-22T09:15:00Z">November 22, 2024</time>')
  })

  it('answers HEAD on pages with the GET headers and no body', async () => {
    for (const path of ['/', SEED_PATH, '/no-such-page']) {
      const getResponse = await SELF.fetch(get(path))
      const head = await SELF.fetch(get(path, {}, 'HEAD'))
      expect(head.status).toBe(getResponse.status)
      expect(await head.text()).toBe('')
      expect(head.headers.get('Content-Type')).toBe(getResponse.headers.get('Content-Type'))
      expect(head.headers.get('ETag')).toBe(getResponse.headers.get('ETag'))
    }
  })

  it.each(['/no-such-page', '/articles/no-such-article', '/articles/Not%20A%20Slug', '/?page=9', '/rss.xml?page=0'])(
    'answers %s with a real 404 page',
    async (path) => {
      const response = await SELF.fetch(get(path))
      expect(response.status).toBe(404)
      expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
      const html = await response.text()
      expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/)
      expect(html).toContain('الصفحة غير موجودة')
    },
  )
})

describe('scheduled articles and failures', () => {
  it('hides an article until its publishedAt, everywhere', async () => {
    const future = makeArticle({ slug: 'future', title: 'FUTURE', publishedAt: '2999-01-01T00:00:00Z' })
    await seed([makeArticle({ slug: 'past' }), future])
    expect((await SELF.fetch(get('/articles/future'))).status).toBe(404)
    for (const path of ['/', '/rss.xml', '/atom.xml', '/feed.json']) {
      expect(await (await SELF.fetch(get(path))).text()).not.toContain('FUTURE')
    }
  })

  it('answers 503 without leaking details when a stored value is corrupt', async () => {
    await seed([makeArticle({ slug: 'corrupt' })])
    await env.ARTICLES.put(articleKey('corrupt'), '{"slug": 42')
    const response = await SELF.fetch(get('/articles/corrupt'))
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('30')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const text = await response.text()
    expect(text).not.toMatch(/StoreError|at .*\.ts|v1:article/)
  })

  it('builds feeds from the list keys alone, never one read per article', async () => {
    const articles = [makeArticle({ slug: 'one' }), makeArticle({ slug: 'two' })]
    await seed(articles)
    for (const article of articles) await env.ARTICLES.delete(articleKey(article.slug))
    const feed = (await (await SELF.fetch(get('/feed.json'))).json()) as { items: unknown[] }
    expect(feed.items).toHaveLength(2)
  })
})
