// Photos through the publish pipeline, with real files and miniflare's KV and R2: a JPEG becomes
// variants that decode to the sizes and formats the article names, upright and without EXIF; a
// re-run encodes and uploads nothing; body images become <picture>s; a changed or removed photo's
// old variants leave R2 after the KV writes, in that order; a stopped upload is redone; and every
// kind of bad photo is refused with a clear error and nothing written anywhere.
import { createHash } from 'node:crypto'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { main as publishCli } from '../../src/cli/publish'
import { StoredArticle } from '../../src/model/article'
import { cacheTag } from '../../src/model/cache-tags'
import { LEASE_KEY } from '../../src/model/keys'
import { PHOTO_SIZES } from '../../src/model/picture'
import { planPurgeTags } from '../../src/publish/edge-purge'
import { readManifest } from '../../src/publish/manifest'
import { diskPhotoStore, MEDIA_CACHE_DIR } from '../../src/publish/media-cache'
import { MEDIA_LIMITS } from '../../src/publish/media-source'
import { formatProblem } from '../../src/publish/problems'
import type { KvEntry } from '../../src/publish/desired-state'
import type { KvTarget } from '../../src/publish/targets/kv-target'
import type { MediaTarget } from '../../src/publish/targets/media-target'
import { drawnJpeg } from '../../tools/harness/photos'
import { runInProject } from './support/cli'
import { bombPng, GIF, sidewaysJpeg, truncated } from './support/photo-files'
import { articleFile, publishWith, TempProject, TestKv, wranglerToml } from './support/publishing'

let kv: TestKv
let project: TempProject
/** The photo cache the file's publishes share, as a developer's runs do (empty at the first). */
let cacheDir: string
/** Drawn once for the file: a 1200×750 landscape, and a 1000×600 JPEG stored sideways with EXIF. */
let landscape: Buffer
let sideways: Buffer

beforeAll(async () => {
  kv = await TestKv.create({ media: true })
  cacheDir = await mkdtemp(join(tmpdir(), 'sahifa-photos-'))
  ;[landscape, sideways] = await Promise.all([
    drawnJpeg({ width: 1200, height: 750 }),
    sidewaysJpeg(1000, 600),
  ])
})
afterAll(async () => {
  await kv.dispose()
  await rm(cacheDir, { recursive: true, force: true })
})
beforeEach(async () => {
  await kv.restore({})
  await kv.media().delete(Object.keys(await kv.mediaSnapshot()))
  project = await TempProject.create()
})
afterEach(() => project.dispose())

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16)
const keysOf = (hash: string, widths: number[]) =>
  widths.flatMap((width) =>
    ['avif', 'webp', 'jpg'].map((extension) => `media/${hash}-${width}.${extension}`),
  )

/** A publish of the project's articles; each run opens the photo cache afresh, as a CLI run does. */
async function publishAll(options: Parameters<typeof publishWith>[2] = {}) {
  const result = await publishWith(project, kv.target(), {
    files: [project.articlesDir],
    media: kv.media(),
    photos: diskPhotoStore(cacheDir),
    ...options,
  })
  if (result.status === 'invalid') throw new Error(result.problems.map(formatProblem).join('\n'))
  return result
}

const stored = async (slug: string) =>
  StoredArticle.parse(JSON.parse((await kv.binding.get(`v1:article:${slug}`, 'text'))!))

async function writePhotoArticle() {
  await project.write('media/landscape.jpg', landscape)
  await project.write('media/sideways.jpg', sideways)
  await project.writeArticles([
    articleFile({
      slug: 'with-photo',
      image: { url: 'media/landscape.jpg', alt: 'تلال', caption: 'تعليق', credit: 'صحيفة' },
      body: 'نص.\n\n![صورة في النص](media/sideways.jpg "عنوان")\n\nفقرة.',
    }),
  ])
}

