// The edge cache as the deploy and `npm start` run it (wrangler.toml's EDGE_CACHE = "on"), through
// the worker's fetch handler in workerd with the real Cache API: a publish shows on the next
// request on every kind of URL and leaves what it did not change cached; unpublish, rename and
// scheduled articles; no copy outlives its own freshness; nothing a client sends beyond the cache
// key reaches a cached response; the memory layer stays bounded; KV answering keys out of step.
// The clock is faked (Date only), so lifetimes are tested exactly and without waiting.
import { env } from 'cloudflare:test'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { redirectEntry, tombstoneEntry } from '../../src/publish/live-state'
import type { StoredArticle } from '../../src/model/article'
import { canonicalUrl } from '../../src/worker/cache/canonical'
import { serveRequest } from '../../src/worker/cache/edge-cache'
import { MemoryCache } from '../../src/worker/cache/memory'
import { app } from '../../src/worker/app'
import { articleKey, listHeadKey, SITE_LIST } from '../../src/model/keys'
import { parseSiteConfig } from '../../src/model/site'
import type { KvReader } from '../../src/worker/store'
import { makeArticle } from '../support/articles'
import { countingKv, fetchWith } from './counting-kv'
import { clearKv, get, publish, purgeTagged } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
/** The configuration `npm start` and the deploy run (the test config turns the cache off). */
const AS_DEPLOYED = { EDGE_CACHE: 'on' }
const HOUR = 3_600_000

let clock = Date.parse('2025-03-01T12:00:00Z')
const setClock = (time: number) => {
  clock = time
  vi.setSystemTime(time)
}
const advance = (ms: number) => setClock(clock + ms)

/** Canonical URLs this file has asked for: what a purge by tag can find in the Cache API. */
const asked = new Set<string>()

/** A request as a reader makes it, through the edge cache. */
function request(path: string, headers: Record<string, string> = {}, method = 'GET') {
  asked.add(canonicalUrl(ORIGIN + path, ORIGIN))
  return fetchWith(get(path, headers, method), AS_DEPLOYED)
}
/** What the routes answer from KV as it is now, without any cache. */
const render = (path: string) => fetchWith(get(path))

/** A publish as the CLI runs it: KV written, then the edge cache purged of the plan's tags. */
async function publishAndPurge(articles: readonly StoredArticle[], options: Parameters<typeof publish>[1] = {}) {
  const tags = await publish(articles, { now: clock, ...options })
  await purgeTagged(asked, tags)
  // A purge cannot reach an isolate's memory: its copies last one second.
  advance(1_001)
}

const statusOf = (response: Response) => response.headers.get('Cache-Status') ?? ''
const isHit = (response: Response) => statusOf(response).startsWith('Sahifa; hit')

/** `count` articles an hour apart ending a day before the clock, in one section and one tag. */
const archive = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    makeArticle({
      slug: `archive-${i}`,
      title: `أرشيف ${i}`,
      publishedAt: new Date(clock - 24 * HOUR - (count - i) * HOUR).toISOString(),
      section: 'سياسة',
      tags: ['العراق'],
    }),
  )

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  setClock(clock)
})
afterAll(() => vi.useRealTimers())
beforeEach(async () => {
  await clearKv()
  // Each test starts from an empty cache: far past every copy's expiry.
  advance(24 * HOUR)
})

