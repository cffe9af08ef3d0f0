// Publish step: article files → validated, prepared articles. Pure but for reading files:
// every file is checked and every problem collected before anything is written anywhere.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser'
import type * as z from 'zod'
import { derivedArticleId, StoredArticle } from '../src/model/article'
import { ArticleSource, Author, Image, type ParsedArticleSource } from '../src/model/article-source'
import type { SiteConfig } from '../src/model/site'
import { articlePath } from '../src/model/urls'
import { checkArticleContent, crossFileProblems } from './checks'
import { bodyLimitProblems, fileLimitProblems } from './limits'
import type { RenderBody } from './markdown'
import { formatPath, nearest, positionAt, type Problem } from './problems'

/** Fields an article file may have, for "did you mean" suggestions. */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(ArticleSource.shape),
  authors: Object.keys(Author.shape),
  image: Object.keys(Image.shape),
}

type JsonPath = readonly (string | number)[]

/** Line and column of a field in a file (or of its nearest enclosing object when it is absent). */
export type Locate = (path: JsonPath) => { line?: number; column?: number }

export interface LoadedArticle {
  /** Path as shown to the editor (relative to the working directory). */
  file: string
  /** Path as read. */
  path: string
  article: StoredArticle
  /** Former slugs (`redirectFrom`), each to answer 301 to this article. */
  redirectFrom: string[]
  locate: Locate
}

export interface LoadedDraft {
  file: string
  slug: string
}

export interface LoadResult {
  /** Valid, non-draft articles ready for KV. */
  articles: StoredArticle[]
  /** The same articles with where they came from. */
  loaded: LoadedArticle[]
  /** Files marked `draft: true`. */
  drafts: LoadedDraft[]
  problems: Problem[]
}

/** Every `.json` file named, directly or inside a named folder (not recursive), sorted. */
export async function findArticleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const path of paths) {
    const info = await stat(path)
    if (info.isDirectory()) {
      for (const name of await readdir(path)) {
        if (name.endsWith('.json')) files.push(join(path, name))
      }
    } else {
      files.push(path)
    }
  }
  return [...new Set(files)].sort()
}

const unknownFieldMessage = (key: string, objectPath: string) => {
  const known = KNOWN_FIELDS[objectPath.replace(/\[\d+\]$/, '')] ?? []
  const suggestion = nearest(key, known)
  return `unknown field${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`
}

/** Repeated keys in any object: JSON.parse would silently keep the last one. */
function duplicateKeys(
  node: JsonNode | undefined,
  text: string,
  file: string,
  problems: Problem[],
) {
  if (!node?.children) return
  if (node.type === 'object') {
    const seen = new Set<string>()
    for (const property of node.children) {
      const keyNode = property.children?.[0]
      const key = keyNode?.value as string
      if (keyNode && seen.has(key)) {
        problems.push({
          file,
          severity: 'error',
          message: `field "${key}" appears more than once`,
          ...positionAt(text, keyNode.offset),
        })
      }
      seen.add(key)
    }
  }
  for (const child of node.children) duplicateKeys(child, text, file, problems)
}

/** `PropertyNameExpected` → `property name expected`. */
const syntaxMessage = (error: ParseError) =>
  printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()

function locator(tree: JsonNode, text: string): Locate {
  return (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = findNodeAtLocation(tree, path.slice(0, depth) as (string | number)[])
      if (node) return positionAt(text, node.offset)
    }
    return {}
  }
}

export interface ParsedFile {
  source?: ParsedArticleSource
  problems: Problem[]
  locate: Locate
}

/** Parse and validate one file's text against the article schema. */
export function parseArticleFile(file: string, raw: string): ParsedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  // Before any parser: jsonc-parser recurses once per nesting level (a stack overflow at ~10,000).
  const tooLarge = fileLimitProblems(file, text)
  if (tooLarge.length > 0) return { problems: tooLarge, locate: () => ({}) }
  const problems: Problem[] = []
  const syntaxErrors: ParseError[] = []
  const tree = parseTree(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false })
  if (syntaxErrors.length > 0 || !tree) {
    // The parser often reports one mistake twice at one place (e.g. "property name expected" and
    // "value expected" after a trailing comma): keep the first per place.
    const offsets = new Set<number>()
    for (const error of syntaxErrors) {
      if (offsets.has(error.offset)) continue
      offsets.add(error.offset)
      problems.push({
        file,
        severity: 'error',
        message: `invalid JSON: ${syntaxMessage(error)}`,
        ...positionAt(text, error.offset),
      })
    }
    if (problems.length === 0)
      problems.push({
        file,
        severity: 'error',
        message: 'invalid JSON: empty file',
        line: 1,
        column: 1,
      })
    return { problems, locate: () => ({}) }
  }
  const locate = locator(tree, text)
  duplicateKeys(tree, text, file, problems)

  const result = ArticleSource.safeParse(JSON.parse(text))
  if (!result.success) {
    for (const issue of result.error.issues)
      problems.push(...issueProblems(issue, tree, text, file, locate))
  }
  if (result.success) problems.push(...bodyLimitProblems(file, result.data.body, locate(['body'])))
  const slug = basename(file, '.json')
  if (result.success && result.data.slug !== slug.normalize('NFC')) {
    problems.push({
      file,
      severity: 'error',
      path: 'slug',
      message: `must equal the file name without .json ("${slug}")`,
      ...locate(['slug']),
    })
  }
  return problems.some((p) => p.severity === 'error')
    ? { problems, locate }
    : { source: result.data!, problems, locate }
}