/** KV and media operations in the order a target saw them. */
function recorded(log: string[]): { target: KvTarget; media: MediaTarget } {
  const inner = kv.target()
  const media = kv.media()
  return {
    target: {
      ...inner,
      put: async (entries: readonly KvEntry[]) => {
        log.push(...entries.map((entry) => `kv put ${entry.key}`))
        await inner.put(entries)
      },
      delete: async (keys: readonly string[]) => {
        log.push(...keys.map((key) => `kv delete ${key}`))
        await inner.delete(keys)
      },
    },
    media: {
      ...media,
      put: async (key, bytes, type) => {
        log.push(`r2 put ${key}`)
        await media.put(key, bytes, type)
      },
      delete: async (keys) => {
        log.push(...keys.map((key) => `r2 delete ${key}`))
        await media.delete(keys)
      },
    },
  }
}

describe('a photo beside an article', () => {
  it('becomes AVIF, WebP and JPEG variants that decode to the sizes the article names, upright and without EXIF', async () => {
    await writePhotoArticle()
    // The file's first publish: the shared cache is still empty.
    const result = await publishAll()
    const [lead, inBody] = [hashOf(landscape), hashOf(sideways)]
    expect(result.media.encoded).toBe(2)
    expect(Object.keys(await kv.mediaSnapshot()).sort()).toEqual(
      [...keysOf(lead, [480, 960, 1200]), ...keysOf(inBody, [480, 600])].sort(),
    )
    expect(result.media.uploads.map((upload) => upload.key).sort()).toEqual(
      Object.keys(await kv.mediaSnapshot()).sort(),
    )

    const article = await stored('with-photo')
    expect(article.image).toMatchObject({
      alt: 'تلال',
      caption: 'تعليق',
      credit: 'صحيفة',
      width: 1200,
      height: 750,
    })
    expect(article.image).not.toHaveProperty('url')
    const variants = article.image!.variants!
    expect(
      variants.map((variant) => [variant.path, variant.type, variant.width, variant.height]),
    ).toEqual(
      [480, 960, 1200].flatMap((width) => [
        [`/media/${lead}-${width}.avif`, 'image/avif', width, (width * 750) / 1200],
        [`/media/${lead}-${width}.webp`, 'image/webp', width, (width * 750) / 1200],
        [`/media/${lead}-${width}.jpg`, 'image/jpeg', width, (width * 750) / 1200],
      ]),
    )
    for (const variant of variants) {
      const object = (await kv.bucket.get(variant.path.slice(1)))!
      const bytes = Buffer.from(await object.arrayBuffer())
      const decoded = await sharp(bytes).metadata()
      expect(
        [
          decoded.format,
          decoded.width,
          decoded.height,
          bytes.length,
          object.httpMetadata?.contentType,
        ],
        variant.path,
      ).toEqual([
        variant.type === 'image/avif' ? 'heif' : variant.type.slice('image/'.length),
        variant.width,
        variant.height,
        variant.bytes,
        variant.type,
      ])
    }

    // The sideways photo: EXIF orientation applied (600 wide, 1000 high), then every bit of EXIF — the GPS position among it — gone.
    expect((await sharp(sideways).metadata()).exif?.includes('Sahifa test EXIF')).toBe(true)
    for (const width of [480, 600]) {
      for (const key of keysOf(inBody, [width])) {
        const decoded = await sharp(
          Buffer.from(await (await kv.bucket.get(key))!.arrayBuffer()),
        ).metadata()
        expect([decoded.width, decoded.height], key).toEqual([width, (width * 1000) / 600])
        expect([decoded.exif, decoded.xmp, decoded.iptc, decoded.orientation], key).toEqual([
          undefined,
          undefined,
          undefined,
          undefined,
        ])
      }
    }
    // In the body: a <picture>, absolute URLs (feeds carry the same HTML), lazy, sized for the column.
    const srcset = (extension: string) =>
      [480, 600]
        .map((width) => `https://sahifa.example/media/${inBody}-${width}.${extension} ${width}w`)
        .join(', ')
    expect(article.html).toContain(
      `<picture><source type="image/avif" srcset="${srcset('avif')}" sizes="${PHOTO_SIZES.article}">` +
        `<source type="image/webp" srcset="${srcset('webp')}" sizes="${PHOTO_SIZES.article}">` +
        `<img src="https://sahifa.example/media/${inBody}-600.jpg" srcset="${srcset('jpg')}" sizes="${PHOTO_SIZES.article}" width="600" height="1000" alt="صورة في النص" title="عنوان" loading="lazy" decoding="async"></picture>`,
    )
  })

  it('is neither encoded nor uploaded again by a re-run', async () => {
    await writePhotoArticle()
    await publishAll()
    const before = await kv.mediaSnapshot()
    const again = await publishAll()
    // The run opened the cache afresh and found both photos there: nothing encoded, nothing sent.
    expect([again.media, again.keysWritten]).toEqual([
      { uploads: [], deletes: [], encoded: 0, reused: 2 },
      0,
    ])
    expect(await kv.mediaSnapshot()).toEqual(before)
  })

  it('when replaced, has its new variants uploaded before the KV writes and the old ones deleted after them', async () => {
    await writePhotoArticle()
    await publishAll()
    const old = hashOf(landscape)
    const replacement = await drawnJpeg({ width: 900, height: 600, label: ['جديد'] })
    await project.write('media/landscape.jpg', replacement)
    const log: string[] = []
    const result = await publishAll(recorded(log))
    const fresh = keysOf(hashOf(replacement), [480, 900])
    expect(result.media.uploads.map((upload) => upload.key).sort()).toEqual([...fresh].sort())
    expect(result.media.deletes).toEqual(keysOf(old, [480, 960, 1200]).sort())
    // The KV writes of articles and lists: not the manifest and the lease around them.
    const kvWrites = log.flatMap((line, i) =>
      /^kv .* v1:(?!manifest$|publish-lease$)/.test(line) ? [i] : [],
    )
    const uploads = log.flatMap((line, i) => (line.startsWith('r2 put') ? [i] : []))
    const deletes = log.flatMap((line, i) => (line.startsWith('r2 delete') ? [i] : []))
    expect(Math.max(...uploads)).toBeLessThan(Math.min(...kvWrites))
    expect(Math.min(...deletes)).toBeGreaterThan(Math.max(...kvWrites))
    expect(log.filter((line) => !line.endsWith(LEASE_KEY)).at(-1)).toBe('kv put v1:manifest')
    expect(Object.keys(await kv.mediaSnapshot()).filter((key) => key.includes(old))).toEqual([])
    // The deleted variants are purged from the edge cache with the keys the run changed.
    expect(planPurgeTags(result.plan, result.media.deletes)).toEqual(
      expect.arrayContaining(result.media.deletes.map(cacheTag)),
    )
  })

  it('leaves R2 with its article: an unpublish deletes every variant the article named', async () => {
    await writePhotoArticle()
    await publishAll()
    const result = await publishAll({ files: [], unpublish: ['with-photo'] })
    expect(result.media.deletes).toHaveLength(15)
    expect(await kv.mediaSnapshot()).toEqual({})
    expect((await readManifest(kv.target())).media).toBeUndefined()
  })

  it('is uploaded again after a publish stopped during its uploads', async () => {
    await writePhotoArticle()
    let puts = 0
    const media = kv.media()
    const stopping: MediaTarget = {
      ...media,
      put: async (key, bytes, type) => {
        if (++puts === 4) throw new Error('connection lost (injected)')
        await media.put(key, bytes, type)
      },
    }
    await expect(publishAll({ media: stopping })).rejects.toThrow('connection lost (injected)')
    expect((await readManifest(kv.target())).pending?.media).toHaveLength(15)
    const rerun = await publishAll()
    expect(rerun.media.uploads).toHaveLength(15)
    const manifest = await readManifest(kv.target())
    expect([manifest.pending, manifest.media?.length]).toEqual([undefined, 15])
    expect(Object.keys(await kv.mediaSnapshot())).toHaveLength(15)
  })

  it('is listed, not uploaded, by the CLI’s --dry-run', async () => {
    await writeFile(
      join(project.root, 'wrangler.toml'),
      wranglerToml('media-dry-run', 'media-dry-run'),
    )
    await project.write('media/landscape.jpg', landscape)
    await project.writeArticles([
      articleFile({ slug: 'dry', image: { url: 'media/landscape.jpg', alt: 'تلال' } }),
    ])
    // The project's own photo cache, as an earlier run in it left it (the CLI's node_modules/.cache).
    await cp(cacheDir, join(project.root, MEDIA_CACHE_DIR), { recursive: true })
    const { code, stdout } = await runInProject(publishCli, project.root, ['--dry-run'])
    expect(code).toBe(0)
    const lines = stdout.split('\n').filter((line) => line.startsWith('upload '))
    expect(lines.map((line) => line.split(' ')[1])).toEqual(
      keysOf(hashOf(landscape), [480, 960, 1200]).sort(),
    )
    expect(lines[0]).toMatch(/^upload media\/[0-9a-f]{16}-1200\.avif \(\d+ bytes, MEDIA bucket\)$/)
    expect(stdout).toMatch(
      /Photos: 0 encoded, 1 from the cache; would upload 9 variant\(s\) \([\d.]+ KiB\) and delete 0\./,
    )
    expect(await kv.mediaSnapshot()).toEqual({})
  })
})

