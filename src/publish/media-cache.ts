// Publish step 5 (photos), in front of the encoder: every photo's variants kept by the content hash
// of its file, so a photo is encoded once and never again while neither it nor the encoder changes
// (the load cache's idea, for photos). The CLIs keep them in node_modules/.cache/sahifa/media/ —
// a JSON record per photo beside its variant files; deleting the folder is always safe. Without a
// folder (tests, the harness) they are kept in memory for one run.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import * as z from 'zod/mini'
import { StoredVariant, type Variant } from '../model/article'
import { mediaKey } from '../model/media'
import type { EncodedPhoto } from './media-encode'
import { photoHash, type PhotoFormat, type SourceProblem } from './media-source'

/** Beside the load cache (node_modules/.cache is ignored by git). */
export const MEDIA_CACHE_DIR = 'node_modules/.cache/sahifa/media'

const require = createRequire(import.meta.url)
/** The encoder's own source and libraries: a change to either re-encodes every photo. */
const VERSION = createHash('sha256')
  .update(readFileSync(new URL('./media-encode.ts', import.meta.url)))
  .update(`sharp@${require('sharp/package.json').version}`)
  .digest('hex')

/** The encoder, loaded on the first photo to encode: a run whose photos are all kept never loads libvips. */
const encodePhoto = async (bytes: Buffer, format: PhotoFormat) =>
  (await import('./media-encode')).encodePhoto(bytes, format)

/** A photo as the stored article describes it: its upright size and its variants. */
export interface ProcessedPhoto {
  hash: string
  width: number
  height: number
  variants: Variant[]
}

const Cached = z.strictObject({
  version: z.string(),
  hash: z.string(),
  width: z.number(),
  height: z.number(),
  variants: z.array(StoredVariant),
})

export interface PhotoStore {
  /** The photo's variants: kept ones, or encoded now (then kept). */
  photo(bytes: Buffer, format: PhotoFormat): Promise<ProcessedPhoto | SourceProblem>
  /** A variant file's bytes, by its bucket key (for the upload). */
  read(key: string): Promise<Uint8Array>
  /** Photos encoded in this run, and photos whose variants were already kept. */
  readonly counts: { encoded: number; reused: number }
}

const withoutData = (photo: EncodedPhoto): ProcessedPhoto => ({
  ...photo,
  variants: photo.variants.map(({ data: _data, ...variant }) => variant),
})

/** Where a store keeps what it encoded: memory or a folder. */
interface Shelf {
  get(hash: string): Promise<ProcessedPhoto | undefined>
  /** Keeps an encoded photo's files and record; resolves to the record. */
  put(photo: EncodedPhoto): Promise<ProcessedPhoto>
  read(key: string): Promise<Uint8Array>
}

function storeOn(shelf: Shelf): PhotoStore {
  const counts = { encoded: 0, reused: 0 }
  return {
    counts,
    async photo(bytes, format) {
      const kept = await shelf.get(photoHash(bytes))
      if (kept) {
        counts.reused++
        return kept
      }
      const encoded = await encodePhoto(bytes, format)
      if ('problem' in encoded) return encoded
      counts.encoded++
      return shelf.put(encoded)
    },
    read: (key) => shelf.read(key),
  }
}

/** Variants in memory, for one run. */
export function memoryPhotoStore(): PhotoStore {
  const photos = new Map<string, ProcessedPhoto>()
  const files = new Map<string, Buffer>()
  return storeOn({
    get: async (hash) => photos.get(hash),
    async put(encoded) {
      for (const variant of encoded.variants) files.set(mediaKey(variant.path), variant.data)
      const photo = withoutData(encoded)
      photos.set(photo.hash, photo)
      return photo
    },
    async read(key) {
      const data = files.get(key)
      if (!data) throw new Error(`${key} was not encoded in this run`)
      return data
    },
  })
}

/** Variants on disk in `dir`, across runs. */
export function diskPhotoStore(dir: string = MEDIA_CACHE_DIR): PhotoStore {
  const fileOf = (key: string) => join(dir, key.slice('media/'.length))
  const recordOf = (hash: string) => join(dir, `${hash}.json`)
  return storeOn({
    /** The kept record, if it was made by this encoder and every variant file is still there. */
    async get(hash) {
      const raw = await readFile(recordOf(hash), 'utf8').catch(() => null)
      const parsed = raw === null ? undefined : Cached.safeParse(JSON.parse(raw))
      if (!parsed?.success || parsed.data.version !== VERSION) return undefined
      const present = await Promise.all(
        parsed.data.variants.map((variant) =>
          stat(fileOf(mediaKey(variant.path))).then(
            () => true,
            () => false,
          ),
        ),
      )
      const { version: _version, ...photo } = parsed.data
      return present.every(Boolean) ? photo : undefined
    },
    async put(encoded) {
      await mkdir(dir, { recursive: true })
      await Promise.all(
        encoded.variants.map((variant) => writeFile(fileOf(mediaKey(variant.path)), variant.data)),
      )
      // The record last: a run stopped before it leaves files that the next run simply rewrites.
      const photo = withoutData(encoded)
      await writeFile(`${recordOf(photo.hash)}.tmp`, JSON.stringify({ version: VERSION, ...photo }))
      await rename(`${recordOf(photo.hash)}.tmp`, recordOf(photo.hash))
      return photo
    },
    read: (key) => readFile(fileOf(key)),
  })
}
