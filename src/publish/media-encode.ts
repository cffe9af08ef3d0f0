// Publish step 5 (photos), the encoder: one accepted photo file → its variants, with sharp
// (libvips). The header is read first and a declared size past the pixel limit refused before a
// single pixel is decoded (a decompression bomb is a few hundred bytes claiming gigapixels). Then
// the photo is decoded once — turned upright by its EXIF orientation, converted to sRGB, scaled to
// the widest variant — and every variant is encoded from that: a few widths, never wider than the
// source, each in AVIF, WebP and JPEG. sharp writes no metadata unless asked, so EXIF (GPS
// position, camera serial), XMP and IPTC never leave the editor's machine.
import sharp from 'sharp'
import type { Variant } from '../model/article'
import { MEDIA_EXTENSIONS, MEDIA_TYPES, mediaPath, type MediaExtension } from '../model/media'
import { MEDIA_LIMITS, photoHash, type PhotoFormat, type SourceProblem } from './media-source'

/** Widths made from a wider photo; a narrower one is also kept at its own width, never enlarged. */
const VARIANT_WIDTHS = [480, 960, 1600] as const

/**
 * Encoder settings. AVIF at effort 2 encodes a 1600 px photo about 6× faster than sharp's default
 * effort 4 for files a few per cent larger (measured here; BENCHMARKS.md times a photo).
 */
const ENCODERS: Record<MediaExtension, (image: sharp.Sharp) => sharp.Sharp> = {
  avif: (image) => image.avif({ quality: 50, effort: 2 }),
  webp: (image) => image.webp({ quality: 75 }),
  // JPEG has no alpha: transparent areas become white, as on the page.
  jpg: (image) => image.flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true }),
}

/** A variant with its file. */
export interface EncodedVariant extends Variant {
  data: Buffer
}

export interface EncodedPhoto {
  /** The first MEDIA_HASH_LENGTH hex digits of the source file's SHA-256. */
  hash: string
  /** The upright photo's size (EXIF orientation applied). */
  width: number
  height: number
  variants: EncodedVariant[]
}

/** The widths to make of a photo `width` pixels wide, narrowest first. */
function variantWidths(width: number): number[] {
  const widest = Math.min(width, VARIANT_WIDTHS.at(-1)!)
  return [...new Set([...VARIANT_WIDTHS.filter((each) => each < widest), widest])]
}

const megapixels = (pixels: number) => `${Math.round(pixels / 1e6)} megapixels`

/** What sharp says of a file it cannot decode, without its internal prefixes. */
const decodeProblem = (error: unknown): SourceProblem => ({
  problem: `cannot be decoded (damaged or incomplete file?): ${(error as Error).message.replace(/^Input (buffer|file) has corrupt header: /, '')}`,
})

const decoderOptions = {
  failOn: 'warning',
  limitInputPixels: MEDIA_LIMITS.pixels,
  autoOrient: true,
} as const

/** Every variant of one photo whose bytes passed media-source.ts's checks. */
export async function encodePhoto(
  bytes: Buffer,
  format: PhotoFormat,
): Promise<EncodedPhoto | SourceProblem> {
  let header: sharp.Metadata
  try {
    // The header alone, with no pixel limit: the declared size is what is checked next.
    header = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch (error) {
    return decodeProblem(error)
  }
  const expected = format === 'avif' ? 'heif' : format
  if (header.format !== expected)
    return { problem: `does not decode as ${format} (it reads as ${header.format})` }
  const pixels = header.width * header.height
  if (pixels > MEDIA_LIMITS.pixels) {
    return {
      problem: `is ${header.width}×${header.height} pixels (${megapixels(pixels)}): at most ${megapixels(MEDIA_LIMITS.pixels)} are accepted; scale it down first`,
    }
  }
  const widths = variantWidths(header.autoOrient.width)
  let upright: { data: Buffer; info: sharp.OutputInfo }
  try {
    upright = await sharp(bytes, decoderOptions)
      .resize({ width: widths.at(-1)!, withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
  } catch (error) {
    return decodeProblem(error)
  }
  const raw = {
    width: upright.info.width,
    height: upright.info.height,
    channels: upright.info.channels,
  }
  const hash = photoHash(bytes)
  const variants = await Promise.all(
    widths.flatMap((width) =>
      MEDIA_EXTENSIONS.map(async (extension): Promise<EncodedVariant> => {
        const scaled = sharp(upright.data, { raw }).resize({ width })
        const { data, info } = await ENCODERS[extension](scaled).toBuffer({
          resolveWithObject: true,
        })
        return {
          path: mediaPath(hash, info.width, extension),
          type: MEDIA_TYPES[extension],
          width: info.width,
          height: info.height,
          bytes: data.length,
          data,
        }
      }),
    ),
  )
  return { hash, width: header.autoOrient.width, height: header.autoOrient.height, variants }
}
