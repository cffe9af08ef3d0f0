// The photo route in workerd, /media/<hash>-<width>.<ext>, over miniflare's real R2 (written
// through the publish's own media target) and the real Cache API: every header of GET, HEAD, 304,
// 206, 416 and 404 asserted exactly; a name that is not a variant's is the site's 404 page; R2
// failing is a 503 with Retry-After, never a stack trace; with the edge cache on, a copy is kept a
// second in memory and a year in the Cache API, tagged for the purge that follows a photo's
// deletion, and ranges are cut from it.
import { env } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { cacheTag, SITE_TAG } from '../../src/model/cache-tags'
import { bindingMediaTarget, type R2Writer } from '../../src/publish/targets/media-target'
import { MEMORY_LIMITS } from '../../src/worker/cache/memory'
import { SECURITY_HEADERS } from '../../src/worker/security'
import { fetchWith } from './counting-kv'
import { get, purgeTagged } from './kv'

/** A 16×10 JPEG (269 bytes), the kind of file the publish uploads. */
const JPEG = Uint8Array.from(
  atob(
    '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAKABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCYAOpZ/9k=',
  ),
  (char) => char.charCodeAt(0),
)
const KEY = 'media/0123456789abcdef-960.jpg'
const PATH = `/${KEY}`
const SIZE = String(JPEG.length)

/** The security headers every response carries, lowercased as Headers gives them. */
const SECURITY = Object.fromEntries(
  Object.entries(SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]),
)
let validators: { etag: string; 'last-modified': string }

const headersOf = (response: Response) => Object.fromEntries(response.headers)
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer())
const request = (headers: Record<string, string> = {}, method = 'GET', path = PATH) =>
  fetchWith(get(path, headers, method))

/** The headers of the whole variant (GET and HEAD alike). */
const whole = (cacheStatus = 'Sahifa; fwd=bypass') => ({
  'accept-ranges': 'bytes',
  'cache-control': 'public, max-age=31536000, immutable',
  'cache-status': cacheStatus,
  'content-length': SIZE,
  'content-type': 'image/jpeg',
  ...validators,
  ...SECURITY,
})

beforeAll(async () => {
  // Written as a publish writes it: through the media target over the binding.
  await bindingMediaTarget('test R2', env.MEDIA as unknown as R2Writer).put(KEY, JPEG, 'image/jpeg')
  const object = (await env.MEDIA.head(KEY))!
  validators = { etag: object.httpEtag, 'last-modified': object.uploaded.toUTCString() }
})