describe('a photo the publish refuses', () => {
  it('is reported as file:line:col with what is wrong, and nothing is written to KV or R2', async () => {
    await project.write('media/corrupt.jpg', truncated(landscape))
    await project.write('media/bomb.png', bombPng(30_000, 30_000))
    await project.write('media/anim.gif', GIF)
    await project.write(
      'media/huge.jpg',
      Buffer.concat([landscape, Buffer.alloc(MEDIA_LIMITS.fileBytes * 1.25 - landscape.length)]),
    )
    await writeFile(join(project.root, 'outside.jpg'), landscape)
    // A PNG named .jpg is read as what its bytes say: accepted.
    await project.write('media/really-png.jpg', await sharp(landscape).resize(300).png().toBuffer())
    const photo = (slug: string, url: string) => articleFile({ slug, image: { url, alt: 'صورة' } })
    await project.writeArticles([
      photo('missing', 'media/missing.jpg'),
      photo('root', '/images/photo.jpg'),
      photo('outside', '../outside.jpg'),
      photo('corrupt', 'media/corrupt.jpg'),
      photo('bomb', 'media/bomb.png'),
      photo('gif', 'media/anim.gif'),
      photo('huge', 'media/huge.jpg'),
      photo('misnamed', 'media/really-png.jpg'),
      articleFile({
        slug: 'body',
        body: 'أ ![غائبة](media/gone.jpg) ب ![من الجذر](/images/x.jpg) ج ![خارج](../outside.jpg)',
      }),
    ])
    const result = await publishWith(project, kv.target(), {
      files: [project.articlesDir],
      media: kv.media(),
      photos: diskPhotoStore(cacheDir),
    })
    expect(result.status).toBe('invalid')
    expect(result.problems.map(formatProblem)).toEqual([
      'articles/body.json:6:14: body: image media/gone.jpg names no file: there is no articles/media/gone.jpg',
      'articles/body.json:6:41: body: image "/images/x.jpg" is a path from the site\'s root: name the photo file relative to the article, e.g. media/photo.jpg',
      "articles/body.json:6:70: body: image ../outside.jpg is outside the article's folder: keep photos beside the articles, e.g. media/photo.jpg",
      'articles/bomb.json:14:12: image.url: media/bomb.png is 30000×30000 pixels (900 megapixels): at most 50 megapixels are accepted; scale it down first',
      'articles/corrupt.json:14:12: image.url: media/corrupt.jpg cannot be decoded (damaged or incomplete file?): VipsJpeg: premature end of JPEG image',
      'articles/gif.json:14:12: image.url: media/anim.gif is a GIF image: only JPEG, PNG, WebP and AVIF photos are accepted',
      'articles/huge.json:14:12: image.url: media/huge.jpg is 25.0 MiB: at most 20.0 MiB are accepted; scale it down first',
      'articles/missing.json:14:12: image.url: media/missing.jpg names no file: there is no articles/media/missing.jpg',
      "articles/outside.json:14:12: image.url: ../outside.jpg is outside the article's folder: keep photos beside the articles, e.g. media/photo.jpg",
      'articles/root.json:14:12: image.url: "/images/photo.jpg" is a path from the site\'s root: name the photo file relative to the article, e.g. media/photo.jpg',
    ])
    expect(await kv.snapshot()).toEqual({})
    expect(await kv.mediaSnapshot()).toEqual({})
  })
})
