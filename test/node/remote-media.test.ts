// `--remote` with photos, against a loopback fake of Cloudflare's API (KV bulk, R2 objects, zone
// purge; test/node/support/fake-cloudflare.ts), through the publish CLI's main: each variant is
// uploaded once with its type and the token, 429 and 5xx are retried, a re-run sends nothing, a
// removed photo's variants are deleted after the KV writes and purged from the edge, and an upload
// that keeps failing stops the run before any KV write names the photo.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main as publishCli } from '../../src/cli/publish'
import { StoredArticle } from '../../src/model/article'
import { cacheTag } from '../../src/model/cache-tags'
import { drawnJpeg } from '../../tools/harness/photos'
import { runInProject } from './support/cli'
import { FakeCloudflare } from './support/fake-cloudflare'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

const BUCKET = 'photos-remote'
let api: FakeCloudflare
let project: TempProject

beforeAll(async () => {
  api = new FakeCloudflare()
  await api.start()
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('namespace-1', BUCKET))
  await project.write('media/hills.jpg', await drawnJpeg({ width: 800, height: 500 }))
})
afterAll(async () => {
  await api.stop()
  await project.dispose()
})
afterEach(() => {
  api.objectAnswers = []
  api.objectCalls.length = 0
  api.purges.length = 0
})

const publishRemote = () =>
  runInProject(publishCli, project.root, ['--remote', '--no-ping', '--json'], {
    CLOUDFLARE_API_BASE_URL: api.base,
    CLOUDFLARE_API_TOKEN: 'token-value',
    CLOUDFLARE_ACCOUNT_ID: 'account-1',
    CLOUDFLARE_ZONE_ID: 'zone-1',
  })

const writeArticle = (image: Record<string, unknown>) =>
  project.writeArticles([articleFile({ slug: 'hills', image: { alt: 'تلال', ...image } })])

const storedVariants = () =>
  StoredArticle.parse(JSON.parse(api.kv.get('v1:article:hills')!)).image?.variants ?? []

describe('a remote publish with a photo', () => {
  it('uploads each variant once with its type and the token, retrying 429 and 5xx, and a re-run sends nothing', async () => {
    await writeArticle({ url: 'media/hills.jpg' })
    api.objectAnswers = [{ status: 429 }, { status: 503 }]
    const first = await publishRemote()
    expect(first.code, first.stderr).toBe(0)
    const variants = storedVariants()
    expect(variants.map((variant) => [variant.width, variant.type])).toEqual(
      [480, 800].flatMap((width) => [
        [width, 'image/avif'],
        [width, 'image/webp'],
        [width, 'image/jpeg'],
      ]),
    )
    expect([...api.objects.keys()].sort()).toEqual(
      variants.map((variant) => `${BUCKET}${variant.path}`).sort(),
    )
    for (const variant of variants) {
      const object = api.objects.get(`${BUCKET}${variant.path}`)!
      expect([object.bytes.length, object.contentType, object.authorization]).toEqual([
        variant.bytes,
        variant.type,
        'Bearer token-value',
      ])
    }
    // Two refused attempts, then one call per variant.
    expect(api.objectCalls).toHaveLength(variants.length + 2)

    api.objectCalls.length = 0
    const again = await publishRemote()
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).media).toEqual({
      uploads: [],
      deletes: [],
      encoded: 0,
      reused: 1,
    })
    expect(api.objectCalls).toEqual([])
  })

  it('deletes the variants of a photo taken off the article after the KV writes, and purges them from the edge', async () => {
    await writeArticle({ url: 'media/hills.jpg' })
    await publishRemote()
    const keys = storedVariants().map((variant) => variant.path.slice(1))
    await writeArticle({ caption: 'بلا صورة' })
    const { code, stdout } = await publishRemote()
    expect(code).toBe(0)
    expect(JSON.parse(stdout).media.deletes).toEqual([...keys].sort())
    expect(api.objectCalls.sort()).toEqual(keys.map((key) => `DELETE ${key}`).sort())
    expect(api.objects.size).toBe(0)
    expect(storedVariants()).toEqual([])
    expect(api.purges.flatMap((call) => call.tags)).toEqual(
      expect.arrayContaining(keys.map(cacheTag)),
    )
  })

  it('stops with exit 3 when an upload keeps failing, before any KV write names the photo, and never shows the token', async () => {
    await project.write(
      'media/other.jpg',
      await drawnJpeg({ width: 500, height: 400, label: ['٢'] }),
    )
    await project.writeArticles([
      articleFile({ slug: 'other', image: { url: 'media/other.jpg', alt: 'صورة' } }),
    ])
    // More failures than the retries of every upload in flight.
    api.objectAnswers = Array.from({ length: 40 }, () => ({ status: 500 }))
    const { code, stdout } = await publishRemote()
    expect(code).toBe(3)
    const report = JSON.parse(stdout) as { status: string; error: string }
    expect(report.status).toBe('failed')
    expect(report.error).toMatch(
      /^publishing to Cloudflare KV namespace namespace-1 failed: R2 API PUT media\/[0-9a-f]{16}-\d+\.\w+: HTTP 500/,
    )
    expect(stdout).not.toContain('token-value')
    expect(api.kv.has('v1:article:other')).toBe(false)
  })
})