describe('a publish', () => {
  const URLS = [
    '/',
    '/?page=2',
    '/?page=3',
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/atom.xml?page=3',
    '/sections/سياسة',
    '/sections/سياسة/rss.xml',
    '/sections/سياسة/atom.xml',
    '/sections/سياسة/feed.json',
    `/sections/${encodeURIComponent('سياسة')}/feed.json?page=2`,
    '/tags/العراق',
    '/tags/العراق/atom.xml',
    '/tags/جديد',
    '/tags/جديد/rss.xml',
    '/sections/new-section',
    '/articles/archive-2',
    '/articles/archive-59',
    '/articles/breaking',
    '/sitemap.xml',
    '/sitemaps/articles-1.xml',
    '/sitemaps/lists.xml',
    '/news-sitemap.xml',
  ]

  it('shows on the next request on every kind of URL, and only what it changed is rendered again', async () => {
    const before = [...archive(60), makeArticle({ slug: 'aside', tags: ['آخر'], publishedAt: new Date(clock - 40 * HOUR).toISOString() })]
    await publishAndPurge(before)
    for (const path of [...URLS, '/tags/آخر/rss.xml']) {
      await request(path)
      expect(isHit(await request(path)), path).toBe(true)
    }

    const breaking = makeArticle({
      slug: 'breaking',
      title: 'خبر عاجل',
      publishedAt: new Date(clock - HOUR).toISOString(),
      section: 'new-section',
      tags: ['العراق', 'جديد'],
    })
    const edited = before.map((article) => (article.slug === 'archive-2' ? { ...article, title: 'عنوان مصحح' } : article))
    await publishAndPurge([...edited, breaking])

    for (const path of URLS) {
      const served = await request(path)
      const expected = await render(path)
      expect(served.status, path).toBe(expected.status)
      expect(await served.text(), path).toBe(await expected.text())
    }
    expect(await (await request('/rss.xml')).text()).toContain('خبر عاجل')
    expect(await (await request('/articles/archive-2')).text()).toContain('عنوان مصحح')
    expect(await (await request('/?page=3')).text()).toContain('عنوان مصحح')
    expect((await request('/tags/جديد/rss.xml')).status).toBe(200)
    // A feed the publish did not touch is still the cached copy.
    expect(isHit(await request('/tags/آخر/rss.xml'))).toBe(true)
  })

  it('takes an unpublished article off: 410 at its URL and gone from every feed', async () => {
    const articles = archive(3)
    await publishAndPurge(articles)
    expect((await request('/articles/archive-1')).status).toBe(200)
    expect(await (await request('/tags/العراق/rss.xml')).text()).toContain('/articles/archive-1<')

    const gone = { slug: 'archive-1', title: 'أرشيف 1', removedAt: new Date(clock).toISOString() }
    await publishAndPurge(
      articles.filter((article) => article.slug !== 'archive-1'),
      { pointers: [tombstoneEntry(gone)], removing: [gone] },
    )
    expect((await request('/articles/archive-1')).status).toBe(410)
    expect(await (await request('/tags/العراق/rss.xml')).text()).not.toContain('/articles/archive-1<')
  })

  it('answers a renamed article’s old URL with 301 to the new one at once', async () => {
    const [first, second] = archive(2)
    await publishAndPurge([first!, second!])
    expect((await request('/articles/archive-1')).status).toBe(200)

    await publishAndPurge([first!, { ...second!, slug: 'renamed' }], { pointers: [redirectEntry('archive-1', { slug: 'renamed', publishedAt: second!.publishedAt })] })
    const moved = await request('/articles/archive-1')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('Location')).toBe('/articles/renamed')
    expect((await request('/articles/renamed')).status).toBe(200)
    expect(await (await request('/atom.xml')).text()).toContain(`${ORIGIN}/articles/renamed`)
  })
})

describe('a scheduled article', () => {
  it('appears at its time on every list, its page and the feeds, without a publish', async () => {
    const goesLive = clock + 10 * 60_000
    await publishAndPurge([
      ...archive(2),
      makeArticle({ slug: 'embargoed', title: 'موعد النشر', publishedAt: new Date(goesLive).toISOString(), tags: ['موعد'] }),
    ])
    // Before its time the tag does not exist for readers (its only article is embargoed)...
    const early = await request('/tags/موعد')
    expect(early.status).toBe(404)
    expect(await early.text()).not.toContain('موعد النشر')
    expect((await request('/articles/embargoed')).status).toBe(404)
    // ...and no cache, ours or a reader's, may keep that answer past the article's time.
    setClock(goesLive - 30_000)
    const late = await request('/tags/موعد/rss.xml')
    expect(late.status).toBe(404)
    expect(late.headers.get('Cache-Control')).toBe('public, max-age=30, s-maxage=30')
    expect(statusOf(late)).toBe('Sahifa; fwd=miss; stored; ttl=30')
    for (const path of ['/tags/موعد', '/rss.xml', '/', '/articles/embargoed']) await request(path)
    const tagLink = `/tags/${encodeURIComponent('موعد')}/rss.xml`
    expect(await (await request('/feeds')).text()).not.toContain(tagLink)
    expect(await (await request('/sitemaps/lists.xml')).text()).not.toContain(`/tags/${encodeURIComponent('موعد')}<`)

    setClock(goesLive + 1_000)
    for (const path of ['/tags/موعد', '/tags/موعد/rss.xml', '/rss.xml', '/']) {
      expect(await (await request(path)).text(), path).toContain('موعد النشر')
    }
    expect((await request('/articles/embargoed')).status).toBe(200)
    expect(await (await request('/feeds')).text()).toContain(tagLink)
    expect(await (await request('/sitemaps/lists.xml')).text()).toContain(`/tags/${encodeURIComponent('موعد')}<`)
  })
})

