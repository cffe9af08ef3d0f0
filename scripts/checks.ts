// Publish step: checks beyond the schema — what one article's content may hold, what files may
// not share, and Workers KV's size limits. Pure: problems in, problems out.
import type { StoredArticle } from '../src/model/article'
import { articleKey, listChunkKey, type ListRef } from '../src/model/keys'
import type { KvEntry } from './entries'
import type { RenderedBody } from './markdown'
import type { Problem } from './problems'

type Locate = (path: readonly (string | number)[]) => { line?: number; column?: number }

/** Workers KV limits (developers.cloudflare.com/kv/platform/limits). Sahifa writes no metadata. */
export const KV_LIMITS = { keyBytes: 512, valueBytes: 25 * 1024 * 1024 } as const
/** Warn this far towards a limit, while there is still room to split an article or a list. */
export const WARNING_RATIO = 0.8

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8')

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} bytes`
}

/** An error past a KV limit, a warning past WARNING_RATIO of it, or nothing. */
function sizeProblem(
  what: 'key' | 'value',
  bytes: number,
  where: Omit<Problem, 'severity' | 'message'>,
): Problem[] {
  const limit = what === 'key' ? KV_LIMITS.keyBytes : KV_LIMITS.valueBytes
  const limitText = describeBytes(limit)
  if (bytes > limit) {
    return [
      {
        ...where,
        severity: 'error',
        message: `the KV ${what} would be ${describeBytes(bytes)}; Workers KV allows ${limitText}`,
      },
    ]
  }
  if (bytes > limit * WARNING_RATIO) {
    const percent = Math.round((bytes / limit) * 100)
    return [
      {
        ...where,
        severity: 'warning',
        message: `the KV ${what} is ${describeBytes(bytes)}, ${percent}% of Workers KV's ${limitText} limit`,
      },
    ]
  }
  return []
}

/** The longest key a list name produces (a chunk number of six digits is ~300,000 articles). */
const longestListKey = (list: ListRef) => listChunkKey(list, 999_999)

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
  for (const src of rendered.imagesWithoutAlt) {
    problems.push({
      ...at(['body']),
      severity: 'error',
      message: `image ${src || '(no src)'} has no alt text: describe it, e.g. ![what the photo shows](${src})`,
    })
  }
  for (const what of rendered.removed) {
    problems.push({
      ...at(['body']),
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
  problems.push(...sizeProblem('key', utf8Bytes(articleKey(article.slug)), at(['slug'])))
  problems.push(...sizeProblem('value', utf8Bytes(JSON.stringify(article)), { file }))
  return problems
}

/** Size checks for keys that no single file owns (list heads and chunks, redirects, tombstones). */
export function checkEntrySizes(entries: readonly KvEntry[]): Problem[] {
  return entries.flatMap((entry) => [
    ...sizeProblem('key', utf8Bytes(entry.key), { file: entry.key }),
    ...sizeProblem('value', utf8Bytes(entry.value), { file: entry.key }),
  ])
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
    const sameId = duplicateSlugFiles.has(file) ? undefined : idFiles.get(article.id)
    if (sameId) {
      problems.push({
        file,
        severity: 'error',
        path: 'id',
        message: `"${article.id}" is also the id of ${sameId}`,
        ...locate(['id']),
      })
    } else if (!idFiles.has(article.id)) {
      idFiles.set(article.id, file)
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
