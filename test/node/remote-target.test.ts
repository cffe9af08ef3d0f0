// The Cloudflare REST target (what --remote writes through), against a fake API: bulk batches
// of at most 10,000 pairs, retries with backoff on transient failures, and no token in messages.
import { describe, expect, it } from 'vitest'
import { remoteTarget } from '../../src/publish/targets/remote-target'
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
