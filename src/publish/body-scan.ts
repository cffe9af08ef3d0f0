// Publish step 4 (beside rendering): where things are in a Markdown body — every link, image and
// raw HTML tag with its offset in the body — taken from markdown-it's own tokens, so that a check
// can name the line and column an editor wrote it at. Pure.
import { Parser } from 'htmlparser2'
import type { MarkdownIt, StateInline, Token } from 'markdown-it'

type InlineRule = (state: StateInline, silent: boolean) => boolean

/** A link, an image or a raw HTML tag of a body. */
export interface BodyElement {
  /** `a` and `img` for Markdown links and images too. */
  tag: string
  attribs: Record<string, string>
  /** Offset in the body as given (UTF-16 units), at the `[`, `!` or `<` that starts it. */
  offset: number
}

/** Inline tokens whose place in their block's text the tracked rules record. */
const TRACKED_TYPES = new Set(['link_open', 'image', 'html_inline'])
const TRACKED_RULES = ['link', 'image', 'autolink', 'html_inline']

interface Placed {
  /** Offset of the token in its inline block's `content`. */
  inlineOffset?: number
}

/**
 * Makes `markdown` note, on every link, image and raw inline HTML token, where in its block's text
 * it starts: each of those rules is wrapped to record the position it was called at. markdown-it
 * keeps no source positions below block level, and Ruler offers replacing a rule (`at`) but not
 * reading one, hence the one use of its `__rules__` list.
 */
export function trackInlinePositions(markdown: MarkdownIt): void {
  const rules = (
    markdown.inline.ruler as unknown as { __rules__: { name: string; fn: InlineRule }[] }
  ).__rules__
  for (const name of TRACKED_RULES) {
    const original = rules.find((rule) => rule.name === name)?.fn
    if (!original) throw new Error(`markdown-it has no inline rule "${name}" to track`)
    markdown.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
      const start = state.pos
      const before = state.tokens.length
      const matched = original(state, silent)
      if (matched && !silent) {
        for (const token of state.tokens.slice(before)) {
          const meta = (token.meta ?? {}) as Placed
          // Tokens of a link's text were placed by their own rule, inside this one.
          if (TRACKED_TYPES.has(token.type) && meta.inlineOffset === undefined)
            token.meta = { ...meta, inlineOffset: start }
        }
      }
      return matched
    })
  }
}

/** The body's lines as markdown-it splits them (CR, LF or CRLF), with their offsets. */
function sourceLines(source: string): { text: string; start: number }[] {
  const lines: { text: string; start: number }[] = []
  const breaks = /\r\n?|\n/g
  let start = 0
  for (let match = breaks.exec(source); match; match = breaks.exec(source)) {
    lines.push({ text: source.slice(start, match.index), start })
    start = match.index + match[0].length
  }
  lines.push({ text: source.slice(start), start })
  return lines
}

/**
 * Offsets in a block's `content` → offsets in the body. Line `j` of the content lies on source
 * line `firstLine + j`, with the block's markers and indentation (`> `, `- `, `## `) cut off.
 */
function contentMapper(
  content: string,
  firstLine: number,
  lines: readonly { text: string; start: number }[],
): (offset: number) => number {
  const starts: { content: number; source: number }[] = []
  let contentStart = 0
  content.split('\n').forEach((text, j) => {
    const line = lines[firstLine + j]
    const column = line ? Math.max(0, line.text.indexOf(text)) : 0
    starts.push({ content: contentStart, source: (line?.start ?? 0) + column })
    contentStart += text.length + 1
  })
  return (offset) => {
    let i = starts.length - 1
    while (i > 0 && starts[i]!.content > offset) i--
    return starts[i]!.source + offset - starts[i]!.content
  }
}

/** Every opening tag of a raw HTML fragment, as the sanitiser's parser (htmlparser2) reads it. */
function rawTags(html: string, toBody: (offset: number) => number): BodyElement[] {
  const tags: BodyElement[] = []
  const parser: Parser = new Parser({
    onopentag: (tag, attribs) => tags.push({ tag, attribs, offset: toBody(parser.startIndex) }),
  })
  parser.end(html)
  return tags
}

/** Links, images and raw HTML tags of a body, in document order, from its parsed tokens. */
export function scanBody(tokens: readonly Token[], source: string): BodyElement[] {
  const lines = sourceLines(source)
  const elements: BodyElement[] = []
  for (const block of tokens) {
    if (!block.map) continue
    if (block.type === 'html_block') {
      elements.push(...rawTags(block.content, contentMapper(block.content, block.map[0], lines)))
      continue
    }
    if (block.type !== 'inline' || !block.children) continue
    const toBody = contentMapper(block.content, block.map[0], lines)
    for (const token of block.children) {
      const inlineOffset = (token.meta as Placed | null)?.inlineOffset
      if (inlineOffset === undefined) continue
      const offset = toBody(inlineOffset)
      if (token.type === 'html_inline')
        elements.push(...rawTags(token.content, (at) => offset + at))
      else if (token.type === 'image')
        elements.push({
          tag: 'img',
          attribs: { src: String(token.attrGet('src') ?? ''), alt: token.content },
          offset,
        })
      else
        elements.push({ tag: 'a', attribs: { href: String(token.attrGet('href') ?? '') }, offset })
    }
  }
  return elements
}
