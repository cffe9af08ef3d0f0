// Model (shared with the publisher): a processed photo as responsive markup — a <picture> with one
// <source> per modern format and a JPEG <img> fallback, every variant in its srcset with its width
// (HTML §4.8.4.2), so a browser fetches the smallest file that fills the slot `sizes` describes.
// Pages build it in JSX from pictureOf(); feeds, and the publish for photos in article bodies, as a
// string with pictureHtml(). Which single file stands for the photo elsewhere (OpenGraph, enclosures,
// JSON-LD) is decided here too.
import type { Image, Variant } from './article'
import { escapeHtml } from './html'

/** The <img src> for clients that ignore srcset: the widest JPEG up to this width. */
const FALLBACK_WIDTH = 960

/**
 * How wide photos are laid out (src/worker/views/styles.ts), in the form `sizes` takes: the
 * browser picks a variant from these before it has the stylesheet.
 */
export const PHOTO_SIZES = {
  /** The article column: 42rem at most, beside the 19rem aside (and 3rem gap) from 60rem. */
  article:
    '(min-width: 66rem) 42rem, (min-width: 60rem) calc(100vw - 24rem), (min-width: 44rem) 42rem, calc(100vw - 2rem)',
  /** A list's lead story: three fifths of the row from 48rem, the whole row below. */
  lead: '(min-width: 72rem) 41rem, (min-width: 48rem) calc((100vw - 3.5rem) * 0.6), calc(100vw - 2rem)',
  /** A teaser: one of three columns from 63rem, of two from 42rem, the whole row below. */
  teaser:
    '(min-width: 72rem) 22rem, (min-width: 63rem) calc((100vw - 6rem) / 3), (min-width: 42rem) calc((100vw - 4rem) / 2), calc(100vw - 2rem)',
} as const

export interface Picture {
  /** AVIF, then WebP: the first type the browser supports wins. */
  sources: { type: string; srcset: string }[]
  img: { src: string; srcset: string; width: number; height: number }
}

const byWidth = (a: Variant, b: Variant) => a.width - b.width
const srcset = (variants: readonly Variant[], url: (path: string) => string) =>
  variants.map((variant) => `${url(variant.path)} ${variant.width}w`).join(', ')

/** The JPEGs, narrowest first (every processed photo has them; the last format otherwise). */
function fallbacks(variants: readonly Variant[]): Variant[] {
  const jpegs = variants.filter((variant) => variant.type === 'image/jpeg')
  const last = variants.at(-1)!.type
  return (jpegs.length > 0 ? jpegs : variants.filter((variant) => variant.type === last)).sort(
    byWidth,
  )
}

/** The <picture> of a processed photo; `url` makes a variant's path a URL (absolute in feeds). */
export function pictureOf(variants: readonly Variant[], url: (path: string) => string): Picture {
  const jpegs = fallbacks(variants)
  const src = jpegs.filter((variant) => variant.width <= FALLBACK_WIDTH).at(-1) ?? jpegs[0]!
  const modern = ['image/avif', 'image/webp'].flatMap((type) => {
    const ofType = variants.filter((variant) => variant.type === type).sort(byWidth)
    return ofType.length > 0 && type !== jpegs[0]!.type
      ? [{ type, srcset: srcset(ofType, url) }]
      : []
  })
  return {
    sources: modern,
    img: { src: url(src.path), srcset: srcset(jpegs, url), width: src.width, height: src.height },
  }
}

export interface PictureAttributes {
  alt: string
  title?: string | undefined
  sizes: string
  /** Below the fold: the browser fetches it only as it nears the viewport. */
  lazy: boolean
}

/** pictureOf() as HTML, every value escaped. */
export function pictureHtml(picture: Picture, attributes: PictureAttributes): string {
  const sizes = escapeHtml(attributes.sizes)
  const sources = picture.sources
    .map(
      (source) =>
        `<source type="${source.type}" srcset="${escapeHtml(source.srcset)}" sizes="${sizes}">`,
    )
    .join('')
  const { img } = picture
  return (
    `<picture>${sources}<img src="${escapeHtml(img.src)}" srcset="${escapeHtml(img.srcset)}" sizes="${sizes}"` +
    ` width="${img.width}" height="${img.height}" alt="${escapeHtml(attributes.alt)}"` +
    (attributes.title ? ` title="${escapeHtml(attributes.title)}"` : '') +
    `${attributes.lazy ? ' loading="lazy"' : ''} decoding="async"></picture>`
  )
}

/** The one file that stands for a photo where only one can: OpenGraph, enclosures, JSON-LD. */
export interface SinglePhoto {
  url: string
  width?: number | undefined
  height?: number | undefined
  /** Known for processed photos; feeds guess an external photo's from its URL. */
  type?: string | undefined
  /** The file's true size, known for processed photos only. */
  bytes?: number | undefined
}

/**
 * A processed photo's widest JPEG — JPEG because every reader and crawler decodes it, the widest
 * (1600 px at most) because readers show it as the item's hero image and sharing sites want 1200 px
 * and more — or an external photo's URL as the editor gave it. None without a photo.
 */
export function singlePhoto(
  image: Image | undefined,
  url: (path: string) => string,
): SinglePhoto | undefined {
  if (image?.variants) {
    const widest = fallbacks(image.variants).at(-1)!
    return {
      url: url(widest.path),
      width: widest.width,
      height: widest.height,
      type: widest.type,
      bytes: widest.bytes,
    }
  }
  if (image?.url) return { url: image.url, width: image.width, height: image.height }
  return undefined
}
