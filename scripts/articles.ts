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
import {
  ArticleSource,
  derivedArticleId,
  StoredArticle,
  type ParsedArticleSource,
} from '../src/article'
import type { SiteConfig } from '../src/site'
import { articlePath } from '../src/urls'
import { renderBody } from './markdown'
import { formatPath, nearest, positionAt, type Problem } from './problems'

/** Fields an article file may have, for "did you mean" suggestions. */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(ArticleSource.shape),
  authors: ['name', 'url'],
  image: ['url', 'alt', 'caption', 'credit', 'width', 'height'],
}

export interface LoadedFile {
  /** Path as shown to the editor (relative to the working directory). */
  file: string
  source: ParsedArticleSource
}

export interface LoadResult {
  /** Valid, non-draft articles ready for KV. */
  articles: StoredArticle[]
  /** Slugs of files marked `draft: true`. */
  drafts: string[]
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
function duplicateKeys(node: JsonNode | undefined, text: string, file: string, problems: Problem[]) {
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

/** Parse and validate one file's text against the article schema. */
export function parseArticleFile(file: string, raw: string): { source?: ParsedArticleSource; problems: Problem[] } {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw
  const problems: Problem[] = []
  const syntaxErrors: ParseError[] = []
  const tree = parseTree(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false })
  if (syntaxErrors.length > 0 || !tree) {
    for (const error of syntaxErrors) {
      problems.push({
        file,
        severity: 'error',
        message: `invalid JSON: ${printParseErrorCode(error.error)}`,
        ...positionAt(text, error.offset),
      })
    }
    if (problems.length === 0) problems.push({ file, severity: 'error', message: 'invalid JSON: empty file' })
    return { problems }
  }
  duplicateKeys(tree, text, file, problems)

  const result = ArticleSource.safeParse(JSON.parse(text))
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueProblems(issue, tree, text, file))
  }
  const slug = basename(file, '.json')
  if (result.success && result.data.slug !== slug.normalize('NFC')) {
    problems.push({
      file,
      severity: 'error',
      path: 'slug',
      message: `must equal the file name without .json ("${slug}")`,
      ...positionAt(text, findNodeAtLocation(tree, ['slug'])?.offset ?? 0),
    })
  }
  return problems.some((p) => p.severity === 'error') ? { problems } : { source: result.data!, problems }
}

function issueProblems(issue: z.core.$ZodIssue, tree: JsonNode, text: string, file: string): Problem[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol')
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
  // A missing field has no node: point at its object instead.
  let node: JsonNode | undefined
  for (let depth = path.length; depth >= 0 && !node; depth--) {
    node = findNodeAtLocation(tree, path.slice(0, depth))
  }
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message
  return [
    {
      file,
      severity: 'error',
      path: path.length > 0 ? formatPath(path) : undefined,
      message,
      ...(node ? positionAt(text, node.offset) : {}),
    },
  ]
}

/** The stored form of a validated source: body rendered, language and id resolved. */
export function prepareArticle(
  source: ParsedArticleSource,
  site: SiteConfig,
  file: string,
): { article: StoredArticle; problems: Problem[] } {
  const { html, removed } = renderBody(source.body, site.url + articlePath(source.slug))
  const problems: Problem[] = removed.map((what) => ({
    file,
    severity: 'warning',
    path: 'body',
    message: `the sanitiser removed ${what}`,
  }))
  const article = StoredArticle.parse({
    slug: source.slug,
    id: source.id ?? derivedArticleId(site.url, source.slug),
    title: source.title,
    summary: source.summary,
    html,
    publishedAt: source.publishedAt,
    updatedAt: source.updatedAt,
    language: source.language ?? site.language,
    section: source.section,
    tags: source.tags,
    authors: source.authors,
    image: source.image,
  })
  return { article, problems }
}

/** Read, validate and prepare every file; cross-file rules (unique slugs and ids) included. */
export async function loadArticles(files: readonly string[], site: SiteConfig): Promise<LoadResult> {
  const problems: Problem[] = []
  const articles: StoredArticle[] = []
  const drafts: string[] = []
  const slugFiles = new Map<string, string>()
  const idFiles = new Map<string, string>()

  for (const path of files) {
    const file = relative(process.cwd(), path) || path
    let raw: string
    try {
      raw = await readFile(path, 'utf8')
    } catch (error) {
      problems.push({ file, severity: 'error', message: `cannot read: ${(error as Error).message}` })
      continue
    }
    const parsed = parseArticleFile(file, raw)
    problems.push(...parsed.problems)
    if (!parsed.source) continue
    const { source } = parsed

    const sameSlug = slugFiles.get(source.slug)
    if (sameSlug) {
      problems.push({ file, severity: 'error', path: 'slug', message: `"${source.slug}" is also the slug of ${sameSlug}` })
      continue
    }
    slugFiles.set(source.slug, file)
    if (source.draft) {
      drafts.push(source.slug)
      continue
    }
    const prepared = prepareArticle(source, site, file)
    problems.push(...prepared.problems)
    const sameId = idFiles.get(prepared.article.id)
    if (sameId) {
      problems.push({ file, severity: 'error', path: 'id', message: `"${prepared.article.id}" is also the id of ${sameId}` })
      continue
    }
    idFiles.set(prepared.article.id, file)
    articles.push(prepared.article)
  }
  return { articles, drafts, problems }
}