describe('what KV says of the future', () => {
  it('never gives a Last-Modified later than now, so If-Modified-Since cannot freeze on it', async () => {
    // A value in 2099 that the publish script would refuse (updatedAt in the future), read as KV has it.
    await publishAndPurge([{ ...archive(1)[0]!, updatedAt: '2099-01-01T00:00:00Z' }])
    const response = await request('/rss.xml')
    const lastModified = response.headers.get('Last-Modified')!
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(clock)
    // A reader revalidating with that date after the site changed gets the change, not a 304.
    advance(60_000)
    await publishAndPurge([{ ...archive(1)[0]!, updatedAt: '2099-01-01T00:00:00Z' }, makeArticle({ title: 'جديد', publishedAt: new Date(clock).toISOString() })])
    const later = await request('/rss.xml', { 'If-Modified-Since': lastModified })
    expect(later.status).toBe(200)
    expect(await later.text()).toContain('جديد')
  })

  it('keeps an old slug from leading to its renamed article until the article’s time', async () => {
    const [first] = archive(1)
    await publishAndPurge([first!])
    const goesLive = clock + 5 * 60_000
    const renamed = { ...first!, slug: 'renamed-later', publishedAt: new Date(goesLive).toISOString() }
    await publishAndPurge([renamed], { pointers: [redirectEntry('archive-0', renamed)] })
    const early = await request('/articles/archive-0')
    expect(early.status).toBe(404)
    expect(early.headers.get('Location')).toBeNull()
    setClock(goesLive + 1_000)
    const moved = await request('/articles/archive-0')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('Location')).toBe('/articles/renamed-later')
  })
})

describe('a cached copy', () => {
  it('lives for s-maxage and no longer, whatever stale-* the client-facing Cache-Control carries', async () => {
    await publishAndPurge(archive(1))
    const first = await request('/feed.json')
    expect(statusOf(first)).toBe('Sahifa; fwd=miss; stored; ttl=60')
    const clientCacheControl = 'public, max-age=300, s-maxage=60, stale-while-revalidate=3600, stale-if-error=86400'
    expect(first.headers.get('Cache-Control')).toBe(clientCacheControl)

    // KV changes without a purge (as when a publish could not reach the zone): the copy stands...
    await publish([{ ...archive(1)[0]!, title: 'تغيير' }], { now: clock })
    advance(59_000)
    const hit = await request('/feed.json')
    expect(isHit(hit)).toBe(true)
    expect(hit.headers.get('Age')).toBe('59')
    expect(hit.headers.get('Cache-Control')).toBe(clientCacheControl)
    expect(hit.headers.get('Cache-Tag')).toBeNull()
    expect(await hit.text()).not.toContain('تغيير')
    // ...until its own expiry, though miniflare's Cache API would keep it for a day more.
    advance(1_001)
    const after = await request('/feed.json')
    expect(statusOf(after)).toBe('Sahifa; fwd=miss; stored; ttl=60')
    expect(await after.text()).toContain('تغيير')
  })

  it('answers HEAD with the Content-Length of the GET, from memory, from the Cache API and rendered', async () => {
    await publishAndPurge(archive(1))
    for (const path of ['/', '/rss.xml', '/articles/archive-0', '/nothing-here']) {
      const head = await request(path, {}, 'HEAD')
      const fromMemory = await request(path)
      advance(1_001)
      const fromCacheApi = await request(path)
      const length = String((await fromMemory.arrayBuffer()).byteLength)
      expect(head.headers.get('Content-Length'), path).toBe(length)
      expect(fromMemory.headers.get('Content-Length'), path).toBe(length)
      expect(fromCacheApi.headers.get('Content-Length'), path).toBe(length)
      expect(await head.text()).toBe('')
    }
  })

  it('answers repeats, 304s and tracking-parameter variants without touching KV', async () => {
    await publishAndPurge(archive(1))
    const path = `/tags/${encodeURIComponent('العراق')}/rss.xml`
    const first = countingKv()
    const original = await fetchWith(get(path), { ARTICLES: first.kv, ...AS_DEPLOYED })
    expect(first.operations()).toBe(1)
    const again = countingKv()
    const tracked = await fetchWith(get('/tags/العراق/rss.xml?utm_source=x'), { ARTICLES: again.kv, ...AS_DEPLOYED })
    expect(await tracked.text()).toBe(await original.text())
    const etag = original.headers.get('ETag')!
    const conditional = await fetchWith(get(path, { 'If-None-Match': etag }), { ARTICLES: again.kv, ...AS_DEPLOYED })
    expect(conditional.status).toBe(304)
    advance(1_001)
    const fromCacheApi = await fetchWith(get(path, { 'If-None-Match': etag }), { ARTICLES: again.kv, ...AS_DEPLOYED })
    expect(fromCacheApi.status).toBe(304)
    expect(again.operations()).toBe(0)
  })

  it('answers from isolate memory for one second, then from the Cache API', async () => {
    await publishAndPurge(archive(1))
    const first = await request('/feed.json')
    await caches.default.delete(new Request(`${ORIGIN}/feed.json`))
    expect(statusOf(await request('/feed.json'))).toBe('Sahifa; hit; ttl=1; detail=memory')
    advance(1_001)
    // Neither layer holds it now: rendered again, the same bytes.
    const again = await request('/feed.json')
    expect(statusOf(again)).toBe('Sahifa; fwd=miss; stored; ttl=60')
    expect(await again.text()).toBe(await first.text())
    expect(statusOf(await request('/feed.json'))).toBe('Sahifa; hit; ttl=1; detail=memory')
    advance(1_001)
    expect(statusOf(await request('/feed.json'))).toBe('Sahifa; hit; ttl=58')
  })

  it('answers conditional requests from the cache with 304', async () => {
    await publishAndPurge(archive(1))
    const first = await request('/atom.xml')
    const notModified = await request('/atom.xml', { 'If-None-Match': first.headers.get('ETag')! })
    expect(notModified.status).toBe(304)
    expect(notModified.headers.get('ETag')).toBe(first.headers.get('ETag'))
  })
})

