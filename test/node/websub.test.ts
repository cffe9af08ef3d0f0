// WebSub publishing against a hub on loopback that checks the protocol (WebSub §7: a
// form-encoded POST with hub.mode=publish and hub.url=<topic>), including retries and failures.
import { writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main as publish } from '../../src/cli/publish'
import { changedTopics, pingHubs } from '../../src/publish/websub'
import { parseSiteConfig } from '../../src/model/site'
import { runInProject } from './support/cli'
import { manualClock } from './support/clock'
import { articleFile, TempProject } from './support/publishing'

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
    const clock = manualClock(0)
    const result = await pingHubs([hub.url], ['https://sahifa.example/rss.xml'], { baseDelayMs: 1, clock })
    expect(result.delivered).toBe(1)
    expect(hub.requests).toHaveLength(3)
    // The first delay, then twice it.
    expect(clock.sleeps).toEqual([1, 2])
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

describe('articles:publish --ping', () => {
  /** Runs the publish CLI in a temp project whose hubs are `hubs`; it must exit 0. */
  async function publishIn(project: TempProject, hubs: string[], args: string[]) {
    await writeFile(
      join(project.root, 'wrangler.toml'),
      `name = "sahifa-test"\ncompatibility_date = "2026-04-26"\n\n[[kv_namespaces]]\nbinding = "ARTICLES"\nid = "websub-test"\n\n` +
        `[vars]\nSITE_URL = "https://sahifa.example"\nSITE_TITLE = "صحيفة"\nSITE_DESCRIPTION = "d"\nWEBSUB_HUBS = "${hubs.join(' ')}"\n`,
    )
    // In-process, on a clock whose backoff waits take no time (the unreachable hub's retries).
    const { code, stdout, stderr } = await runInProject(publish, project.root, args)
    expect(code, stderr).toBe(0)
    return { stdout, stderr }
  }

  it('pings every hub for each changed feed after a publish, and for nothing after a no-change re-run', async () => {
    const project = await TempProject.create()
    try {
      const hub = await startHub([])
      await project.writeArticles([articleFile({ slug: 'one', section: 'سياسة', tags: ['العراق'] })])
      const first = await publishIn(project, [hub.url], ['--ping'])
      const topics = hub.requests.map((request) => request.params['hub.url']).sort()
      const base = 'https://sahifa.example'
      const lists = ['', `/sections/${encodeURIComponent('سياسة')}`, `/tags/${encodeURIComponent('العراق')}`]
      expect(topics).toEqual(
        lists.flatMap((list) => ['atom.xml', 'feed.json', 'rss.xml'].map((file) => `${base}${list}/${file}`)).sort(),
      )
      expect(hub.requests.every((request) => request.params['hub.mode'] === 'publish')).toBe(true)
      expect(first.stdout).toContain('WebSub: 9 ping(s) delivered for 9 changed feed(s) to 1 hub(s).')

      await publishIn(project, [hub.url], ['--ping'])
      expect(hub.requests).toHaveLength(9)
    } finally {
      await project.dispose()
    }
  })

  it('reports an unreachable hub as a warning and still exits 0 with the publish done', async () => {
    const project = await TempProject.create()
    try {
      await project.writeArticles([articleFile({ slug: 'two', section: undefined, tags: [] })])
      const { stdout, stderr } = await publishIn(project, ['http://127.0.0.1:9/'], ['--ping', '--json'])
      const report = JSON.parse(stdout)
      expect(report.status).toBe('published')
      expect(report.websub.delivered).toBe(0)
      expect(report.websub.failures.length).toBeGreaterThan(0)
      expect(stderr).not.toContain('warning: WebSub')
    } finally {
      await project.dispose()
    }
  })
})
