// WebSub publishing against a hub on loopback that checks the protocol (WebSub §7: a
// form-encoded POST with hub.mode=publish and hub.url=<topic>), including retries and failures.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSiteConfig } from '../../src/site'
import { changedTopics, pingHubs } from '../../scripts/websub'

const site = parseSiteConfig({
  SITE_URL: 'https://sahifa.example',
  SITE_TITLE: 'صحيفة',
  SITE_DESCRIPTION: 'd',
})

interface HubRequest {
  method: string
  contentType: string
  params: Record<string, string>
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A hub that records valid publish pings and answers each with the next status in `statuses`. */
async function startHub(statuses: number[]): Promise<{ url: string; requests: HubRequest[] }> {
  const requests: HubRequest[] = []
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => resolve(body))
    })
  const server = createServer(async (request, response) => {
    const body = await read(request)
    requests.push({
      method: request.method!,
      contentType: request.headers['content-type'] ?? '',
      params: Object.fromEntries(new URLSearchParams(body)),
    })
    response.statusCode = statuses.shift() ?? 204
    response.end()
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests }
}

describe('changedTopics', () => {
  it('names every format of every list whose head changed, Arabic names percent-encoded', () => {
    const topics = changedTopics(site, ['v1:article:x', 'v1:head:site', 'v1:head:tag:العراق', 'v1:chunk:0:site'])
    const iraq = encodeURIComponent('العراق')
    expect(topics).toEqual([
      'https://sahifa.example/atom.xml',
      'https://sahifa.example/feed.json',
      'https://sahifa.example/rss.xml',
      `https://sahifa.example/tags/${iraq}/atom.xml`,
      `https://sahifa.example/tags/${iraq}/feed.json`,
      `https://sahifa.example/tags/${iraq}/rss.xml`,
    ])
  })
})

describe('pingHubs', () => {
  it('sends one form-encoded hub.mode=publish per topic to each hub', async () => {
    const first = await startHub([])
    const second = await startHub([])
    const topics = ['https://sahifa.example/rss.xml', 'https://sahifa.example/atom.xml']
    const result = await pingHubs([first.url, second.url], topics, { baseDelayMs: 1 })
    expect(result).toEqual({ delivered: 4, failures: [] })
    for (const hub of [first, second]) {
      expect(hub.requests).toEqual(
        topics.map((topic) => ({
          method: 'POST',
          contentType: 'application/x-www-form-urlencoded',
          params: { 'hub.mode': 'publish', 'hub.url': topic },
        })),
      )
    }
  })

  it('retries with backoff on 5xx and 429, then succeeds', async () => {
    const hub = await startHub([503, 429])
    const result = await pingHubs([hub.url], ['https://sahifa.example/rss.xml'], { baseDelayMs: 1 })
    expect(result.delivered).toBe(1)
    expect(hub.requests).toHaveLength(3)
  })

  it('reports a hub that refuses or cannot be reached, without throwing', async () => {
    const refusing = await startHub([400])
    const result = await pingHubs([refusing.url, 'http://127.0.0.1:9/'], ['https://sahifa.example/rss.xml'], {
      retries: 1,
      baseDelayMs: 1,
    })
    expect(result.delivered).toBe(0)
    expect(result.failures.map((failure) => [failure.hub, failure.reason.startsWith('HTTP') ? failure.reason : 'network'])).toEqual([
      [refusing.url, 'HTTP 400'],
      ['http://127.0.0.1:9/', 'network'],
    ])
    expect(refusing.requests).toHaveLength(1)
  })
})
