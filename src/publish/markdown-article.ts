// Publish step 3 for `.md` files: a YAML front matter block (the article's fields, the same as a
// JSON file's but `body`) between two `---` lines, then the body as plain Markdown. YAML 1.2 core
// schema through the `yaml` package, whose LineCounter places every node and error. Pure.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLError,
} from 'yaml'
import { lineIndex, type ArticleDocument, type FieldPath, type Position } from './article-document'
import type { Problem } from './problems'

const OPENING = /^---[ \t]*\r?\n/
const CLOSING = /^---[ \t]*(?:\r?\n|$)/m
/** A document with more problems than this is better fixed from the top. */
const MAX_SYNTAX_PROBLEMS = 10

const NO_FRONT_MATTER =
  'a .md article starts with its fields between two lines of three dashes: ---, then e.g. ' +
  '"title: …" on a line each, then ---, then the body in Markdown'

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1)

/** The opening quote of the quoted value a MISSING_CHAR error at `offset` never saw closed. */
function openingQuoteBefore(yaml: string, offset: number): number | undefined {
  const lines = [
    ...yaml.slice(0, offset).matchAll(/^[ \t]*(?:-[ \t]+)?(?:[^\s:#][^:#]*:[ \t]+)?(["'])/gm),
  ]
  const last = lines.at(-1)
  return last ? last.index + last[0].length - 1 : undefined
}

/** The quote just before `offset` (spaces skipped), if there is one. */
function quoteBefore(yaml: string, offset: number): number | undefined {
  let before = offset - 1
  while (before >= 0 && (yaml[before] === ' ' || yaml[before] === '\t')) before--
  return yaml[before] === '"' || yaml[before] === "'" ? before : undefined
}

/** An error of the YAML parser as an editor can act on it: a message and where (an offset). */
function describe(error: YAMLError, yaml: string): { message: string; offset: number } {
  const offset = error.pos[0]
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = yaml
        .slice(offset)
        .match(/^["']?([^"':\n]*)/)?.[1]
        ?.trim()
      return { message: `field "${key}" appears more than once`, offset }
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        message: 'invalid YAML: a value with ": " in it needs quotes, e.g. title: "قال: نعم"',
        offset,
      }
    case 'MISSING_CHAR':
      if (/quote/.test(error.message)) {
        const quote = openingQuoteBefore(yaml, offset)
        return {
          message: 'invalid YAML: the quoted value that starts here is never closed',
          offset: quote ?? offset,
        }
      }
      break
    case 'UNEXPECTED_TOKEN': {
      const quote = quoteBefore(yaml, offset)
      if (quote !== undefined)
        return {
          message: `invalid YAML: this ${yaml[quote]} ends the value early — quote the value with the other kind of quote, or use “ ” or « » inside it`,
          offset: quote,
        }
      break
    }
    case 'TAB_AS_INDENT':
      return { message: 'invalid YAML: indent with spaces, not tabs', offset }
  }
  return { message: `invalid YAML: ${lowerFirst(error.message)}`, offset }
}

/** The node at `path` and the last node or key found on the way (for a place when it is absent). */
function walk(
  document: Document,
  path: FieldPath,
): { node?: YamlNode; nearest?: YamlNode; key?: YamlNode } {
  let node: unknown = document.contents
  let nearest = isScalar(node) || isMap(node) || isSeq(node) ? (node as YamlNode) : undefined
  let key: YamlNode | undefined
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      )
      if (!pair) return { nearest }
      key = pair.key as YamlNode
      node = pair.value
      nearest = (node as YamlNode | null) ?? key
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment]
      key = undefined
      nearest = node as YamlNode
    } else {
      return { nearest }
    }
  }
  return { node: (node as YamlNode | null) ?? undefined, nearest, key }
}

export type FrontMatter =
  | { yamlStart: number; yaml: string; bodyStart: number }
  | { missing: 'opening' | 'closing' }

/** Where a `.md` file's front matter and body are. */
export function splitFrontMatter(text: string): FrontMatter {
  const opening = OPENING.exec(text)
  if (!opening) return { missing: 'opening' }
  const yamlStart = opening[0].length
  const closing = CLOSING.exec(text.slice(yamlStart))
  if (!closing) return { missing: 'closing' }
  const yaml = text.slice(yamlStart, yamlStart + closing.index)
  return { yamlStart, yaml, bodyStart: yamlStart + closing.index + closing[0].length }
}

/** A `.md` article file (BOM already removed) as a document. */
export function parseMarkdownArticle(file: string, text: string): ArticleDocument {
  const at = lineIndex(text)
  const none = () => undefined
  const shape = {
    rootShape: 'the front matter must hold the article\'s fields, one "name: value" a line',
    extension: '.md',
  }
  const broken = (message: string, where: Position = { line: 1, column: 1 }): ArticleDocument => ({
    problems: [{ file, severity: 'error', message, ...where }],
    valueAt: none,
    keyAt: none,
    charAt: none,
    ...shape,
  })
  const parts = splitFrontMatter(text)
  if ('missing' in parts)
    return broken(
      parts.missing === 'opening'
        ? NO_FRONT_MATTER
        : 'the front matter that starts here is never closed: put a line --- after the fields, before the body',
    )
  const { yamlStart, yaml, bodyStart } = parts
  const lines = new LineCounter()
  const document = parseDocument(yaml, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  })
  // The front matter begins on line 2 at column 1: its own lines shift by one, columns stay.
  const firstLine = at(yamlStart).line
  const place = (offset: number): Position => {
    const { line, col } = lines.linePos(offset)
    return { line: line + firstLine - 1, column: col }
  }
  const problems: Problem[] = []
  const linesWithProblems = new Set<number>()
  for (const error of [...document.errors, ...document.warnings]) {
    const { message, offset } = describe(error, yaml)
    const where = place(offset)
    if (linesWithProblems.has(where.line) || problems.length >= MAX_SYNTAX_PROBLEMS) continue
    linesWithProblems.add(where.line)
    const severity = error.name === 'YAMLWarning' ? 'warning' : 'error'
    problems.push({ file, severity, message, ...where })
  }
  if (problems.some((problem) => problem.severity === 'error'))
    return { problems, valueAt: none, keyAt: none, charAt: none, ...shape }

  let fields: unknown
  try {
    fields = document.toJS({ maxAliasCount: 100 }) ?? {}
  } catch (error) {
    return broken(`invalid YAML: ${lowerFirst((error as Error).message)}`, place(0))
  }
  const nodeStart = (node: YamlNode | undefined) => (node?.range ? place(node.range[0]) : undefined)
  const bodyPlace = () => at(bodyStart)
  if (fields !== null && typeof fields === 'object' && !Array.isArray(fields) && 'body' in fields) {
    const key = walk(document, ['body']).key
    problems.push({
      file,
      severity: 'error',
      path: 'body',
      message: 'the body is the Markdown after the closing ---, not a field of the front matter',
      ...nodeStart(key),
    })
  }
  const value =
    fields !== null && typeof fields === 'object' && !Array.isArray(fields)
      ? { ...fields, body: text.slice(bodyStart) }
      : fields
  return {
    value,
    problems,
    valueAt: (path) =>
      path[0] === 'body' ? bodyPlace() : (nodeStart(walk(document, path).nearest) ?? place(0)),
    keyAt: (path) => nodeStart(walk(document, path).key),
    charAt: (path, index) =>
      path.length === 1 && path[0] === 'body'
        ? at(bodyStart + index)
        : nodeStart(walk(document, path).node),
    ...shape,
  }
}