function issueProblems(
  issue: z.core.$ZodIssue,
  tree: JsonNode,
  text: string,
  file: string,
  locate: Locate,
): Problem[] {
  const path = issue.path.filter(
    (segment): segment is string | number => typeof segment !== 'symbol',
  )
  if (issue.code === 'unrecognized_keys') {
    const objectPath = formatPath(path)
    return issue.keys.map((key) => {
      const keyNode = findNodeAtLocation(tree, [...path, key])?.parent?.children?.[0]
      return {
        file,
        severity: 'error' as const,
        path: formatPath([...path, key]),
        message: unknownFieldMessage(key, objectPath),
        ...(keyNode ? positionAt(text, keyNode.offset) : {}),
      }
    })
  }
  const message =
    issue.code !== 'invalid_type'
      ? issue.message
      : path.length === 0
        ? "must be a JSON object with the article's fields"
        : issue.input === undefined
          ? 'is required'
          : issue.message
  return [
    {
      file,
      severity: 'error',
      path: path.length > 0 ? formatPath(path) : undefined,
      message,
      // A missing field has no node: locate points at its object instead.
      ...locate(path),
    },
  ]
}

/** The stored form of a validated source: body rendered, language and id resolved. */
async function prepareArticle(
  source: ParsedArticleSource,
  site: SiteConfig,
  file: string,
  locate: Locate = () => ({}),
  render?: RenderBody,
): Promise<{ article: StoredArticle; problems: Problem[] }> {
  const renderWith = render ?? (await import('./markdown')).renderBody
  const rendered = await renderWith(source.body, site.url + articlePath(source.slug))
  const article = StoredArticle.parse({
    slug: source.slug,
    id: source.id ?? derivedArticleId(site.url, source.slug),
    title: source.title,
    summary: source.summary,
    html: rendered.html,
    publishedAt: source.publishedAt,
    updatedAt: source.updatedAt,
    language: source.language ?? site.language,
    section: source.section,
    tags: source.tags,
    authors: source.authors,
    image: source.image,
  })
  return { article, problems: checkArticleContent(article, rendered, file, locate) }
}

/** Problems in file order, then by line and column, so an editor can work down the list. */
const byPlace = (a: Problem, b: Problem) =>
  (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  (a.column ?? 0) - (b.column ?? 0)

export interface LoadOptions {
  /** Markdown renderer (a cached one in the CLI). */
  render?: RenderBody
  /** File names in problems are shown relative to this folder (default: the working directory). */
  root?: string | undefined
}

/** Read, validate and prepare every file; cross-file rules (unique slugs, ids, redirects) included. */
export async function loadArticles(
  files: readonly string[],
  site: SiteConfig,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const problems: Problem[] = []
  const loaded: LoadedArticle[] = []
  const drafts: LoadedDraft[] = []

  const texts = await Promise.all(
    files.map(async (path) => {
      const file = relative(options.root ?? process.cwd(), path) || path
      try {
        return { file, path, raw: await readFile(path, 'utf8') }
      } catch (error) {
        problems.push({
          file,
          severity: 'error',
          message: `cannot read: ${(error as Error).message}`,
        })
        return undefined
      }
    }),
  )
  for (const entry of texts) {
    if (!entry) continue
    const { file, path, raw } = entry
    const parsed = parseArticleFile(file, raw)
    problems.push(...parsed.problems)
    if (!parsed.source) continue
    const { source, locate } = parsed
    if (source.draft) {
      drafts.push({ file, slug: source.slug })
      continue
    }
    const prepared = await prepareArticle(source, site, file, locate, options.render)
    problems.push(...prepared.problems)
    loaded.push({
      file,
      path,
      article: prepared.article,
      redirectFrom: source.redirectFrom ?? [],
      locate,
    })
  }
  problems.push(...crossFileProblems(loaded, drafts))
  problems.sort(byPlace)
  return { articles: loaded.map((entry) => entry.article), loaded, drafts, problems }
}