describe('what a client sends', () => {
  it('cannot reach a cached redirect: Location is built from the canonical URL', async () => {
    await publishAndPurge(archive(1))
    const poisoned = await request('/tags/x/?utm_source=evil&x=%0d%0aSet-Cookie:a=b')
    expect(poisoned.status).toBe(301)
    expect(poisoned.headers.get('Location')).toBe('/tags/x')
    expect(poisoned.headers.get('Set-Cookie')).toBeNull()
    const clean = await request('/tags/x/')
    expect(clean.headers.get('Location')).toBe('/tags/x')

    await request(`/feed/?page=2&junk=${'a'.repeat(60_000)}`)
    const alias = await request('/feed/?page=2')
    expect(alias.headers.get('Location')).toBe('/rss.xml?page=2')
    expect((await request(`/tags/y/?page=${'9'.repeat(50)}`)).headers.get('Location')).toBe('/tags/y?page=0')
  })

  it('cannot fragment the cache or change what others get: Host, encodings, unknown parameters', async () => {
    await publishAndPurge(archive(1))
    const first = await fetchWith(get('/tags/العراق/rss.xml', { Host: 'evil.example' }), AS_DEPLOYED)
    asked.add(canonicalUrl(`${ORIGIN}/tags/العراق/rss.xml`, ORIGIN))
    const body = await first.text()
    expect(body).not.toContain('evil.example')
    for (const path of [`/tags/${encodeURIComponent('العراق')}/rss.xml`, `/tags/${encodeURIComponent('العراق').toLowerCase()}/rss.xml?fbclid=1`]) {
      const again = await request(path)
      expect(isHit(again), path).toBe(true)
      expect(await again.text()).toBe(body)
    }
  })

  it('is answered 405 for methods other than GET and HEAD', async () => {
    const response = await fetchWith(new Request(`${ORIGIN}/rss.xml`, { method: 'POST', body: 'x' }), AS_DEPLOYED)
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD')
    expect(response.headers.get('Content-Security-Policy')).not.toBeNull()
  })
})

