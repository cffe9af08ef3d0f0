// Model (shared with the publisher): an article as it is stored in KV — Markdown already rendered
// to sanitised HTML, id and language resolved — and the tombstone and redirect values. The worker
// validates every value it reads against these schemas (corrupt data is a 503, never a silent
// cast), so they are lean: shapes and formats, no editor transforms (trim, NFC, the publish-time
// rules in article-source.ts), and zod/mini, which keeps zod small in the worker's bundle.
import * as z from 'zod/mini'

const nonEmpty = () => z.string().check(z.minLength(1))
/** Dates the worker computes with (Date.parse): a malformed one must be refused, not rendered. */
const dateTime = () => z.iso.datetime({ offset: true })

export const StoredAuthor = z.strictObject({
  name: nonEmpty(),
  url: z.optional(z.string()),
})

export const StoredImage = z.strictObject({
  /** Absent when the photo file is not available: caption and credit are still shown. */
  url: z.optional(z.string()),
  alt: z.string(),
  caption: z.optional(z.string()),
  credit: z.optional(z.string()),
  width: z.optional(z.number()),
  height: z.optional(z.number()),
})

/**
 * What an article page needs to link another article. Related articles have their own key
 * (relatedKey): they change as other articles do, the article's own value only with its file.
 */
export const RelatedArticle = z.strictObject({
  slug: nonEmpty(),
  title: z.string(),
  language: z.string(),
  publishedAt: dateTime(),
})

/**
 * Unknown fields are dropped rather than refused, so values written by the previous layout (with
 * `related` inside) still read while a deploy and a publish roll the layout forward.
 */
export const StoredArticle = z.object({
  slug: nonEmpty(),
  id: nonEmpty(),
  title: z.string(),
  summary: z.string(),
  html: z.string(),
  publishedAt: dateTime(),
  updatedAt: z.optional(dateTime()),
  language: nonEmpty(),
  section: z.optional(z.string()),
  tags: z._default(z.array(z.string()), []),
  authors: z._default(z.array(StoredAuthor), []),
  image: z.optional(StoredImage),
})

export type StoredArticle = z.output<typeof StoredArticle>
export type Author = z.output<typeof StoredAuthor>
export type Image = z.output<typeof StoredImage>
export type RelatedArticle = z.output<typeof RelatedArticle>

/** The value of a tombstone key: the article was unpublished at `removedAt`. */
export const Gone = z.strictObject({ slug: nonEmpty(), title: z.string(), removedAt: dateTime() })
export type Gone = z.output<typeof Gone>

/**
 * The value of a redirect key: the article's current slug, and when it is published — the old URL
 * leads nowhere before a scheduled article's time.
 */
export const Redirect = z.strictObject({ slug: nonEmpty(), publishedAt: z.optional(dateTime()) })
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
