// Publish step 3: one article file's text → a validated source, or every problem in it with its
// line and column (jsonc-parser for positions, the zod schema for the rules). Pure.
import { basename } from 'node:path'
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser'
import type * as z from 'zod'
import { ArticleSource, Author, Image, type ParsedArticleSource } from '../model/article-source'
import { jsonBodyLocator, NOWHERE_IN_BODY, type LocateInBody } from './body-positions'
import { bodyLimitProblems, fileLimitProblems } from './input-limits'
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
  /** Where text of the body is in the file (problems about one image of the body). */
  locateInBody?: LocateInBody
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
  const body = findNodeAtLocation(tree, ['body'])
  const locateInBody =
    body?.type === 'string' ? jsonBodyLocator(text, body.offset, body.length) : NOWHERE_IN_BODY
  return problems.some((p) => p.severity === 'error')
    ? { problems, locate }
    : { source: result.data!, problems, locate, locateInBody }
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
