// Publish step 4: article Markdown (CommonMark) → HTML, sanitised by an allow-list. The worker
// never parses Markdown; it inserts this HTML as-is, so everything unsafe is removed here. What was
// removed, images without alt text and every link come back with where the body has them.
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'
import { scanBody, trackInlinePositions, type BodyElement } from './body-scan'
import { htmlDepth, INPUT_LIMITS } from './input-limits'

// CommonMark exactly, raw HTML allowed in the source (the sanitiser decides what survives).
const markdown = new MarkdownIt('commonmark', { html: true })
trackInlinePositions(markdown)

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

/** Something found in a body, at its offset there (absent only when no element could be placed). */
export interface BodyFinding {
  what: string
  offset?: number
}

/** A link (`a`) or image (`img`) of a body, its URL as written. */
export interface BodyLink {
  tag: 'a' | 'img'
  url: string
  offset: number
}

export interface RenderedBody {
  html: string
  /** What the sanitiser removed, e.g. `<script>`, `onclick on <a>`, `javascript: URL on <a>`. */
  removed: BodyFinding[]
  /** `src` of each image without alt text (readers of screen readers and feeds need one). */
  imagesWithoutAlt: BodyFinding[]
  links: BodyLink[]
}

/** renderBody, or a cache in front of it (which loads the Markdown libraries only on a miss). */
export type RenderBody = (source: string, baseUrl: string) => RenderedBody | Promise<RenderedBody>

/** Tag names the sanitiser converts rather than removes. */
const RENAMED: Record<string, string> = { h1: 'h2' }

/** What the allow-list removes from one opening tag: the tag, attributes, URLs of other schemes. */
function removalsOf(tag: string, attribs: Record<string, string>, baseUrl: string): string[] {
  const removals: string[] = []
  const name = RENAMED[tag] ?? tag
  if (!ALLOWED_TAGS.includes(name)) removals.push(`<${tag}>`)
  else {
    const allowed = new Set([...(ALLOWED_ATTRIBUTES[name] ?? []), ...ALLOWED_ATTRIBUTES['*']!])
    for (const attribute of Object.keys(attribs)) {
      if (!allowed.has(attribute)) removals.push(`${attribute} on <${name}>`)
    }
  }
  for (const attribute of ['href', 'src']) {
    const value = attribs[attribute]?.trim().toLowerCase()
    if (value && /^[a-z][a-z0-9+.-]*:/.test(value) && !/^(https?|mailto):/.test(value)) {
      removals.push(`${value.split(':')[0]}: URL in ${attribute} on <${tag}>`)
    } else if (attribs[attribute] !== undefined && URL_ATTRIBUTES[tag] === attribute) {
      try {
        new URL(attribs[attribute]!, baseUrl)
      } catch {
        removals.push(`unparseable URL in ${attribute} on <${tag}>`)
      }
    }
  }
  return removals
}

/** The URL attribute of the tags whose URLs resolve against the article's (transformTags below). */
const URL_ATTRIBUTES: Record<string, string> = { a: 'href', img: 'src' }

/**
 * `found` (each with its place) as far as `truth` (what the sanitiser itself saw, with repeats)
 * confirms it, then whatever of `truth` could not be placed. The sanitiser decides; the scan of
 * the source only says where.
 */
function confirmed(found: readonly BodyFinding[], truth: readonly string[]): BodyFinding[] {
  const left = new Map<string, number>()
  for (const what of truth) left.set(what, (left.get(what) ?? 0) + 1)
  const placed = found.filter(({ what }) => {
    const count = left.get(what) ?? 0
    if (count === 0) return false
    left.set(what, count - 1)
    return true
  })
  const unplaced = [...left].flatMap(([what, count]) =>
    Array.from({ length: count }, () => ({ what })),
  )
  return [...placed, ...unplaced]
}

/** Each distinct finding once, at its first place (the report names it where it first occurs). */
const firstOfEach = (findings: readonly BodyFinding[]) => {
  const seen = new Set<string>()
  return findings.filter(({ what }) => !seen.has(what) && (seen.add(what), true))
}

function findingsOf(elements: readonly BodyElement[], baseUrl: string) {
  const removed: BodyFinding[] = []
  const imagesWithoutAlt: BodyFinding[] = []
  const links: BodyLink[] = []
  for (const { tag, attribs, offset } of elements) {
    for (const what of removalsOf(tag, attribs, baseUrl)) removed.push({ what, offset })
    if (tag === 'img' && !attribs.alt?.trim())
      imagesWithoutAlt.push({ what: attribs.src ?? '', offset })
    const url = tag === 'a' ? attribs.href : tag === 'img' ? attribs.src : undefined
    if (url !== undefined && (tag === 'a' || tag === 'img')) links.push({ tag, url, offset })
  }
  return { removed, imagesWithoutAlt, links }
}

/**
 * Markdown to sanitised HTML. Relative links and images resolve against `baseUrl`, so feeds carry
 * absolute URLs only (the article page's own URL is the base).
 */
export function renderBody(source: string, baseUrl: string): RenderedBody {
  const removed: string[] = []
  const imagesWithoutAlt: string[] = []
  const absolute = (attribute: string) =>
    ((tagName: string, attribs: Record<string, string>) => {
      const value = attribs[attribute]
      if (value !== undefined) {
        try {
          attribs[attribute] = new URL(value, baseUrl).href
        } catch {
          delete attribs[attribute]
        }
      }
      return { tagName, attribs }
    }) satisfies sanitizeHtml.Transformer

  const env = {}
  const tokens = markdown.parse(source, env)
  const unsafe = markdown.renderer.render(tokens, markdown.options, env)
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
    transformTags: { h1: 'h2', a: absolute('href'), img: absolute('src') },
    onOpenTag: (tag, attribs) => {
      removed.push(...removalsOf(tag, attribs, baseUrl))
      if (tag === 'img' && !attribs.alt?.trim()) imagesWithoutAlt.push(attribs.src ?? '')
    },
  })
  const found = findingsOf(scanBody(tokens, source), baseUrl)
  return {
    html: html.trim(),
    removed: firstOfEach(confirmed(found.removed, removed)),
    imagesWithoutAlt: confirmed(found.imagesWithoutAlt, imagesWithoutAlt),
    links: found.links,
  }
}
