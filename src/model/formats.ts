// Model (shared with the publisher): the formats of slugs and language tags as plain functions,
// so the editor's schema (article-source.ts) and the worker's reads agree on them without the
// worker loading the editor's schema.

/** Lowercase Unicode letters, marks and digits in `-`-separated runs; Arabic slugs allowed. */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}]+)*$/u

/** Workers KV keys are at most 512 bytes; the longest key built from a slug adds ~12 bytes. */
export const MAX_SLUG_BYTES = 400

export const utf8Length = (text: string) => new TextEncoder().encode(text).length

/** Whether `slug` is one an article can have: NFC, the pattern, and short enough for KV keys. */
export const isSlug = (slug: string) =>
  slug === slug.normalize('NFC') && SLUG_PATTERN.test(slug) && utf8Length(slug) <= MAX_SLUG_BYTES

/** A BCP 47 language tag in its canonical form (`EN-us` → `en-US`), or undefined if malformed. */
export function canonicalLanguageTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    // Intl throws RangeError for a malformed tag.
    return undefined
  }
}
