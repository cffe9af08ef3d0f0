// Measure 6: photos — what the publish's encoder (src/publish/media-encode.ts) costs per photo,
// cold and from the cache, and a variant for the hot path: written into the MEDIA bucket of the
// bench's state (the R2 files `wrangler dev` serves), the same bytes beside it as a static asset.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import sharp from 'sharp'
import { diskPhotoStore } from '../../src/publish/media-cache'
import { encodePhoto, type EncodedVariant } from '../../src/publish/media-encode'
import { sniffPhotoFormat } from '../../src/publish/media-source'
import { bindingMediaTarget, type R2Writer } from '../../src/publish/targets/media-target'
import { REPO } from '../../tools/harness/repo-config'
import { median } from '../lib/stats'

export interface PhotoTiming {
  name: string
  width: number
  height: number
  bytesIn: number
  variants: number
  bytesOut: number
  /** Encoding every variant of the photo, cold, per round. */
  runsMs: number[]
  medianMs: number
  /** The same photo again through the disk cache (hash, record, stat of each file). */
  cachedMs: number
}

/** A photo each: the sample article's drawing, and 12 MP of noise (as hard as a photo gets). */
async function inputs(): Promise<{ name: string; bytes: Buffer }[]> {
  const noise = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer()
  return [
    {
      name: 'sample drawing (articles/media/sample-mountains.jpg)',
      bytes: readFileSync(join(REPO, 'articles/media/sample-mountains.jpg')),
    },
    { name: '12 MP of Gaussian noise (a worst case)', bytes: noise },
  ]
}

export async function measureEncoding(
  rounds: number,
  log: (line: string) => void,
): Promise<PhotoTiming[]> {
  const timings: PhotoTiming[] = []
  for (const { name, bytes } of await inputs()) {
    const sniffed = sniffPhotoFormat(bytes)
    if ('problem' in sniffed) throw new Error(`${name}: ${sniffed.problem}`)
    const runsMs: number[] = []
    let last: Awaited<ReturnType<typeof encodePhoto>> | undefined
    for (let round = 0; round < rounds; round++) {
      const started = performance.now()
      last = await encodePhoto(bytes, sniffed.format)
      runsMs.push(performance.now() - started)
    }
    if (!last || 'problem' in last) throw new Error(`${name}: ${last?.problem}`)
    const dir = mkdtempSync(join(tmpdir(), 'sahifa-bench-photos-'))
    try {
      await diskPhotoStore(dir).photo(bytes, sniffed.format)
      const started = performance.now()
      await diskPhotoStore(dir).photo(bytes, sniffed.format)
      const cachedMs = performance.now() - started
      const meta = await sharp(bytes).metadata()
      timings.push({
        name,
        width: meta.width,
        height: meta.height,
        bytesIn: bytes.length,
        variants: last.variants.length,
        bytesOut: last.variants.reduce((sum, variant) => sum + variant.bytes, 0),
        runsMs,
        medianMs: median(runsMs),
        cachedMs,
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    log(`photo encoded ${rounds}× : ${name}`)
  }
  return timings
}

/** The sample photo's 960 px AVIF: a variant of the size a desktop article page loads. */
export async function benchVariant(): Promise<EncodedVariant> {
  const bytes = readFileSync(join(REPO, 'articles/media/sample-mountains.jpg'))
  const encoded = await encodePhoto(bytes, 'jpeg')
  if ('problem' in encoded) throw new Error(encoded.problem)
  return encoded.variants.find((variant) => variant.width === 960 && variant.type === 'image/avif')!
}

/** Puts `variant` into the bucket `wrangler dev --persist-to <state>` serves as MEDIA. */
export async function seedMediaBucket(state: string, bucket: string, variant: EncodedVariant) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null) }',
    r2Buckets: { MEDIA: bucket },
    r2Persist: join(state, 'v3', 'r2'),
    cf: false,
  })
  try {
    const target = bindingMediaTarget(
      'bench R2',
      (await mf.getR2Bucket('MEDIA')) as unknown as R2Writer,
    )
    await target.put(variant.path.slice(1), variant.data, variant.type)
  } finally {
    await mf.dispose()
  }
}
