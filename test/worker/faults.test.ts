// Faults in workerd: the worker called with a KV binding that throws, never answers, or returns
// corrupt JSON, around miniflare's real namespace. Every page and feed must answer 503 with
// Retry-After (never a 200 with a partial or empty feed), log the failing key, and show nothing
// of it to the client.
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { env } from 'cloudflare:test'
import { fetchWith } from './counting-kv'
import { makeArticles } from '../support/articles'
import { get, seed } from './kv'

type Fault = 'throw' | 'hang' | 'corrupt'

/**
 * miniflare's KV with a fault on every read of a key matching `keys`: `get` throws (as a KV
 * outage does), never settles, or returns a value that is not JSON. Bulk gets fail as a whole.
 */
function faultyKv(fault: Fault, keys: RegExp = /./): KVNamespace {
  const inner = env.ARTICLES
  const hit = (key: string | string[]) => [key].flat().some((each) => keys.test(each))
  const get = async (key: string | string[], options?: unknown) => {
    if (hit(key)) {
      if (fault === 'throw') throw new Error('KV GET failed: 500 Internal Server Error (injected)')
      if (fault === 'hang') return new Promise(() => {})
    }
    const value = await (inner.get as (key: string | string[], options?: unknown) => Promise<unknown>)(key, options)
    if (fault !== 'corrupt' || !hit(key)) return value
    if (value instanceof Map) return new Map([...value.keys()].map((each) => [each, keys.test(each) ? '{"truncated": ' : value.get(each)]))
    return value === null ? null : '{"truncated": '
  }
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'get') return get
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * miniflare's KV with the JSON of every key matching `keys` rewritten by `rewrite` (valid JSON
 * that the schemas may refuse), in single and bulk gets alike.
 */
function rewrittenKv(keys: RegExp, rewrite: (value: unknown) => unknown): KVNamespace {
  const inner = env.ARTICLES
  const rewritten = (key: string, value: unknown) =>
    typeof value === 'string' && keys.test(key) ? JSON.stringify(rewrite(JSON.parse(value))) : value
  const get = async (key: string | string[], options?: unknown) => {
    const value = await (inner.get as (key: string | string[], options?: unknown) => Promise<unknown>)(key, options)
    if (value instanceof Map) return new Map([...value].map(([each, raw]) => [each, rewritten(each, raw)]))
    return rewritten(key as string, value)
  }
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'get') return get
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

type Entries = Record<string, unknown>[]
const eachTeaser = (change: (teaser: Record<string, unknown>) => void) => (chunk: unknown) => {
  for (const teaser of chunk as Entries) change(teaser)
  return chunk
}

const DEEP_PAGES = ['/rss.xml?page=5', '/atom.xml?page=5', '/feed.json?page=5', '/?page=5']

const SEED_SLUG = 'الانسحاب-الأميركي-من-العراق'
const ROUTES = [
  '/',
  '/?page=1',
  `/articles/${encodeURIComponent(SEED_SLUG)}`,
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  `/sections/${encodeURIComponent('سياسة')}`,
  `/sections/${encodeURIComponent('سياسة')}/rss.xml`,
  `/tags/${encodeURIComponent('العراق')}/atom.xml`,
  `/tags/${encodeURIComponent('العراق')}/feed.json`,
  '/sitemap.xml',
  '/news-sitemap.xml',
  // A slug with no article: the worker looks for a redirect or a tombstone.
  '/articles/no-such-article',
]

beforeAll(async () => {
  await seed(inject('articles'))
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** The request's response with the console.error lines it logged. */
async function fetchFaulty(path: string, kv: KVNamespace, method = 'GET') {
  const logged: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg))).join(' '))
  })
  const response = await fetchWith(get(path, {}, method), { ARTICLES: kv })
  vi.restoreAllMocks()
  return { response, body: await response.text(), logged }
}

