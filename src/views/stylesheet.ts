// The site's stylesheet and the content-hashed URL it is served at. The worker only needs the URL
// (for <link rel="stylesheet">); scripts/build-assets.ts writes the same text to
// public/assets/ under that name, where Workers static assets serve it with an immutable cache
// lifetime (public/_headers). Hashing the text both sides read means the two can never disagree,
// and no generated source file is needed for a fresh clone to type-check.
import { STYLES } from './styles'

/**
 * A 53-bit non-cryptographic hash (cyrb53, public domain) as 14 hex digits: a new name whenever
 * the text changes, which is all cache busting needs, computed synchronously at module load.
 */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0)
  return value.toString(16).padStart(14, '0')
}

/** Where pages link the stylesheet; the file name changes with every change of its text. */
export const STYLESHEET_PATH = `/assets/site.${contentHash(STYLES)}.css`
