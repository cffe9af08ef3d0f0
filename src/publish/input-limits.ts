// Publish step 2: limits on one article file, checked before the parsers that
// would otherwise overflow the stack (jsonc-parser recurses once per nesting level) or take
// minutes (the HTML sanitiser is quadratic in the depth of unclosed tags). Pure: text in, problems
// out.
import type { Problem } from './problems'

export const INPUT_LIMITS = {
  /** A long-form article is ~100 KB; Workers KV values stop at 25 MiB. */
  fileBytes: 2 * 1024 * 1024,
  /** An article nests objects and arrays three levels deep. */
  jsonDepth: 32,
  /** Raw HTML elements open inside one another in a body. */
  htmlDepth: 256,
} as const

const describeMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** The deepest nesting of arrays and objects in JSON text: one linear pass, strings skipped. */
function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      if (char === '\\') i++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth)
    else if (char === ']' || char === '}') depth = Math.max(0, depth - 1)
  }
  return deepest
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
])
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g

/** The deepest nesting of raw HTML elements in Markdown or HTML (an upper bound: one linear pass). */
export function htmlDepth(source: string): number {
  let depth = 0
  let deepest = 0
  for (const [, closing, name, selfClosing] of source.matchAll(TAG)) {
    if (closing) depth = Math.max(0, depth - 1)
    else if (!selfClosing && !VOID_ELEMENTS.has(name!.toLowerCase()))
      deepest = Math.max(deepest, ++depth)
  }
  return deepest
}

/** The message for a file of `bytes` over the limit (checked before reading, and after). */
export const fileSizeProblem = (bytes: number) =>
  `the file is ${describeMiB(bytes)}; an article file may be at most ${describeMiB(INPUT_LIMITS.fileBytes)}`

/**
 * Problems with a file's size or its nesting of `[` and `{` (JSON, or YAML's flow collections):
 * when any, no parser should see the text.
 */
export function fileLimitProblems(file: string, text: string, structured = text): Problem[] {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > INPUT_LIMITS.fileBytes) {
    return [{ file, severity: 'error', message: fileSizeProblem(bytes) }]
  }
  const depth = jsonDepth(structured)
  if (depth > INPUT_LIMITS.jsonDepth) {
    return [
      {
        file,
        severity: 'error',
        message: `objects and arrays are nested ${depth} levels deep; an article file needs at most ${INPUT_LIMITS.jsonDepth}`,
      },
    ]
  }
  return []
}

/** A problem when the body's raw HTML nests deeper than the sanitiser can take in good time. */
export function bodyLimitProblems(
  file: string,
  body: string,
  at: { line?: number; column?: number } = {},
): Problem[] {
  const depth = htmlDepth(body)
  if (depth <= INPUT_LIMITS.htmlDepth) return []
  return [
    {
      file,
      severity: 'error',
      path: 'body',
      message: `raw HTML elements are nested ${depth} deep; at most ${INPUT_LIMITS.htmlDepth} are allowed (close your tags)`,
      ...at,
    },
  ]
}
