// Request fuzzing in workerd: 10,000+ random requests per run — route fragments recombined with
// bad percent-encoding, dot segments, Unicode, overlong paths and query strings, odd methods and
// huge or malformed headers — against the worker with the real articles in KV. None may answer
// 5xx, none may redirect off-site, and every HTML answer carries the security headers. The bulk
// calls the worker's fetch directly (the SELF round trip costs several times the request itself
// on a busy 2-core machine); the named cases go through SELF.
import { SELF } from 'cloudflare:test'
import fc from 'fast-check'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { fetchWith } from './counting-kv'
import { seed } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
const REQUESTS = 10_000
const CONCURRENCY = 20

const SEGMENTS = [
  '', 'articles', 'sections', 'tags', 'rss.xml', 'atom.xml', 'feed.json', 'feed', 'rss', 'atom', 'json',
  'sitemap.xml', 'sitemaps', 'lists.xml', 'articles-1.xml', 'articles-0.xml', 'news-sitemap.xml', 'robots.txt',
  'index.xml', 'favicon.svg', 'assets', 'sample-english-article', 'الانسحاب-الأميركي-من-العراق',
  encodeURIComponent('الانسحاب-الأميركي-من-العراق'), encodeURIComponent('سياسة'), 'سياسة', encodeURIComponent('العراق'),
  '.', '..', '%2e%2e', '%2E', '\\', '%5C', '%2F', '%00', '%', '%%', '%G1', '%E2%82', '%FF', '%C0%AF', '%ED%A0%80',
  '%F4%90%80%80', '%25', '%20', '+', ';', ':', '@', 'evil.example', 'javascript:alert(1)', '<script>', '"', "'",
  '%0d%0aSet-Cookie:%20x=1', '\u202E', 'İ', '\uD83D\uDE00',
]

const longName = fc.constantFrom('a', 'İ', 'ب', '字', '😀', '%F0%9F%98%80', '%').chain((unit) =>
  fc.integer({ min: 100, max: 3_000 }).map((count) => unit.repeat(count)),
)

const segment = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...SEGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
  { weight: 1, arbitrary: longName },
)

const path = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('', '/', '//'))
  .map(([segments, trailing]) => `/${segments.join('/')}${trailing}`)

const queryValue = fc.oneof(
  fc.constantFrom('1', '2', '0', '-1', '01', '1e3', '999999', '9999999', '1.5', '', '%', '%FF', '%00', 'NaN', '١'),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((count) => 'x'.repeat(count)),
)
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('page', 'page[]', 'PAGE', 'q', '', '%'), queryValue), { minLength: 1, maxLength: 3 })
      .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?', '??', '?&&', '?page', '?page=1#x', '?page=2&page=3') },
)

const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND', 'PURGE', 'MKCOL'] as const

const headerValue = fc.oneof(
  fc.constantFrom('*', '"x"', 'W/"x"', '"', ',,,', 'Tue, 15 Nov 1994 08:12:31 GMT', 'not a date', '0', '-1', 'bytes=0-1'),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((value) => value.replace(/[\0\r\n]/g, '')),
  fc.integer({ min: 1_000, max: 60_000 }).map((count) => 'a'.repeat(count)),
)
const headers = fc
  .array(
    fc.tuple(
      fc.constantFrom('If-None-Match', 'If-Modified-Since', 'Accept', 'Accept-Encoding', 'Accept-Language', 'Range', 'Cookie', 'X-Forwarded-Host', 'Host-Ish'),
      headerValue,
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs))

const request = fc.record({ method: fc.constantFrom(...METHODS), path, query, headers })

interface Sample {
  method: string
  path: string
  query: string
  headers: Record<string, string>
}

function sameOrigin(location: string, base: string): boolean {
  try {
    return new URL(location, base).origin === ORIGIN
  } catch {
    return false
  }
}

/** Why a response to `sample` is wrong, or null. */
async function problem(sample: Sample): Promise<string | null> {
  let url: string
  try {
    // Concatenated, not resolved: a path starting `//` stays a path on our origin.
    url = new URL(ORIGIN + sample.path + sample.query).href
  } catch {
    return null // Not a URL any client could send.
  }
  let response: Response
  try {
    response = await fetchWith(new Request(url, { method: sample.method, headers: sample.headers, redirect: 'manual' }))
    await response.arrayBuffer()
  } catch (error) {
    return `threw ${String(error).slice(0, 200)}`
  }
  if (response.status >= 500) return `${response.status}`
  const location = response.headers.get('Location')
  if (location !== null && !sameOrigin(location, url)) return `redirects off-site to ${location}`
  if (response.headers.get('Content-Type')?.startsWith('text/html') && !response.headers.get('Content-Security-Policy')) {
    return 'HTML without Content-Security-Policy'
  }
  return null
}

describe('request fuzzing', () => {
  beforeAll(async () => {
    await seed(inject('articles'))
  })

  it(`answers ${REQUESTS} random requests without a 5xx or an off-site redirect`, async () => {
    const seedValue = Math.floor(Math.random() * 2 ** 31)
    const samples = fc.sample(request, { numRuns: REQUESTS, seed: seedValue })
    const failures: string[] = []
    for (let from = 0; from < samples.length; from += CONCURRENCY) {
      const batch = samples.slice(from, from + CONCURRENCY)
      const results = await Promise.all(batch.map(problem))
      results.forEach((result, i) => {
        const sample = batch[i]!
        if (result && failures.length < 20) {
          failures.push(`${result}: ${sample.method} ${JSON.stringify(sample.path + sample.query).slice(0, 200)} ${JSON.stringify(sample.headers).slice(0, 100)}`)
        }
      })
    }
    expect(failures, `fast-check seed ${seedValue}`).toEqual([])
  }, 120_000)

  it.each([
    ['a protocol-relative path with a trailing slash', '//evil.example/'],
    ['a backslash path', '/\\evil.example/'],
    ['an encoded-slash path', '/%2F%2Fevil.example/'],
    ['a feed alias below a protocol-relative path', '//evil.example/feed'],
  ])('never redirects off-site for %s', async (_, target) => {
    const response = await SELF.fetch(new Request(ORIGIN + target, { redirect: 'manual' }))
    expect(response.status).toBeLessThan(500)
    const location = response.headers.get('Location')
    if (location !== null) expect(new URL(location, ORIGIN + '/').origin).toBe(ORIGIN)
  })

  it.each([
    ['a section name past the KV key limit', `/sections/${'字'.repeat(199)}`],
    ['a tag feed whose name grows when folded', `/tags/${'İ'.repeat(199)}/rss.xml`],
    ['an overlong article slug', `/articles/${'ب'.repeat(5_000)}`],
    ['a lone surrogate in a tag', '/tags/%ED%A0%80'],
    ['a malformed percent-encoding in a section', '/sections/%E2%82/atom.xml'],
  ])('answers 404 for %s', async (_, target) => {
    expect((await SELF.fetch(new Request(ORIGIN + target))).status).toBe(404)
  })
})
