// The Cloudflare REST target (what --remote writes through), against a fake API: bulk batches
// of at most 10,000 pairs, retries with backoff on transient failures, and no token in messages.
import { describe, expect, it } from 'vitest'
import { API_REQUESTS_PER_WINDOW, API_WINDOW_MS, remoteTarget } from '../../src/publish/targets/remote-target'
import { manualClock } from './support/clock'

const CREDENTIALS = {
  accountId: 'account',
  apiToken: 'secret-token-value',
  namespaceId: 'namespace',
}

interface Call {
  method: string
  url: string
  body: unknown
  authorization: string | null
}

/** A fake API answering each call with the next response from `answers` (then 200 `{}`). */
function fakeApi(answers: (() => Response)[] = []) {
  const calls: Call[] = []
  const clock = manualClock(0)
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({
      method: init.method!,
      url,
      body: init.body ? JSON.parse(init.body as string) : undefined,
      authorization: new Headers(init.headers).get('Authorization'),
    })
    return answers.shift()?.() ?? Response.json({ success: true, result: {} })
  }) as unknown as typeof globalThis.fetch
  return { calls, clock, target: remoteTarget(CREDENTIALS, { fetch, baseDelayMs: 1, clock }) }
}

describe('remote KV target', () => {
  it('writes in bulk batches of at most 10,000 pairs, authenticated by the token', async () => {
    const { calls, target } = fakeApi()
    await target.put(Array.from({ length: 25_000 }, (_, i) => ({ key: `k${i}`, value: 'v' })))
    expect(calls.map((call) => [call.method, (call.body as unknown[]).length])).toEqual([
      ['PUT', 10_000],
      ['PUT', 10_000],
      ['PUT', 5_000],
    ])
    expect(calls[0]!.url).toBe(
      'https://api.cloudflare.com/client/v4/accounts/account/storage/kv/namespaces/namespace/bulk',
    )
    expect(calls[0]!.authorization).toBe('Bearer secret-token-value')
  })

  it('deletes in bulk', async () => {
    const { calls, target } = fakeApi()
    await target.delete(['a', 'b'])
    expect(
      calls.map((call) => [call.method, call.url.split('/').slice(-2).join('/'), call.body]),
    ).toEqual([['POST', 'bulk/delete', ['a', 'b']]])
  })

  it('retries 429, 5xx, network errors and partly failed bulk writes, then succeeds', async () => {
    const { calls, clock, target } = fakeApi([
      () => new Response('slow down', { status: 429 }),
      () => new Response('oops', { status: 503 }),
      () => {
        throw new TypeError('fetch failed')
      },
      () =>
        Response.json({
          success: true,
          result: { successful_key_count: 0, unsuccessful_keys: ['a'] },
        }),
    ])
    await target.put([{ key: 'a', value: '1' }])
    expect(calls).toHaveLength(5)
    // Backoff: the first delay, doubled for each retry.
    expect(clock.sleeps).toEqual([1, 2, 4, 8])
  })

  it('gives up after its retries with a message that names the call but never the token', async () => {
    const { target } = fakeApi(
      Array.from({ length: 10 }, () => () => new Response('down', { status: 500 })),
    )
    const failure = await target.put([{ key: 'a', value: '1' }]).catch((error: Error) => error)
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toBe('Cloudflare API PUT /bulk: HTTP 500 down')
    expect((failure as Error).message).not.toContain('secret-token-value')
  })

  it('does not retry a client error, and reads a missing key as null', async () => {
    const forbidden = fakeApi([() => new Response('forbidden', { status: 403 })])
    await expect(forbidden.target.put([{ key: 'a', value: '1' }])).rejects.toThrow(
      'HTTP 403 forbidden',
    )
    expect(forbidden.calls).toHaveLength(1)
    const missing = fakeApi([() => new Response('not found', { status: 404 })])
    expect(await missing.target.get('v1:manifest')).toBeNull()
    expect(missing.calls[0]!.url).toMatch(/\/values\/v1%3Amanifest$/)
  })
})

describe('remote KV target at archive scale', () => {
  /** A fake API that keeps what it is given and answers bulk reads from it, timing each call. */
  function storingApi(requestsPerWindow?: number) {
    const stored = new Map<string, string>()
    const calls: { method: string; path: string; at: number; keys: number }[] = []
    const clock = manualClock(0)
    const fetch = (async (url: string, init: RequestInit) => {
      const path = url.replace(/^.*\/namespaces\/namespace/, '')
      const body = init.body ? (JSON.parse(init.body as string) as unknown) : undefined
      if (path === '/bulk' && init.method === 'PUT') {
        for (const { key, value } of body as { key: string; value: string }[]) stored.set(key, value)
        calls.push({ method: 'PUT', path, at: clock.now(), keys: (body as unknown[]).length })
        return Response.json({ success: true, result: { successful_key_count: (body as unknown[]).length, unsuccessful_keys: [] } })
      }
      if (path === '/bulk/get') {
        const { keys } = body as { keys: string[] }
        calls.push({ method: 'POST', path, at: clock.now(), keys: keys.length })
        return Response.json({ success: true, result: { values: Object.fromEntries(keys.map((key) => [key, stored.get(key) ?? null])) } })
      }
      calls.push({ method: init.method!, path, at: clock.now(), keys: 1 })
      return Response.json({ success: true, result: {} })
    }) as unknown as typeof globalThis.fetch
    return { stored, calls, clock, target: remoteTarget(CREDENTIALS, { fetch, baseDelayMs: 1, clock, requestsPerWindow }) }
  }

  it('reads many keys in bulk reads of at most 100, absent keys as null', async () => {
    const { calls, target } = storingApi()
    await target.put([{ key: 'k1', value: 'one' }])
    const values = await target.getMany!(Array.from({ length: 250 }, (_, i) => `k${i}`))
    expect(calls.filter((call) => call.path === '/bulk/get').map((call) => call.keys)).toEqual([100, 100, 50])
    expect([values.get('k1'), values.get('k2'), values.size]).toEqual(['one', null, 250])
  })

  it('publishes 110,000 keys and reads 100,000 back within the API limits: bulk sizes and requests per five minutes', async () => {
    const { calls, target } = storingApi()
    const entries = Array.from({ length: 110_000 }, (_, i) => ({ key: `v1:article:a-${i}`, value: 'x'.repeat(20) }))
    await target.put(entries)
    await target.getMany!(entries.slice(0, 100_000).map((entry) => entry.key))
    expect(calls.filter((call) => call.method === 'PUT').every((call) => call.keys <= 10_000)).toBe(true)
    expect(target.requests!()).toBe(11 + 1_000)
    // Never more than the budget in any five minutes.
    const times = calls.map((call) => call.at)
    for (let i = API_REQUESTS_PER_WINDOW; i < times.length; i++) {
      expect(times[i]! - times[i - API_REQUESTS_PER_WINDOW]!).toBeGreaterThanOrEqual(API_WINDOW_MS)
    }
  })

  it('waits, rather than meet 429s, once a window’s requests are spent', async () => {
    const { calls, clock, target } = storingApi(4)
    for (let i = 0; i < 6; i++) await target.get(`k${i}`)
    expect(calls.map((call) => call.at)).toEqual([0, 0, 0, 0, API_WINDOW_MS, API_WINDOW_MS])
    expect(clock.now()).toBe(API_WINDOW_MS)
  })
})