function expectUnavailable(response: Response, body: string) {
  expect(response.status).toBe(503)
  expect(response.headers.get('Retry-After')).toMatch(/^\d+$/)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  expect(response.headers.get('ETag')).toBeNull()
  // Nothing about the store reaches the client: no key, no error name, no stack.
  expect(body).not.toMatch(/v1:|StoreError|KV|injected|at .*\(|truncated/)
  // The security headers are on error responses too.
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
  expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
}

describe('KV failing', () => {
  it('answers the routes normally with a healthy KV (the wrapper itself is transparent)', async () => {
    for (const path of ROUTES.slice(0, -1)) {
      const { response } = await fetchFaulty(path, faultyKv('corrupt', /^$/))
      expect(response.status, path).toBe(200)
    }
  })

  describe.each(['throw', 'corrupt'] as const)('when every read %ss', (fault) => {
    it.each(ROUTES)('%s answers 503 with Retry-After and logs the key', async (path) => {
      const { response, body, logged } = await fetchFaulty(path, faultyKv(fault))
      expectUnavailable(response, body)
      expect(logged.join('\n')).toMatch(/v1:[a-z]+:/)
    })
  })

  it('answers 503 when only the article read fails on an article page', async () => {
    const path = `/articles/${encodeURIComponent(SEED_SLUG)}`
    const { response, body, logged } = await fetchFaulty(path, faultyKv('throw', /^v1:article:/))
    expectUnavailable(response, body)
    expect(logged.join('\n')).toContain(`v1:article:${SEED_SLUG}`)
  })

  it('answers HEAD with 503 too', async () => {
    const { response } = await fetchFaulty('/rss.xml', faultyKv('throw'), 'HEAD')
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toMatch(/^\d+$/)
  })

  it('gives up on a read that never answers: 503 after the store timeout, for pages and feeds', async () => {
    const paths = ['/', '/rss.xml', `/articles/${encodeURIComponent(SEED_SLUG)}`, '/articles/no-such-article']
    const results = await Promise.all(paths.map((path) => fetchWith(get(path), { ARTICLES: faultyKv('hang') })))
    for (const response of results) {
      expect(response.status).toBe(503)
      expect(response.headers.get('Retry-After')).toMatch(/^\d+$/)
      expect(await response.text()).not.toMatch(/v1:|StoreError|timed out|ms/)
    }
  }, 30_000)
})

describe('KV failing past the head of a long list', () => {
  beforeAll(async () => {
    // 200 articles: page 5 of a feed is in the chunks, not the head.
    await seed(makeArticles(200))
  })

  it('answers the pages normally with a healthy KV', async () => {
    for (const path of DEEP_PAGES) expect((await fetchFaulty(path, faultyKv('corrupt', /^$/))).response.status, path).toBe(200)
  })

  it.each(['throw', 'corrupt'] as const)('answers 503, never a partial feed, when only a chunk read %ss', async (fault) => {
    for (const path of DEEP_PAGES) {
      const { response, body, logged } = await fetchFaulty(path, faultyKv(fault, /^v1:chunk:/))
      expectUnavailable(response, body)
      expect(logged.join('\n')).toContain('v1:chunk:')
    }
  })

  // Feed pages past the first take only slugs from the chunks and paging facts from the index;
  // what they render comes from each article's own key (src/worker/store.ts, FeedIndex).
  const DEEP_FEEDS = DEEP_PAGES.filter((path) => !path.startsWith('/?'))

  it('renders feed pages byte for byte from the articles, whatever else a chunk\'s teasers hold', async () => {
    const untitled = rewrittenKv(/^v1:chunk:/, eachTeaser((teaser) => void (teaser.title = 42)))
    for (const path of DEEP_FEEDS) {
      const healthy = await fetchFaulty(path, faultyKv('corrupt', /^$/))
      const { response, body } = await fetchFaulty(path, untitled)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('ETag'), path).toBe(healthy.response.headers.get('ETag'))
      expect(body, path).toBe(healthy.body)
    }
    // The list's HTML page shows the teasers: it still validates them in full.
    const listPage = await fetchFaulty('/?page=5', untitled)
    expectUnavailable(listPage.response, listPage.body)
  })

  it('answers 503 when a chunk\'s teaser has no slug', async () => {
    const slugless = rewrittenKv(/^v1:chunk:/, eachTeaser((teaser) => void delete teaser.slug))
    for (const path of DEEP_FEEDS) {
      const { response, body, logged } = await fetchFaulty(path, slugless)
      expectUnavailable(response, body)
      expect(logged.join('\n')).toContain('v1:chunk:')
    }
  })

  it('answers 503 when the index holds a date paging cannot compute with', async () => {
    const undated = rewrittenKv(/^v1:index:/, (index) => {
      for (const article of (index as { articles: Entries }).articles) article.publishedAt = 'yesterday'
      return index
    })
    for (const path of DEEP_FEEDS) {
      const { response, body, logged } = await fetchFaulty(path, undated)
      expectUnavailable(response, body)
      expect(logged.join('\n')).toContain('v1:index:')
    }
  })
})