describe('/media/<hash>-<width>.<ext>', () => {
  it('answers GET with the file and exactly its headers: type, length, a year immutable, validators, ranges', async () => {
    const response = await request()
    expect(response.status).toBe(200)
    expect(headersOf(response)).toEqual(whole())
    expect(await bytesOf(response)).toEqual(JPEG)
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const response = await request({}, 'HEAD')
    expect(response.status).toBe(200)
    expect(headersOf(response)).toEqual(whole())
    expect(await response.text()).toBe('')
  })

  it.each([['its ETag'], ['*'], ['a weak form of its ETag']])(
    'answers 304 to If-None-Match with %s',
    async (form) => {
      const tag =
        form === '*' ? '*' : form === 'its ETag' ? validators.etag : `W/${validators.etag}`
      // `*` stands alone (RFC 9110 §13.1.2); a tag may come in a list.
      const response = await request({ 'If-None-Match': tag === '*' ? tag : `"other", ${tag}` })
      expect(response.status).toBe(304)
      expect(headersOf(response)).toEqual({
        'cache-control': 'public, max-age=31536000, immutable',
        ...validators,
        ...SECURITY,
      })
      expect(await response.text()).toBe('')
    },
  )

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=260-', 260, 268],
    ['bytes=-5', 264, 268],
    ['bytes=250-9999', 250, 268],
  ])('answers Range: %s with 206 and exactly that part', async (range, start, end) => {
    const response = await request({ Range: range })
    expect(response.status).toBe(206)
    expect(headersOf(response)).toEqual({
      ...whole(),
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${SIZE}`,
    })
    expect(await bytesOf(response)).toEqual(JPEG.slice(start, end + 1))
  })

  it.each(['bytes=269-', 'bytes=1000-2000', 'bytes=-0'])(
    'answers Range: %s with 416 and the size',
    async (range) => {
      const response = await request({ Range: range })
      expect(response.status).toBe(416)
      expect(headersOf(response)).toEqual({
        'accept-ranges': 'bytes',
        'cache-control': 'no-store',
        'content-range': `bytes */${SIZE}`,
        'content-type': 'text/plain; charset=utf-8',
        ...SECURITY,
      })
    },
  )

  it.each([
    ['several ranges', { Range: 'bytes=0-1, 5-6' }],
    ['a malformed range', { Range: 'bytes=9-3' }],
    ['another unit', { Range: 'items=0-1' }],
    ['an If-Range for an older copy', { Range: 'bytes=0-9', 'If-Range': '"old"' }],
    [
      'an If-Range date that is not the file’s',
      { Range: 'bytes=0-9', 'If-Range': 'Wed, 01 Jan 2020 00:00:00 GMT' },
    ],
  ])('answers the whole file (200) to %s', async (_, headers) => {
    const response = await request(headers)
    expect([response.status, response.headers.get('Content-Length')]).toEqual([200, SIZE])
    expect(await bytesOf(response)).toEqual(JPEG)
  })

  it('honours If-Range with the current ETag or date', async () => {
    for (const ifRange of [validators.etag, validators['last-modified']]) {
      const response = await request({ Range: 'bytes=0-9', 'If-Range': ifRange })
      expect(response.status, ifRange).toBe(206)
      await response.body?.cancel()
    }
  })

  it('answers 404 with exactly these headers for a variant that is not in the bucket', async () => {
    const response = await request({}, 'GET', '/media/fedcba9876543210-480.avif')
    expect(response.status).toBe(404)
    expect(headersOf(response)).toEqual({
      'cache-control': 'public, max-age=60, s-maxage=60',
      'content-type': 'text/plain; charset=utf-8',
      ...SECURITY,
    })
  })

  it.each([
    '/media/0123456789abcdef-960.gif',
    '/media/0123456789ABCDEF-960.jpg',
    '/media/0123456789abcdef-0960.jpg',
    '/media/../media/0123456789abcdef-960.jpg.png',
    '/media/0123456789abcdef.jpg',
    '/media/index.html',
  ])('answers %s, which names no variant, with the site’s 404 page', async (path) => {
    const response = await request({}, 'GET', path)
    expect([response.status, response.headers.get('Content-Type')]).toEqual([
      404,
      'text/html; charset=utf-8',
    ])
  })

  it('answers methods other than GET and HEAD with 405', async () => {
    const response = await request({}, 'POST')
    expect([response.status, response.headers.get('Allow')]).toEqual([405, 'GET, HEAD'])
  })

  it('answers 503 with Retry-After, and shows nothing of it, when R2 fails', async () => {
    const failing = new Proxy(env.MEDIA, {
      get: (target, property) =>
        property === 'get' || property === 'head'
          ? () => Promise.reject(new Error('R2 internal error (injected)'))
          : Reflect.get(target, property, target),
    })
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    for (const method of ['GET', 'HEAD']) {
      const response = await fetchWith(get(PATH, {}, method), { MEDIA: failing })
      expect(response.status).toBe(503)
      expect(headersOf(response)).toEqual({
        'cache-control': 'no-store',
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': '30',
        ...SECURITY,
      })
      expect(await response.text()).not.toContain('injected')
    }
    expect(String(log.mock.calls[0])).toContain(KEY)
    log.mockRestore()
  })
})

describe('/media/… with the edge cache on, as deployed', () => {
  const AS_DEPLOYED = { EDGE_CACHE: 'on' }
  const cached = (headers: Record<string, string> = {}) =>
    fetchWith(get(PATH, headers), AS_DEPLOYED)
  // Date only is faked: a second in the isolate's memory passes without waiting.
  beforeAll(() => vi.useFakeTimers({ toFake: ['Date'] }))
  afterAll(() => vi.useRealTimers())
  const afterTheMemoryLayer = () => vi.setSystemTime(Date.now() + MEMORY_LIMITS.ttlMs + 1)

  it('keeps a copy a second in memory and a year in the Cache API, tagged with its bucket key, cuts ranges from it, and lets the purge of that tag remove it', async () => {
    const first = await cached()
    expect(headersOf(first)).toEqual(whole('Sahifa; fwd=miss; stored'))
    await first.body?.cancel()
    const copy = (await caches.default.match(new Request(`http://127.0.0.1:8787${PATH}`)))!
    expect(copy.headers.get('Cache-Tag')).toBe(`${SITE_TAG},${cacheTag(KEY)}`)
    await copy.body?.cancel()

    const remembered = await cached()
    expect(headersOf(remembered)).toEqual(whole('Sahifa; hit; detail=memory'))
    expect(await bytesOf(remembered)).toEqual(JPEG)
    afterTheMemoryLayer()
    const hit = await cached()
    expect(headersOf(hit)).toEqual(whole('Sahifa; hit'))
    expect(await bytesOf(hit)).toEqual(JPEG)
    const part = await cached({ Range: 'bytes=0-3' })
    expect([
      part.status,
      part.headers.get('Content-Range'),
      part.headers.get('Cache-Status'),
    ]).toEqual([206, `bytes 0-3/${SIZE}`, 'Sahifa; hit; detail=memory'])
    expect(await bytesOf(part)).toEqual(JPEG.slice(0, 4))

    expect(await purgeTagged([`http://127.0.0.1:8787${PATH}`], [cacheTag(KEY)])).toEqual([
      `http://127.0.0.1:8787${PATH}`,
    ])
    afterTheMemoryLayer()
    const after = await cached()
    expect(after.headers.get('Cache-Status')).toBe('Sahifa; fwd=miss; stored')
    await after.body?.cancel()
  })
})
