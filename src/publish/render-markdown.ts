// Publish step 4: article Markdown (CommonMark) → HTML, sanitised by an allow-list. The worker
// never parses Markdown; it inserts this HTML as-is, so everything unsafe is removed here.
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'
import { htmlDepth, INPUT_LIMITS } from './input-limits'

// CommonMark exactly, raw HTML allowed in the source (the sanitiser decides what survives).
const markdown = new MarkdownIt('commonmark', { html: true })

const ALLOWED_TAGS = [
  'p',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'em',
  'strong',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'img',
  'br',
  'hr',
  'figure',
  'figcaption',
  'del',
  's',
  'sub',
  'sup',
  'abbr',
  'cite',
  'q',
  'small',
  'mark',
  'bdi',
  'bdo',
  'span',
  'time',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'hreflang'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  ol: ['start'],
  abbr: ['title'],
  time: ['datetime'],
  th: ['scope', 'colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  // Direction and language may be marked on any element (mixed Arabic/Latin text).
  '*': ['dir', 'lang'],
}

export interface RenderedBody {
  html: string
  /** What the sanitiser removed, e.g. `<script>`, `onclick on <a>`, `javascript: URL on <a>`. */
  removed: string[]
  /** `src` of each image without alt text (readers of screen readers and feeds need one). */
  imagesWithoutAlt: string[]
}

/** renderBody, or a cache in front of it (which loads the Markdown libraries only on a miss). */
export type RenderBody = (source: string, baseUrl: string) => RenderedBody | Promise<RenderedBody>

/** Tag names the sanitiser converts rather than removes. */
const RENAMED: Record<string, string> = { h1: 'h2' }

/**
 * Markdown to sanitised HTML. Relative links and images resolve against `baseUrl`, so feeds carry
 * absolute URLs only (the article page's own URL is the base).
 */
export function renderBody(source: string, baseUrl: string): RenderedBody {
  const removed = new Set<string>()
  const imagesWithoutAlt: string[] = []
  const noteAttributes = (tag: string, attribs: Record<string, string>) => {
    const allowed = new Set([...(ALLOWED_ATTRIBUTES[tag] ?? []), ...ALLOWED_ATTRIBUTES['*']!])
    for (const name of Object.keys(attribs)) {
      if (!allowed.has(name)) removed.add(`${name} on <${tag}>`)
    }
  }
  const absolute = (tag: string, attribute: string) =>
    ((tagName: string, attribs: Record<string, string>) => {
      const value = attribs[attribute]
      if (value !== undefined) {
        try {
          attribs[attribute] = new URL(value, baseUrl).href
        } catch {
          removed.add(`unparseable URL in ${attribute} on <${tag}>`)
          delete attribs[attribute]
        }
      }
      return { tagName, attribs }
    }) satisfies sanitizeHtml.Transformer

  const unsafe = markdown.render(source)
  // The sanitiser's time grows with the square of the depth of unclosed tags: refuse, don't hang.
  const depth = htmlDepth(unsafe)
  if (depth > INPUT_LIMITS.htmlDepth) {
    throw new Error(
      `HTML elements are nested ${depth} deep; at most ${INPUT_LIMITS.htmlDepth} are allowed`,
    )
  }
  const html = sanitizeHtml(unsafe, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Their text would be script or style source, not prose: drop it with the tag.
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'iframe',
      'object',
      'svg',
      'math',
      'template',
    ],
    transformTags: { h1: 'h2', a: absolute('a', 'href'), img: absolute('img', 'src') },
    onOpenTag: (tag, attribs) => {
      const name = RENAMED[tag] ?? tag
      if (!ALLOWED_TAGS.includes(name)) removed.add(`<${tag}>`)
      else noteAttributes(name, attribs)
      if (tag === 'img' && !attribs.alt?.trim()) imagesWithoutAlt.push(attribs.src ?? '')
      for (const attribute of ['href', 'src']) {
        const value = attribs[attribute]?.trim().toLowerCase()
        if (value && /^[a-z][a-z0-9+.-]*:/.test(value) && !/^(https?|mailto):/.test(value)) {
          removed.add(`${value.split(':')[0]}: URL in ${attribute} on <${tag}>`)
        }
      }
    },
  })
  return { html: html.trim(), removed: [...removed], imagesWithoutAlt }
}
