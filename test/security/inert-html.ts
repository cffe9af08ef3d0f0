// A strict, independent check that HTML cannot run script: a small tokenizer over the serialised
// output (not the sanitiser's own parser), with its own allow-lists. Every `<` must open a
// well-formed tag from the list, every attribute must be from the list, and every URL attribute
// must resolve to an allowed scheme after the same clean-up a browser's URL parser does.

/** Elements that cannot run script or load active content, as article bodies may use them. */
const BODY_TAGS = new Set([
  'p', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol',
  'li', 'img', 'br', 'hr', 'figure', 'figcaption', 'del', 's', 'sub', 'sup', 'abbr', 'cite', 'q',
  'small', 'mark', 'bdi', 'bdo', 'span', 'time', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div',
  // The publish's responsive markup for photos (src/model/picture.ts).
  'picture', 'source',
])

/** What a feed's content wraps around the body: the same, plus the footer with byline and rights. */
export const FEED_CONTENT_TAGS: ReadonlySet<string> = new Set([...BODY_TAGS, 'footer'])

/** Attributes that carry no script and no styling. */
const BODY_ATTRIBUTES = new Set([
  'href', 'src', 'alt', 'title', 'width', 'height', 'start', 'datetime', 'scope', 'colspan',
  'rowspan', 'hreflang', 'dir', 'lang', 'srcset', 'sizes', 'type', 'loading', 'decoding',
])

const URL_SCHEMES: Record<string, readonly string[]> = {
  href: ['http:', 'https:', 'mailto:'],
  src: ['http:', 'https:'],
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>/=]+(?:="[^"<>]*")?)*)\s*\/?>/y
const ATTRIBUTE = /\s+([^\s"'<>/=]+)(?:="([^"]*)")?/g

// The named references that can spell a scheme or the whitespace a URL parser removes (HTML5 has
// &colon; &Tab; &NewLine;); matched case-insensitively, which only ever flags more.
const NAMED: Record<string, string> = {
  amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: '\u00A0', colon: ':', tab: '\t', newline: '\n',
  sol: '/', bsol: '\\', period: '.', semi: ';', lpar: '(', rpar: ')', num: '#', quest: '?', equals: '=',
}

/** Character references decoded as a browser would in an attribute value. */
export function decodeReferences(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));?/gi, (match, decimal, hex, name) => {
    if (decimal) return String.fromCodePoint(Math.min(Number(decimal), 0x10ffff))
    if (hex) return String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff))
    return NAMED[name.toLowerCase()] ?? match
  })
}

/** The URL a browser would resolve: leading/trailing C0 and spaces trimmed, tab/LF/CR removed. */
function browserUrl(value: string, base: string): URL | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = decodeReferences(value).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '')
  try {
    return new URL(cleaned, base)
  } catch {
    return null
  }
}

export interface InertOptions {
  tags?: ReadonlySet<string>
  attributes?: ReadonlySet<string>
  /** Base for relative URLs (pages link with paths). */
  base?: string
}

/** Every reason `html` is not inert; empty when it is. */
export function scriptHazards(html: string, options: InertOptions = {}): string[] {
  const tags = options.tags ?? BODY_TAGS
  const allowedAttributes = options.attributes ?? BODY_ATTRIBUTES
  const base = options.base ?? 'https://invalid.invalid/'
  const hazards: string[] = []
  let at = html.indexOf('<')
  while (at !== -1) {
    TAG.lastIndex = at
    const match = TAG.exec(html)
    if (!match) {
      hazards.push(`"<" that does not open a well-formed tag: ${JSON.stringify(html.slice(at, at + 60))}`)
      at = html.indexOf('<', at + 1)
      continue
    }
    const [whole, closing, rawName, rawAttributes = ''] = match
    const name = rawName!.toLowerCase()
    if (!tags.has(name)) hazards.push(`<${closing}${name}>`)
    for (const [, rawAttribute, value = ''] of rawAttributes.matchAll(ATTRIBUTE)) {
      const attribute = rawAttribute!.toLowerCase()
      if (!allowedAttributes.has(attribute)) hazards.push(`${attribute} on <${name}>`)
      // srcset: image candidates "URL width", comma-separated; each URL is checked as src is.
      const urls = attribute === 'srcset' ? decodeReferences(value).split(',').map((candidate) => candidate.trim().split(/\s+/)[0]!) : [value]
      const schemes = URL_SCHEMES[attribute === 'srcset' ? 'src' : attribute]
      for (const each of schemes ? urls : []) {
        const url = browserUrl(each, base)
        if (!url || !schemes!.includes(url.protocol)) hazards.push(`${attribute}="${value}" on <${name}>`)
      }
    }
    at = html.indexOf('<', at + whole.length)
  }
  return hazards
}
