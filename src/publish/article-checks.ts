// Publish step 5: checks beyond the schema — what one prepared article may hold (alt text, what the
// sanitiser removed, its keys' and value's sizes) and what files may not share. Pure.
import type { StoredArticle } from '../model/article'
import { articleKey, listChunkKey, type ListRef } from '../model/keys'
import { sizeProblem, utf8Bytes } from './kv-limits'
import type { Locate } from './parse-article'
import type { Problem } from './problems'
import type { RenderedBody } from './render-markdown'
import { normalizedId } from './renames'

/** The longest key a list name produces (a chunk number of six digits is ~300,000 articles). */
const longestListKey = (list: ListRef) => listChunkKey(list, 999_999)

/** How far ahead of the publisher's clock an edit time may be: clocks disagree by a little. */
export const CLOCK_SKEW_MS = 5 * 60_000
/** A publication date this far ahead is more likely a typo in the year than an embargo. */
export const FAR_FUTURE_MS = 366 * 24 * 3_600_000

/**
 * Dates against the publish time `now`: `updatedAt` may not lie in the future (beyond its own
 * publication, for a scheduled article) — it becomes Last-Modified, and a Last-Modified in 2099
 * answers 304 to every If-Modified-Since until then (RFC 9110 §8.8.2: never later than now); a
 * `publishedAt` more than a year ahead is a warning.
 */
export function dateProblems(article: StoredArticle, now: number, file: string, locate: Locate): Problem[] {
  const problems: Problem[] = []
  const published = Date.parse(article.publishedAt)
  if (article.updatedAt && Date.parse(article.updatedAt) > Math.max(now, published) + CLOCK_SKEW_MS) {
    problems.push({
      file,
      path: 'updatedAt',
      severity: 'error',
      message: `${article.updatedAt} is in the future: an article can only have been updated by now (or by its own publication time, when scheduled)`,
      ...locate(['updatedAt']),
    })
  }
  if (published > now + FAR_FUTURE_MS) {
    problems.push({
      file,
      path: 'publishedAt',
      severity: 'warning',
      message: `${article.publishedAt} is more than a year ahead: the article stays invisible until then (a typo in the year?)`,
      ...locate(['publishedAt']),
    })
  }
  return problems
}

/** Checks on one prepared article: body images, what the sanitiser removed, KV sizes. */
export function checkArticleContent(
  article: StoredArticle,
  rendered: RenderedBody,
  file: string,
  locate: Locate,
): Problem[] {
  const problems: Problem[] = []
  const at = (path: (string | number)[], pathText = path.join('.')) => ({
    file,
    path: pathText,
    ...locate(path),
  })
  // Each finding on the line the editor wrote it (the body's start when it could not be placed).
  const inBody = (offset: number | undefined) => ({
    ...at(offset === undefined ? ['body'] : ['body', offset], 'body'),
  })
  for (const { what: src, offset } of rendered.imagesWithoutAlt) {
    problems.push({
      ...inBody(offset),
      severity: 'error',
      message: `image ${src || '(no src)'} has no alt text: describe it, e.g. ![what the photo shows](${src})`,
    })
  }
  for (const { what, offset } of rendered.removed) {
    problems.push({
      ...inBody(offset),
      severity: 'warning',
      message: `the sanitiser removed ${what}`,
    })
  }
  if (article.section) {
    problems.push(
      ...sizeProblem(
        'key',
        utf8Bytes(longestListKey({ kind: 'section', name: article.section })),
        at(['section']),
      ),
    )
  }
  article.tags.forEach((tag, i) => {
    problems.push(
      ...sizeProblem('key', utf8Bytes(longestListKey({ kind: 'tag', name: tag })), {
        ...at(['tags', i], `tags[${i}]`),
      }),
    )
  })
  article.authors.forEach((author, i) => {
    problems.push(
      ...sizeProblem('key', utf8Bytes(longestListKey({ kind: 'author', name: author.name })), {
        ...at(['authors', i, 'name'], `authors[${i}].name`),
      }),
    )
  })
  problems.push(...sizeProblem('key', utf8Bytes(articleKey(article.slug)), at(['slug'])))
  problems.push(...sizeProblem('value', utf8Bytes(JSON.stringify(article)), { file }))
  return problems
}

interface FileArticle {
  file: string
  article: StoredArticle
  redirectFrom: readonly string[]
  locate: Locate
}

/** Rules across files: unique slugs and ids; a former slug is no live slug and belongs to one article. */
export function crossFileProblems(
  articles: readonly FileArticle[],
  drafts: readonly { file: string; slug: string }[],
): Problem[] {
  const problems: Problem[] = []
  const slugFiles = new Map<string, string>()
  const duplicateSlugFiles = new Set<string>()
  const located = new Map(articles.map((entry) => [entry.file, entry.locate]))
  for (const { file, slug } of [
    ...articles.map((a) => ({ file: a.file, slug: a.article.slug })),
    ...drafts,
  ].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const other = slugFiles.get(slug)
    if (other) {
      duplicateSlugFiles.add(file)
      problems.push({
        file,
        severity: 'error',
        path: 'slug',
        message: `"${slug}" is also the slug of ${other}`,
        ...located.get(file)?.(['slug']),
      })
    } else {
      slugFiles.set(slug, file)
    }
  }

  const idFiles = new Map<string, string>()
  const redirectFiles = new Map<string, string>()
  for (const { file, article, redirectFrom, locate } of articles) {
    // A duplicate slug already explains a duplicate derived id.
    // Ids that differ only in percent-encoding are one id to an editor (renames.ts).
    const id = normalizedId(article.id)
    const sameId = duplicateSlugFiles.has(file) ? undefined : idFiles.get(id)
    if (sameId) {
      problems.push({
        file,
        severity: 'error',
        path: 'id',
        message: `"${article.id}" is also the id of ${sameId}`,
        ...locate(['id']),
      })
    } else if (!idFiles.has(id)) {
      idFiles.set(id, file)
    }
    redirectFrom.forEach((old, i) => {
      const where = {
        file,
        severity: 'error' as const,
        path: `redirectFrom[${i}]`,
        ...locate(['redirectFrom', i]),
      }
      const liveFile = slugFiles.get(old)
      const otherRedirect = redirectFiles.get(old)
      if (old === article.slug) {
        problems.push({ ...where, message: `"${old}" is this article's own slug` })
      } else if (liveFile) {
        problems.push({
          ...where,
          message: `"${old}" is the slug of ${liveFile}: a live article's URL cannot redirect`,
        })
      } else if (otherRedirect === file) {
        problems.push({ ...where, message: `"${old}" is listed twice` })
      } else if (otherRedirect) {
        problems.push({ ...where, message: `"${old}" is also in redirectFrom of ${otherRedirect}` })
      } else {
        redirectFiles.set(old, file)
      }
    })
  }
  return problems
}