describe('the memory layer', () => {
  const limits = { ttlMs: 1_000, maxEntries: 512, maxBytes: 4 * 1024 * 1024, maxEntryBytes: 1024 * 1024 }

  it('holds 10,000 distinct URLs within its bounds, and lets expired ones go unasked', () => {
    const memory = new MemoryCache(limits)
    const body = new ArrayBuffer(6_000)
    let largest = memory.size
    for (let i = 0; i < 10_000; i++) {
      const key = `${ORIGIN}/tags/flood-${i}-${'x'.repeat(i % 3 === 0 ? 1_500 : 20)}`
      memory.set(key, { status: 200, headers: [['Content-Type', 'text/html']], body, storedAt: clock, expires: clock + 1_000 }, clock)
      if (i % 10 === 0) advance(5)
      if (memory.size.entries > largest.entries || memory.size.bytes > largest.bytes) largest = memory.size
    }
    expect(largest.entries).toBeLessThanOrEqual(limits.maxEntries)
    expect(largest.bytes).toBeLessThanOrEqual(limits.maxBytes)
    advance(1_001)
    memory.set(`${ORIGIN}/after`, { status: 301, headers: [], body: new ArrayBuffer(0), storedAt: clock, expires: clock + 1_000 }, clock)
    expect(memory.size.entries).toBe(1)
  })

  it('stays within its bounds when a flood of distinct URLs comes through HTTP', async () => {
    const site = parseSiteConfig({ ...env, ...AS_DEPLOYED })
    const memory = new MemoryCache(limits)
    const pending: Promise<unknown>[] = []
    const serve = (path: string) =>
      serveRequest(new Request(ORIGIN + path), {
        site,
        kv: env.ARTICLES,
        memory,
        cache: caches.default,
        waitUntil: (promise) => pending.push(promise),
        render: async (canonical, kv) => app.fetch(canonical, { site, kv }),
      })
    let largest = memory.size
    // The measured attack: trailing-slash URLs of 30 KB (answered, never kept) and short ones.
    for (let from = 0; from < 2_000; from += 100) {
      const paths = Array.from({ length: 100 }, (_, i) => `/tags/flood-${from + i}-${'x'.repeat(i % 2 === 0 ? 30_000 : 20)}/`)
      const statuses = await Promise.all(paths.map(async (path) => (await serve(path)).status))
      expect(new Set(statuses)).toEqual(new Set([301]))
      advance(50)
      if (memory.size.entries > largest.entries || memory.size.bytes > largest.bytes) largest = memory.size
    }
    await Promise.all(pending)
    expect(largest.entries).toBeLessThanOrEqual(limits.maxEntries)
    expect(largest.bytes).toBeLessThanOrEqual(limits.maxBytes)
  })
})

describe('KV answering keys out of step (eventual consistency)', () => {
  /** KV as a location sees it that still has the value of `stale` keys from before a publish. */
  function laggingKv(snapshot: ReadonlyMap<string, string | null>): KVNamespace {
    const read = (key: string) => (snapshot.has(key) ? Promise.resolve(snapshot.get(key)!) : env.ARTICLES.get(key, 'text'))
    const reader: KvReader = {
      get: ((keys: string | string[]) =>
        typeof keys === 'string'
          ? read(keys)
          : Promise.all(keys.map(read)).then((values) => new Map(keys.map((key, i) => [key, values[i]!])))) as KvReader['get'],
    }
    return reader as unknown as KVNamespace
  }

  it('never answers 404 for an article the site head it just read links', async () => {
    const articles = archive(2)
    await publishAndPurge(articles)
    const fresh = makeArticle({ slug: 'just-published', title: 'نشر للتو', publishedAt: new Date(clock - 60_000).toISOString() })
    await publishAndPurge([...articles, fresh])
    // This location's KV still remembers the article's key as absent; its head is already new.
    const kv = laggingKv(new Map([[articleKey('just-published'), null]]))
    const response = await fetchWith(get('/articles/just-published'), { ARTICLES: kv })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('نشر للتو')
  })

  it('serves the article when its key is new but the head this location reads is old', async () => {
    const articles = archive(2)
    await publishAndPurge(articles)
    const oldHead = await env.ARTICLES.get(listHeadKey(SITE_LIST))
    await publishAndPurge([...articles, makeArticle({ slug: 'only-in-kv', publishedAt: new Date(clock - 60_000).toISOString() })])
    const kv = laggingKv(new Map([[listHeadKey(SITE_LIST), oldHead]]))
    expect((await fetchWith(get('/articles/only-in-kv'), { ARTICLES: kv })).status).toBe(200)
  })

  it('answers 503 without caching it when a chunk the head names has not arrived, then recovers', async () => {
    const articles = archive(60)
    await publishAndPurge(articles)
    const chunk = '/?page=3'
    const kv = laggingKv(new Map([[`v1:chunk:0:site`, null]]))
    const missing = await fetchWith(get(chunk), { ARTICLES: kv, ...AS_DEPLOYED })
    asked.add(canonicalUrl(ORIGIN + chunk, ORIGIN))
    expect(missing.status).toBe(503)
    expect(missing.headers.get('Retry-After')).toBe('30')
    expect((await request(chunk)).status).toBe(200)
  })
})
