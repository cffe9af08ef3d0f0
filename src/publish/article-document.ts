// Publish step 3 (shared by both formats): an article file parsed into plain values, with a way to
// place any field — and any character of a text field — at its line and column in the file. The
// JSON reader (json-article.ts) and the front matter reader (markdown-article.ts) each make one;
// parse-article.ts validates it against the schema the same way for both.
import type { Problem } from './problems'

export type FieldPath = readonly (string | number)[]

export interface Position {
  line: number
  column: number
}

export interface ArticleDocument {
  /** The file's fields as plain values; absent when its syntax is broken (see `problems`). */
  value?: unknown
  /** Syntax problems, fields given twice: what the reader itself found. */
  problems: Problem[]
  /** Where the value at `path` starts, or its nearest enclosing one's when it is absent. */
  valueAt(path: FieldPath): Position | undefined
  /** Where the key of the field at `path` is written (for unknown fields). */
  keyAt(path: FieldPath): Position | undefined
  /** Where character `index` of the text at `path` is, counted in the text as parsed. */
  charAt(path: FieldPath, index: number): Position | undefined
  /** What the file's root must be, for the message when it is something else. */
  rootShape: string
  /** The extension a slug must be followed by in the file name. */
  extension: string
}

/** 1-based line and column of every offset of `text`, by binary search over its line starts. */
export function lineIndex(text: string): (offset: number) => Position {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - starts[low]! + 1 }
  }
}

/**
 * The index in `raw` of character `index` of the editor text the schema made from it (trimmed,
 * NFC-normalised). Exact when normalising changed nothing; otherwise the line is exact (no
 * composition spans a line break) and the column the first whose normalised prefix reaches it.
 */
export function rawIndexOf(raw: string, index: number): number {
  const lead = raw.length - raw.trimStart().length
  const trimmed = raw.trim()
  if (trimmed.normalize('NFC') === trimmed) return lead + index
  let rawStart = lead
  let normalisedStart = 0
  for (const line of trimmed.split('\n')) {
    const normalised = line.normalize('NFC')
    if (index <= normalisedStart + normalised.length) {
      let column = 0
      while (
        column < line.length &&
        line.slice(0, column).normalize('NFC').length < index - normalisedStart
      )
        column++
      return rawStart + column
    }
    rawStart += line.length + 1
    normalisedStart += normalised.length + 1
  }
  return lead + trimmed.length
}
