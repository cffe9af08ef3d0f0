// Step 1 of the data path: the article format. One zod schema is the truth for the publish
// script (source files) and the worker (what it reads back from KV); types are inferred from it.
import * as z from 'zod'

/** Lowercase Unicode letters, marks and digits in `-`-separated runs; Arabic slugs allowed. */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{Nd}]+)*$/u

// Workers KV keys are at most 512 bytes; the longest key built from a slug adds ~12 bytes.
const MAX_SLUG_BYTES = 400
const utf8Length = (text: string) => new TextEncoder().encode(text).length

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Editors' text: trimmed and NFC-normalised, so equal-looking strings compare equal. Unpaired
 * surrogates (only a `\ud800` escape in JSON can make one) are refused: no UTF-8 can carry them,
 * so KV refuses them in keys and `encodeURIComponent` throws on them in links.
 */
const text = () =>
  z
    .string()
    .refine((value) => !UNPAIRED_SURROGATE.test(value), 'must not contain an unpaired surrogate (\\ud800–\\udfff escape)')
    .transform((value) => value.trim().normalize('NFC'))
    .pipe(z.string().min(1, 'must not be empty'))

const httpUrl = () =>
  z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })

/** ISO 8601 date-time with an explicit offset (`Z` or `±hh:mm`). */
const dateTime = () =>
  z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with a time zone offset, e.g. 2024-11-20T08:30:00+03:00',
  })

export const Slug = z
  .string()
  .refine((slug) => slug === slug.normalize('NFC'), 'must be NFC-normalised')
  .refine(
    (slug) => SLUG_PATTERN.test(slug),
    'must be lowercase letters or digits in runs separated by single hyphens (Arabic letters allowed)',
  )
  .refine((slug) => utf8Length(slug) <= MAX_SLUG_BYTES, `must be at most ${MAX_SLUG_BYTES} bytes`)

/** BCP 47 language tag, checked and canonicalised by Intl (e.g. `EN-us` → `en-US`). */
export const LanguageTag = z.string().transform((tag, ctx) => {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag)
    if (canonical) return canonical
  } catch {
    // Intl throws RangeError for a malformed tag; reported below as a schema issue.
  }
  ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag` })
  return z.NEVER
})

export const Author = z.strictObject({
  name: text(),
  url: httpUrl().optional(),
})

export const Image = z.strictObject({
  /** Absent when the photo file is not available: caption and credit are still shown. */
  url: httpUrl().optional(),
  alt: text(),
  caption: text().optional(),
  credit: text().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
})

const Tags = z
  .array(text())
  .transform((tags) => [...new Set(tags)])
  .default([])

const notBefore = (article: { publishedAt: string; updatedAt?: string | undefined }) =>
  article.updatedAt === undefined || Date.parse(article.updatedAt) >= Date.parse(article.publishedAt)

const UPDATED_BEFORE_PUBLISHED = {
  message: 'must not be before publishedAt',
  path: ['updatedAt'],
}

/** What an article page needs to link another article. */
export const RelatedArticle = z.strictObject({
  slug: Slug,
  title: z.string(),
  language: z.string(),
  publishedAt: z.string(),
})

/** Fields an article has both as a source file and as stored in KV. */
const articleFields = {
  slug: Slug,
  title: text(),
  summary: text(),
  publishedAt: dateTime(),
  updatedAt: dateTime().optional(),
  section: text().optional(),
  tags: Tags,
  authors: z.array(Author).default([]),
  image: Image.optional(),
}

/** An article file in `articles/` as an editor writes it (unknown fields are errors). */
export const ArticleSource = z
  .strictObject({
    $schema: z.string().optional(),
    ...articleFields,
    id: text().optional(),
    body: text(),
    language: LanguageTag.optional(),
    draft: z.boolean().optional(),
    /** Former slugs of this article: their URLs answer 301 to the current one. */
    redirectFrom: z.array(Slug).optional(),
  })
  .refine(notBefore, UPDATED_BEFORE_PUBLISHED)

/**
 * An article as published to KV: Markdown already rendered to sanitised HTML, id and language
 * resolved. The worker validates every value it reads against this schema.
 */
export const StoredArticle = z
  .strictObject({
    ...articleFields,
    id: z.string().min(1),
    language: z.string().min(1),
    html: z.string(),
    /** Other articles sharing tags with this one, most related first (computed at publish). */
    related: z.array(RelatedArticle).default([]),
  })
  .refine(notBefore, UPDATED_BEFORE_PUBLISHED)

export type ArticleSource = z.input<typeof ArticleSource>
export type ParsedArticleSource = z.output<typeof ArticleSource>
export type StoredArticle = z.output<typeof StoredArticle>
export type Author = z.output<typeof Author>
export type Image = z.output<typeof Image>
export type RelatedArticle = z.output<typeof RelatedArticle>

/** The value of a tombstone key: the article was unpublished at `removedAt`. */
export const Gone = z.strictObject({ slug: Slug, title: z.string(), removedAt: z.string() })
export type Gone = z.output<typeof Gone>

/** The value of a redirect key: the article's current slug. */
export const Redirect = z.strictObject({ slug: Slug })
export type Redirect = z.output<typeof Redirect>

/** The time an article last changed: what feeds call `updated`. */
export const lastModified = (article: Pick<StoredArticle, 'publishedAt' | 'updatedAt'>) =>
  article.updatedAt ?? article.publishedAt

/** The date in derived ids: the tag authority held the site's host name then (RFC 4151 §2.1). */
const TAG_DATE = '2026'

/**
 * A feed id for an article without an explicit `id`: `tag:<site host>,2026:<slug>` (RFC 4151).
 * It never changes when the title, body or dates are edited; only the site host and slug are in it
 * (an editor renaming a slug keeps the old id by setting `id`).
 */
export function derivedArticleId(siteUrl: string, slug: string): string {
  return `tag:${new URL(siteUrl).hostname},${TAG_DATE}:${encodeURIComponent(slug)}`
}
