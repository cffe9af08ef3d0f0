// The edge-cache purge after a publish, against a loopback fake of Cloudflare's API (KV bulk
// endpoints and the zone purge endpoint, over real HTTP): the tags come from the plan that made
// the writes, batches stay within the API's 100 per request, 429s and 5xx are retried (a 429's
// Retry-After honoured), a refused token says which permission it lacks, and a failed purge never
// fails a publish that wrote KV.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main as publishCli } from '../../src/cli/publish'
import { publishAndReport } from '../../src/cli/publish-and-report'
import { purgeTagsFor, SITE_TAG } from '../../src/model/cache-tags'
import { findArticleFiles } from '../../src/publish/article-files'
import { MAX_TAG_REQUESTS, zonePurger, type EdgeCache } from '../../src/publish/edge-purge'
import type { Clock } from '../../src/publish/pool'
import { remoteTarget } from '../../src/publish/targets/remote-target'
import { runInProject } from './support/cli'
import { FakeCloudflare } from './support/fake-cloudflare'
import { articleFile, SITE, TempProject } from './support/publishing'

const CREDENTIALS = { accountId: 'account-1', namespaceId: 'namespace-1', apiToken: 'token-value' }

let api: FakeCloudflare
let project: TempProject
const delays: number[] = []
/** Backoff waits are recorded, not slept. */
const clock: Clock = {
  now: () => 0,
  sleep: async (ms: number) => {
    delays.push(ms)
  },
}

beforeAll(async () => {
  api = new FakeCloudflare()
  await api.start()
  project = await TempProject.create()
})
afterAll(async () => {
  await api.stop()
  await project.dispose()
})
afterEach(() => {
  delays.length = 0
  api.purgeAnswers = []
  api.purges.length = 0
})

describe('zone purger', () => {
  const purger = () => zonePurger({ zoneId: 'zone-1', apiToken: 'token-value' }, { apiBase: api.base, clock, baseDelayMs: 100 })

  it('posts the tags in batches of at most 100, authenticated by the token', async () => {
    const tags = Array.from({ length: 250 }, (_, i) => `k${String(i).padStart(14, '0')}`)
    const report = await purger().purge(tags)
    expect(api.purges.map((call) => call.tags.length)).toEqual([100, 100, 50])
    expect(api.purges.flatMap((call) => call.tags)).toEqual(tags)
    expect(api.purges[0]!.authorization).toBe('Bearer token-value')
    expect(report).toEqual({ target: 'Cloudflare zone zone-1', tags: 250, requests: 3, everything: false, failures: [] })
  })

  it('purges the site tag in one request when a publish changed more than it may name', async () => {
    const tags = Array.from({ length: 100 * MAX_TAG_REQUESTS + 1 }, (_, i) => `k${i}`)
    const report = await purger().purge(tags)
    expect(api.purges.map((call) => call.tags)).toEqual([[SITE_TAG]])
    expect(report.everything).toBe(true)
  })

  it('retries 429 (after its Retry-After) and 5xx with backoff, then succeeds', async () => {
    api.purgeAnswers = [{ status: 429, headers: { 'Retry-After': '3' } }, { status: 503 }, { status: 502 }]
    const report = await purger().purge(['k1'])
    expect(report.failures).toEqual([])
    expect(report.requests).toBe(4)
    expect(delays).toEqual([3_000, 200, 400])
  })

  it('does not retry a refused token, and says which permission it needs', async () => {
    api.purgeAnswers = [{ status: 403, body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }] } }]
    const report = await purger().purge(['k1'])
    expect(api.purges).toHaveLength(1)
    expect(report.failures).toEqual([
      'HTTP 403: Authentication error — the API token needs the "Zone → Cache Purge → Purge" permission for zone zone-1',
    ])
  })

  it('gives up after its retries and reports why', async () => {
    api.purgeAnswers = Array.from({ length: 6 }, () => ({ status: 500 }))
    const report = await purger().purge(['k1'])
    expect(report.requests).toBe(6)
    expect(report.failures).toEqual(['HTTP 500'])
  })
})

