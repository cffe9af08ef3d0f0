// Model (shared with the publisher's tools): the article format as an editor writes it in
// `articles/` — the truth for the publish script's validation, its messages and the generated
// JSON Schema. Editor text is trimmed and NFC-normalised; unknown fields are errors. The stored
// form the worker reads is article.ts.
import * as z from 'zod'
import { canonicalLanguageTag, MAX_SLUG_BYTES, SLUG_PATTERN, utf8Length } from './formats'
import { UNPAIRED_SURROGATE } from './unicode'

export { SLUG_PATTERN }

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
  const canonical = canonicalLanguageTag(tag)
  if (canonical) return canonical
  ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag` })
  return z.NEVER
})

/**
 * How much one article may ask of the site. Every section, tag and author is a list with its own
 * keys (head, chunks, feeds), so these bound what one file can make a publish write: 8,000 tags
 * once meant 16,006 keys and a gigabyte of KV.
 */
export const ARTICLE_LIMITS = {
  tags: 30,
  authors: 10,
  redirectFrom: 20,
  /** Characters in a section, tag or author name (its keys must stay under KV's 512 bytes). */
  nameLength: 100,
} as const

/**
 * A name that becomes a path segment (/sections/<name>, /tags/<name>, /authors/<name>): `.` and
 * `..` would resolve elsewhere (`/tags/..` is the home page), so they are not names.
 */
const listName = () =>
  text()
    .pipe(z.string().max(ARTICLE_LIMITS.nameLength, `must be at most ${ARTICLE_LIMITS.nameLength} characters`))
    .refine((name) => name !== '.' && name !== '..', 'must not be "." or "..": it would be a path, not a name')

export const Author = z.strictObject({
  name: listName(),
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
  .array(listName())
  .max(ARTICLE_LIMITS.tags, `at most ${ARTICLE_LIMITS.tags} tags: each is a list with its own pages and feeds`)
  .transform((tags) => [...new Set(tags)])
  .default([])

const notBefore = (article: { publishedAt: string; updatedAt?: string | undefined }) =>
  article.updatedAt === undefined || Date.parse(article.updatedAt) >= Date.parse(article.publishedAt)

const UPDATED_BEFORE_PUBLISHED = {
  message: 'must not be before publishedAt',
  path: ['updatedAt'],
}

/** An article file in `articles/` as an editor writes it (unknown fields are errors). */
export const ArticleSource = z
  .strictObject({
    $schema: z.string().optional(),
    slug: Slug,
    title: text(),
    summary: text(),
    publishedAt: dateTime(),
    updatedAt: dateTime().optional(),
    section: listName().optional(),
    tags: Tags,
    authors: z.array(Author).max(ARTICLE_LIMITS.authors, `at most ${ARTICLE_LIMITS.authors} authors`).default([]),
    image: Image.optional(),
    id: text().optional(),
    body: text(),
    language: LanguageTag.optional(),
    draft: z.boolean().optional(),
    /** Former slugs of this article: their URLs answer 301 to the current one. */
    redirectFrom: z.array(Slug).max(ARTICLE_LIMITS.redirectFrom, `at most ${ARTICLE_LIMITS.redirectFrom} former slugs`).optional(),
  })
  .refine(notBefore, UPDATED_BEFORE_PUBLISHED)

export type ArticleSource = z.input<typeof ArticleSource>
export type ParsedArticleSource = z.output<typeof ArticleSource>
