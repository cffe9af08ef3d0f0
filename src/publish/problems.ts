// Publish problems: what every step reports about article files, and how they print for an
// editor: `articles/<file>:<line>:<col>: <field path>: <message>` (position and path where known).

export interface Problem {
  file: string
  severity: 'error' | 'warning'
  message: string
  /** JSON path of the field, e.g. `image.alt` or `tags[2]`. */
  path?: string | undefined
  line?: number | undefined
  column?: number | undefined
}

/** `image.alt`, `tags[2]`, or `(file)` for the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `${out ? '.' : ''}${String(segment)}`
  }
  return out
}

/**
 * Characters that could make one line of a report look like several, or reorder what a terminal
 * shows: C0 and C1 controls, DEL, line and paragraph separators, bidi embeddings, overrides and
 * isolates (the "Trojan Source" set).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** `text` on one line as a terminal shows it: every UNPRINTABLE character as an escape. */
export const printable = (text: string) =>
  text.replace(
    UNPRINTABLE,
    (char) => ESCAPES[char] ?? `\\u{${char.codePointAt(0)!.toString(16).padStart(4, '0')}}`,
  )

/** A file name as printed: backslashes doubled too, so every escape in it is unambiguous. */
export const printableFile = (file: string) => printable(file.replace(/\\/g, '\\\\'))

/** One line of the report: no file name or message can make it two. */
export function formatProblem(problem: Problem): string {
  const position = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`
  const path = problem.path ? `${problem.path}: ` : ''
  const prefix = problem.severity === 'warning' ? 'warning: ' : ''
  return `${printableFile(problem.file)}${position}: ${prefix}${printable(path + problem.message)}`
}

/** Problems in file order, then by line and column, so an editor can work down the list. */
export const byPlace = (a: Problem, b: Problem) =>
  (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  (a.column ?? 0) - (b.column ?? 0)

/** GitHub's escaping of workflow-command data; properties also escape `:` and `,`. */
const escapeData = (text: string) =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

/**
 * A problem as a GitHub Actions annotation (`::error file=…,line=…,col=…::message`), which a pull
 * request shows inline on the file's line. Escaped as the runner wants it, so no file name or
 * message can end the command early or start another.
 */
export function githubAnnotation(problem: Problem): string {
  const properties = [`file=${escapeProperty(problem.file)}`]
  if (problem.line !== undefined)
    properties.push(`line=${problem.line}`, `col=${problem.column ?? 1}`)
  if (problem.path) properties.push(`title=${escapeProperty(problem.path)}`)
  return `::${problem.severity === 'warning' ? 'warning' : 'error'} ${properties.join(',')}::${escapeData(problem.message)}`
}

/** Levenshtein distance, for "did you mean" suggestions on unknown fields. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return row[b.length]!
}

/** The known name closest to `name`, if it is close enough to be a likely typo. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}
