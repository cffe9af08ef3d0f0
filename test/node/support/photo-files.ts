// Photo files for the publish tests: drawn photos (tools/harness/photos.ts) with EXIF that must not
// survive, and the files a publish must refuse — a decompression bomb, a damaged JPEG, a GIF.
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { drawnJpeg } from '../../../tools/harness/photos'

/**
 * A JPEG stored sideways, as phones save portrait photos: `width`×`height` pixels with EXIF
 * orientation 6 (turn 90° clockwise to show), a copyright and a GPS position in its EXIF.
 */
export async function sidewaysJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(await drawnJpeg({ width, height }))
    .withExif({
      IFD0: { Copyright: 'Sahifa test EXIF' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '31/1 46/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '35/1 13/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer()
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A PNG chunk (ISO/IEC 15948 §5.3): length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A decompression bomb: a valid PNG a few hundred bytes long whose header claims `width`×`height`
 * grey pixels (the first rows of zeros deflated; a decoder would allocate the whole image).
 */
export function bombPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth; colour type 0 (grey), default compression, filter and interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc((width + 1) * 8))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** The first half of a JPEG: a file cut off in transfer. */
export const truncated = (jpeg: Buffer) => jpeg.subarray(0, Math.floor(jpeg.length / 2))

/** A one-frame GIF (GIF89a, 1×1). */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