describe('a remote publish', () => {
  const target = () => remoteTarget(CREDENTIALS, { apiBase: api.base, baseDelayMs: 1, clock })
  const edgeCache = () => zonePurger({ zoneId: 'zone-1', apiToken: 'token-value' }, { apiBase: api.base, clock, baseDelayMs: 1 })

  async function publishOnce(json: boolean, options: { dryRun?: boolean; edgeCache?: EdgeCache } = {}) {
    const output = { stdout: '', stderr: '' }
    const code = await publishAndReport(
      {
        target: target(),
        site: SITE,
        files: await findArticleFiles([project.articlesDir]),
        json,
        dryRun: options.dryRun ?? false,
        edgeCache: options.edgeCache ?? edgeCache(),
      },
      {
        stdout: { write: (text) => (output.stdout += text) },
        stderr: { write: (text) => (output.stderr += text) },
        env: process.env,
        clock,
      },
    )
    return { code, ...output }
  }

  it('purges exactly the tags of the keys its plan wrote or deleted, after writing them', async () => {
    await project.writeArticles([articleFile({ slug: 'first' }), articleFile({ slug: 'second' })])
    const { code, stdout } = await publishOnce(true)
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as { writes: string[]; deletes: string[]; edgeCache: unknown }
    const expected = purgeTagsFor([...report.writes, ...report.deletes])
    expect(api.purges.flatMap((call) => call.tags)).toEqual(expected)
    expect(report.edgeCache).toEqual({
      status: 'purged',
      report: { target: 'Cloudflare zone zone-1', tags: expected.length, requests: 1, everything: false, failures: [] },
    })
    // Every key the purge names was written before it was sent.
    for (const key of report.writes) expect(api.kv.has(key), key).toBe(true)

    api.purges.length = 0
    const again = await publishOnce(false)
    expect(again.code).toBe(0)
    expect(api.purges).toEqual([])
  })

  it('stays published and exits 0 when the purge fails, with a warning that says so', async () => {
    await project.write('third.json', articleFile({ slug: 'third' }))
    api.purgeAnswers = Array.from({ length: 6 }, () => ({ status: 500 }))
    const { code, stdout, stderr } = await publishOnce(false)
    expect(code).toBe(0)
    expect(stdout).toContain('1 added')
    expect(stderr).toContain('warning: purging Cloudflare zone zone-1 failed: HTTP 500;')
    expect(api.kv.has('v1:article:third')).toBe(true)
  })

  it('says what a dry run would purge, and why nothing is purged without a zone', async () => {
    await project.write('fifth.json', articleFile({ slug: 'fifth' }))
    const dry = await publishOnce(false, { dryRun: true })
    expect(dry.stdout).toMatch(/Edge cache: would purge \d+ tag\(s\)\./)
    expect(api.purges).toEqual([])
    const unpurged = await publishOnce(false, { edgeCache: { skipped: 'CLOUDFLARE_ZONE_ID is not set' } })
    expect(unpurged.stdout).toContain(
      'Edge cache: not purged (CLOUDFLARE_ZONE_ID is not set); cached copies show the change within 60 s.',
    )
    expect(api.purges).toEqual([])
  })

  it('is wired from the environment: CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_BASE_URL', async () => {
    await project.write('fourth.json', articleFile({ slug: 'fourth' }))
    await project.write('../wrangler.toml', `name = "t"\ncompatibility_date = "2026-04-26"\n[[kv_namespaces]]\nbinding = "ARTICLES"\nid = "namespace-1"\n[vars]\nSITE_URL = "https://sahifa.example"\nSITE_TITLE = "صحيفة"\nSITE_DESCRIPTION = "صحيفة إخبارية"\n`)
    const { stdout } = await runInProject(publishCli, project.root, ['--remote', '--no-ping'], {
      CLOUDFLARE_API_BASE_URL: api.base,
      CLOUDFLARE_API_TOKEN: 'token-value',
      CLOUDFLARE_ACCOUNT_ID: 'account-1',
      CLOUDFLARE_ZONE_ID: 'zone-1',
    })
    expect(stdout).toMatch(/Edge cache: purged \d+ tag\(s\) of Cloudflare zone zone-1 in 1 request\(s\)\./)
    expect(api.purges).toHaveLength(1)
  })
})
