// Publish step 5 (photos), the source file: a photo path an article names, resolved against the
// article file and kept inside the article's folder; its bytes read within a size limit; its format
// told from those bytes, never from the file name. Only JPEG, PNG, WebP and AVIF get further: the
// decoder (media-encode.ts) never sees an SVG, a TIFF or anything else it could be talked into.
import { createHash } from 'node:crypto'
import { readFile, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { MEDIA_HASH_LENGTH } from '../model/media'

export const MEDIA_LIMITS = {
  /** A camera's full-size JPEG is 5–15 MB; more is a file that needs scaling down first. */
  fileBytes: 20 * 1024 * 1024,
  /** 50 megapixels: a 24-megapixel camera's photo with room. Checked on the header, before decoding. */
  pixels: 50_000_000,
} as const

export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'avif'

/** The name of a photo's variants: the first MEDIA_HASH_LENGTH hex digits of its file's SHA-256. */
export const photoHash = (bytes: Uint8Array) =>
  createHash('sha256').update(bytes).digest('hex').slice(0, MEDIA_HASH_LENGTH)

/** A reason for the editor, in words that finish the sentence "<path> …". */
export interface SourceProblem {
  problem: string
}

const within = (folder: string, path: string) => {
  const inside = relative(folder, path)
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)
}

/**
 * The file a relative photo path names, inside the article's own folder (symbolic links followed):
 * `media/x.jpg` beside `articles/a.json` is `articles/media/x.jpg`; `../x.jpg` is refused.
 * (Until the editor's desk has its shared resolver for paths in articles, this is the one.)
 */
export async function resolvePhotoFile(
  articlePath: string,
  photoPath: string,
  shown: string,
): Promise<{ path: string } | SourceProblem> {
  const folder = dirname(resolve(articlePath))
  const path = resolve(folder, photoPath)
  const outside = {
    problem: `is outside the article's folder: keep photos beside the articles, e.g. media/photo.jpg`,
  }
  if (!within(folder, path)) return outside
  const real = await realpath(path).catch(() => null)
  if (real === null) return { problem: `names no file: there is no ${shown}` }
  if (!within(await realpath(folder), real)) return outside
  return { path: real }
}

/** The file's bytes, or why not (not a file, too large, unreadable). */
export async function readPhotoFile(path: string): Promise<{ bytes: Buffer } | SourceProblem> {
  try {
    const info = await stat(path)
    if (!info.isFile()) return { problem: 'is not a file' }
    if (info.size > MEDIA_LIMITS.fileBytes) {
      const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
      return {
        problem: `is ${mib(info.size)}: at most ${mib(MEDIA_LIMITS.fileBytes)} are accepted; scale it down first`,
      }
    }
    return { bytes: await readFile(path) }
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` }
  }
}

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to))

/** ISO BMFF brands (ISO/IEC 14496-12 §4.3): the major one and the compatible ones of `ftyp`. */
function bmffBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return []
  const size = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0))
  const brands = [ascii(bytes, 8, 12)]
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(bytes, at, at + 4))
  return brands
}

/** Formats people try that are refused, named so the editor knows what they have. */
const OTHER_FORMATS: [string, (bytes: Uint8Array) => boolean][] = [
  ['a GIF image', (bytes) => /^GIF8[79]a/.test(ascii(bytes, 0, 6))],
  [
    'an SVG or other XML file',
    (bytes) => /^\s*(<\?xml|<svg|<!DOCTYPE svg)/i.test(ascii(bytes, 0, 64)),
  ],
  ['a TIFF image', (bytes) => ['II*\0', 'MM\0*'].includes(ascii(bytes, 0, 4))],
  ['a BMP image', (bytes) => ascii(bytes, 0, 2) === 'BM'],
  ['a PDF document', (bytes) => ascii(bytes, 0, 5) === '%PDF-'],
  [
    'a HEIC image (export it as JPEG)',
    (bytes) => bmffBrands(bytes).some((brand) => /^hei[cxsm]|^hev[cx]$/.test(brand)),
  ],
]

/**
 * The format by its signature: JPEG (SOI marker), PNG (its 8-byte signature), WebP (RIFF…WEBP),
 * AVIF (an ISO BMFF `ftyp` box with the `avif` or `avis` brand).
 */
export function sniffPhotoFormat(bytes: Uint8Array): { format: PhotoFormat } | SourceProblem {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { format: 'jpeg' }
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return { format: 'png' }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { format: 'webp' }
  if (bmffBrands(bytes).some((brand) => brand === 'avif' || brand === 'avis'))
    return { format: 'avif' }
  const named = OTHER_FORMATS.find(([, test]) => test(bytes))?.[0]
  return {
    problem: `is ${named ?? 'not an image Sahifa reads'}: only JPEG, PNG, WebP and AVIF photos are accepted`,
  }
}

/** Where a photo's file is shown in problems: beside the article file's name as the editor sees it. */
export const shownPhotoPath = (articleFile: string, photoPath: string) =>
  join(dirname(articleFile), photoPath)
