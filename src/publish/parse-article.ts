// Publish step 3: one article file's text → a validated source, or every problem in it with its
// line and column. The format follows the extension — `.md` (markdown-article.ts: YAML front
// matter, Markdown body) or `.json` (json-article.ts) — and both meet the one zod schema here, with
// the same messages and the same "did you mean". Pure.
import type * as z from 'zod'
import { ArticleSource, Author, Image, type ParsedArticleSource } from '../model/article-source'
import { rawIndexOf, type ArticleDocument, type FieldPath } from './article-document'
import { articleExtension, slugOfFile } from './content-paths'
import { bodyLimitProblems, fileLimitProblems } from './input-limits'
import { parseJsonArticle } from './json-article'
import { parseMarkdownArticle, splitFrontMatter } from './markdown-article'
import { formatPath, nearest, type Problem } from './problems'

/** Fields an article file may have, for "did you mean" suggestions. */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(ArticleSource.shape),
  authors: Object.keys(Author.shape),
  image: Object.keys(Image.shape),
}

type JsonPath = FieldPath

/**
 * Line and column of a field in a file (or of its nearest enclosing object when it is absent).
 * A path that goes one number past a text field — `['body', 120]` — names that character of the
 * text as the schema made it (trimmed, NFC): where a finding inside the body is.
 */
export type Locate = (path: JsonPath) => { line?: number; column?: number }

const unknownFieldMessage = (key: string, objectPath: string) => {
  const known = KNOWN_FIELDS[objectPath.replace(/\[\d+\]$/, '')] ?? []
  const suggestion = nearest(key, known)
  return `unknown field${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`
}

/** The plain value at `path` inside `value`, if there is one. */
function valueAtPath(value: unknown, path: JsonPath): unknown {
  let current = value
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}

function locator(document: ArticleDocument): Locate {
  return (path) => {
    const last = path.at(-1)
    const text = valueAtPath(document.value, path.slice(0, -1))
    if (typeof last === 'number' && typeof text === 'string')
      return document.charAt(path.slice(0, -1), rawIndexOf(text, last)) ?? {}
    return document.valueAt(path) ?? {}
  }
}

export interface ParsedFile {
  source?: ParsedArticleSource
  problems: Problem[]
  locate: Locate
}

/** The file's text as a document of its format, size and nesting checked before any parser. */
function readDocument(file: string, text: string): ArticleDocument | Problem[] {
  const markdown = articleExtension(file) === '.md'
  // jsonc-parser recurses once per nesting level (a stack overflow at ~10,000); YAML's flow
  // collections nest the same way. A Markdown body is prose: only its size counts.
  const parts = markdown ? splitFrontMatter(text) : undefined
  const structured = parts === undefined ? text : 'yaml' in parts ? parts.yaml : ''
  const tooLarge = fileLimitProblems(file, text, structured)
  if (tooLarge.length > 0) return tooLarge
  return markdown ? parseMarkdownArticle(file, text) : parseJsonArticle(file, text)
}

/** Parse and validate one file's text against the article schema. */
export function parseArticleFile(file: string, raw: string): ParsedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const document = readDocument(file, text)
  if (Array.isArray(document)) return { problems: document, locate: () => ({}) }
  const problems = [...document.problems]
  if (document.value === undefined || problems.some((problem) => problem.severity === 'error'))
    return { problems, locate: () => ({}) }
  const locate = locator(document)
  const result = ArticleSource.safeParse(document.value)
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueProblems(issue, document, file))
  }
  if (result.success) problems.push(...bodyLimitProblems(file, result.data.body, locate(['body'])))
  const slug = slugOfFile(file)
  if (result.success && result.data.slug !== slug) {
    problems.push({
      file,
      severity: 'error',
      path: 'slug',
      message: `must equal the file name without ${document.extension} ("${slug}")`,
      ...locate(['slug']),
    })
  }
  return problems.some((p) => p.severity === 'error')
    ? { problems, locate }
    : { source: result.data!, problems, locate }
}

function issueProblems(
  issue: z.core.$ZodIssue,
  document: ArticleDocument,
  file: string,
): Problem[] {
  const path = issue.path.filter(
    (segment): segment is string | number => typeof segment !== 'symbol',
  )
  if (issue.code === 'unrecognized_keys') {
    const objectPath = formatPath(path)
    return issue.keys.map((key) => ({
      file,
      severity: 'error' as const,
      path: formatPath([...path, key]),
      message: unknownFieldMessage(key, objectPath),
      ...document.keyAt([...path, key]),
    }))
  }
  const message =
    issue.code !== 'invalid_type'
      ? issue.message
      : path.length === 0
        ? document.rootShape
        : issue.input === undefined
          ? 'is required'
          : issue.message
  return [
    {
      file,
      severity: 'error',
      path: path.length > 0 ? formatPath(path) : undefined,
      message,
      // A missing field has no node: its object's place instead.
      ...document.valueAt(path),
    },
  ]
}
