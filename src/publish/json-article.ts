// Publish step 3 for `.json` files: the text as JSON with every node's offset (jsonc-parser), and
// syntax errors an editor can act on — one message for a line break pasted into a string instead
// of the hundreds that follow it, a hint for a quote that ends a string early. Pure.
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser'
import { lineIndex, type ArticleDocument, type FieldPath, type Position } from './article-document'
import type { Problem } from './problems'

/** `PropertyNameExpected` → `property name expected`. */
const syntaxMessage = (error: ParseError) =>
  printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()

const LINE_BREAK_IN_STRING =
  'a JSON string cannot contain a line break — write \\n, or use a .md file'

/**
 * Line breaks typed or pasted into strings (RFC 8259 §7: control characters must be escaped): the
 * first of each string, found in one pass that tracks strings as JSON does. Empty when a string
 * never closes, which the parser reports better.
 */
function lineBreaksInStrings(text: string): number[] {
  const found: number[] = []
  let stringBreak: number | undefined
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (!inString) {
      if (char === '"') inString = true
    } else if (char === '\\') i++
    else if (char === '"') {
      inString = false
      if (stringBreak !== undefined) found.push(stringBreak)
      stringBreak = undefined
    } else if ((char === '\n' || char === '\r') && stringBreak === undefined) stringBreak = i
  }
  return inString ? [] : found
}

/**
 * When a syntax error follows a string on the same line — `"قال "نعم" اليوم"` breaks at `نعم` —
 * the string's closing quote, which is most likely a quote meant inside it.
 */
function quoteEndingStringEarly(text: string, offset: number): number | undefined {
  let before = offset - 1
  while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--
  if (
    before < 0 ||
    text[before] !== '"' ||
    text[offset] === undefined ||
    /[,:}\]\n\r]/.test(text[offset]!)
  )
    return undefined
  // Is that quote the end of a string? Track strings from the start of its line.
  let inString = false
  for (let i = text.lastIndexOf('\n', before) + 1; i < before; i++) {
    if (inString && text[i] === '\\') i++
    else if (text[i] === '"') inString = !inString
  }
  return inString ? before : undefined
}

function syntaxProblems(file: string, text: string, errors: readonly ParseError[]): Problem[] {
  const at = lineIndex(text)
  const breaks = lineBreaksInStrings(text)
  if (breaks.length > 0)
    return breaks.map((offset) => ({
      file,
      severity: 'error',
      message: LINE_BREAK_IN_STRING,
      ...at(offset),
    }))
  const problems: Problem[] = []
  // The parser often reports one mistake twice at one place (e.g. "property name expected" and
  // "value expected" after a trailing comma), and a quote ended early once per word after it.
  const offsets = new Set<number>()
  const hintedLines = new Set<number>()
  for (const error of errors) {
    if (offsets.has(error.offset)) continue
    offsets.add(error.offset)
    const place = at(error.offset)
    if (hintedLines.has(place.line)) continue
    const quote = quoteEndingStringEarly(text, error.offset)
    if (quote !== undefined) {
      hintedLines.add(place.line)
      problems.push({
        file,
        severity: 'error',
        message:
          'invalid JSON: this " ends the string early — inside a JSON string write \\" (or use “ ” or « »)',
        ...at(quote),
      })
    } else {
      problems.push({
        file,
        severity: 'error',
        message: `invalid JSON: ${syntaxMessage(error)}`,
        ...place,
      })
    }
  }
  if (problems.length === 0)
    problems.push({
      file,
      severity: 'error',
      message: 'invalid JSON: empty file',
      line: 1,
      column: 1,
    })
  return problems
}

/** Repeated keys in any object: JSON.parse would silently keep the last one. */
function duplicateKeys(
  node: JsonNode | undefined,
  file: string,
  at: (offset: number) => Position,
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
          ...at(keyNode.offset),
        })
      }
      seen.add(key)
    }
  }
  for (const child of node.children) duplicateKeys(child, file, at, problems)
}

/** The offset in `text` of character `index` of the JSON string whose opening quote is at `quote`. */
function offsetInString(text: string, quote: number, index: number): number {
  let offset = quote + 1
  for (
    let decoded = 0;
    decoded < index && offset < text.length && text[offset] !== '"';
    decoded++
  ) {
    // `\uXXXX` is one UTF-16 unit in six characters; `\n`, `\"`… one in two.
    offset += text[offset] !== '\\' ? 1 : text[offset + 1] === 'u' ? 6 : 2
  }
  return offset
}

/** A `.json` article file (BOM already removed) as a document. */
export function parseJsonArticle(file: string, text: string): ArticleDocument {
  const errors: ParseError[] = []
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false })
  const at = lineIndex(text)
  const shape = {
    rootShape: "must be a JSON object with the article's fields",
    extension: '.json',
  }
  if (errors.length > 0 || !tree) {
    const none = () => undefined
    return {
      problems: syntaxProblems(file, text, errors),
      valueAt: none,
      keyAt: none,
      charAt: none,
      ...shape,
    }
  }
  const problems: Problem[] = []
  duplicateKeys(tree, file, at, problems)
  const node = (path: FieldPath) => findNodeAtLocation(tree, [...path])
  return {
    value: JSON.parse(text) as unknown,
    problems,
    valueAt(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const found = node(path.slice(0, depth))
        if (found) return at(found.offset)
      }
      return undefined
    },
    keyAt(path) {
      const key = node(path)?.parent?.children?.[0]
      return key ? at(key.offset) : undefined
    },
    charAt(path, index) {
      const found = node(path)
      return found?.type === 'string' ? at(offsetInString(text, found.offset, index)) : undefined
    },
    ...shape,
  }
}
