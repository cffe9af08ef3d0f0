// Model (shared with the publisher): the names of processed photos. A photo file beside an article
// becomes variants at a few widths in AVIF, WebP and JPEG, each named by its source's content hash,
// its width and its format — `/media/<hash>-<width>.<ext>` on the site, `media/<hash>-<width>.<ext>`
// in the MEDIA bucket (R2). Content-addressed names never change meaning, so the worker may let
// every cache keep them for a year. No Workers types here: the publish script imports it too.

/** Each variant's file extension and the Content-Type it is served with. */
export const MEDIA_TYPES = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
} as const
export type MediaExtension = keyof typeof MEDIA_TYPES
export type MediaType = (typeof MEDIA_TYPES)[MediaExtension]

/** Modern formats first: the order of a <picture>'s sources, whose first match wins. */
export const MEDIA_EXTENSIONS = ['avif', 'webp', 'jpg'] as const satisfies readonly MediaExtension[]

/** Hex digits of the source's SHA-256 in a name: 64 bits, no collision among a site's photos. */
export const MEDIA_HASH_LENGTH = 16

/** Exactly the names the publisher makes; anything else under /media/ is not a photo. */
export const MEDIA_PATH = /^\/media\/([0-9a-f]{16})-([1-9][0-9]{0,4})\.(avif|webp|jpg)$/

/** Where a variant is on the site, e.g. `/media/3f2a…-960.avif`. */
export const mediaPath = (hash: string, width: number, extension: MediaExtension) =>
  `/media/${hash}-${width}.${extension}`

/** The variant's key in the MEDIA bucket: its path without the leading slash. */
export const mediaKey = (path: string) => path.slice(1)

export interface MediaName {
  /** The bucket key, e.g. `media/3f2a…-960.avif`. */
  key: string
  type: MediaType
}

/** The variant a request path names, or null for any other path. */
export function parseMediaPath(path: string): MediaName | null {
  const match = MEDIA_PATH.exec(path)
  if (!match) return null
  return { key: mediaKey(path), type: MEDIA_TYPES[match[3] as MediaExtension] }
}

/** Media paths anywhere in a text (an article's body HTML, with any origin in front). */
const MEDIA_PATHS_IN_TEXT = /\/media\/[0-9a-f]{16}-[1-9][0-9]{0,4}\.(?:avif|webp|jpg)(?![\w.-])/g

/**
 * The bucket keys an article needs: its lead photo's variants and every variant its body shows.
 * While any stored article names a key, the publisher keeps that object in the bucket.
 */
export function mediaKeysOf(article: {
  html: string
  image?: { variants?: readonly { path: string }[] | undefined } | undefined
}): string[] {
  const paths = [
    ...(article.image?.variants ?? []).map((variant) => variant.path),
    ...(article.html.match(MEDIA_PATHS_IN_TEXT) ?? []),
  ]
  return [...new Set(paths.map(mediaKey))]
}
