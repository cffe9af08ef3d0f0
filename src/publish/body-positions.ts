// Publish step 3 (positions in a body): where a piece of text of an article's body stands in its
// file, so a problem about one image of a body points at that image's line and column. In a JSON
// file the body is one string literal: its characters are found through the literal's escapes.
import { positionAt } from './problems'

/** The line and column of the first occurrence of `text` in the body at or after `from` (an index into the body), with that index. */
export type LocateInBody = (
  text: string,
  from?: number,
) => { line: number; column: number; index: number } | undefined

export const NOWHERE_IN_BODY: LocateInBody = () => undefined

/** A locator over the JSON string literal at `offset` (its opening quote) in `fileText`. */
export function jsonBodyLocator(fileText: string, offset: number, length: number): LocateInBody {
  let decoded = ''
  /** For each decoded UTF-16 unit, its offset in the file. */
  const offsets: number[] = []
  for (let at = offset + 1; at < offset + length - 1; ) {
    if (fileText[at] !== '\\') {
      decoded += fileText[at]
      offsets.push(at)
      at++
      continue
    }
    const escape = fileText[at + 1]
    const width = escape === 'u' ? 6 : 2
    decoded += JSON.parse(`"${fileText.slice(at, at + width)}"`) as string
    offsets.push(at)
    at += width
  }
  return (text, from = 0) => {
    const index = decoded.indexOf(text, from)
    return index < 0 ? undefined : { ...positionAt(fileText, offsets[index]!), index }
  }
}
