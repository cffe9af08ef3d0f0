// fast-check arbitraries for hostile content: text built from the characters and fragments that
// break feeds (XML-forbidden code points, lone surrogates, `]]>`, entities, markup, bidi controls)
// mixed with arbitrary Unicode, and stored articles the schema accepts made of that text.
import fc from 'fast-check'
import { StoredArticle } from '../../src/model/article'
import type { SiteConfig } from '../../src/model/site'

/** Fragments known to break XML, HTML or readers' layout, each a unit of hostile text. */
export const HOSTILE_FRAGMENTS = [
  // C0 controls XML 1.0 forbids, and the three it allows.
  '\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u000E', '\u001B', '\u001F', '\t', '\n', '\r', '\r\n',
  // Noncharacters and lone surrogates (XML 1.0 §2.2), and a valid pair for contrast.
  '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D\uDE00',
  // CDATA, comments and entities.
  ']]>', ']]>]]>', ']]', ']', '<![CDATA[', '<!--', '-->', '&amp;', '&lt;', '&#0;', '&#x0;', '&', '&;',
  '<', '>', '"', "'", '`',
  // Markup that must stay text.
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</title>', '</item>', '<?xml?>',
  'javascript:alert(1)',
  // Bidi controls (U+202A–U+202E, U+2066–U+2069) and marks.
  '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069',
  '\u200E', '\u200F', '\u061C',
  // Other oddities: C1 controls, line/paragraph separators, BOM, NBSP, combining marks, Arabic.
  '\u0085', '\u007F', '\u2028', '\u2029', '\uFEFF', '\u00A0', 'e\u0301', 'عربي', 'Ø',
] as const

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: anyCodeUnit },
)

/** Arbitrary hostile text, possibly empty or all whitespace. */
export const hostileText = (maxParts = 10) => fc.array(unit, { maxLength: maxParts }).map((parts) => parts.join(''))

/** Hostile text with something in it that trimming keeps (the schema's `text()` needs that). */
export const hostileNonEmpty = (maxParts = 10) =>
  fc
    .tuple(hostileText(maxParts), fc.constantFrom('x', 'خ', '<', '&', '\u0000', ']]>', '\uD800'), hostileText(maxParts))
    .map(([before, middle, after]) => before + middle + after)

const UNPAIRED_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Hostile text for the fields the schema's `text()` checks, which refuses unpaired surrogates:
 * they are removed here rather than filtered out (a filter would reject nearly every sample).
 * `id`, `language` and `html` keep them.
 */
export const editorText = (maxParts = 10) =>
  hostileNonEmpty(maxParts)
    .map((value) => value.replace(UNPAIRED_SURROGATES, ''))
    .filter((value) => value.trim().length > 0)

const slugLetter = fc.constantFrom('a', 'z', '0', '9', 'ا', 'ب', 'ة', 'é', 'ß', 'ж')
const slug = fc
  .array(fc.string({ unit: slugLetter, minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .map((runs) => runs.join('-'))

/** http(s) URLs the schema accepts, some with characters that need escaping in XML and HTML. */
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://example.com/a?x=1&y=2',
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/'><script>alert(1)</script>",
    'https://example.com/]]>',
    'http://example.com/%00%0d%0a',
  ),
)

const languageTag = fc.oneof(
  fc.constantFrom('ar', 'en', 'en-US', 'fa', 'he', 'ur', 'ar-EG', 'fr'),
  hostileNonEmpty(3),
)

// Dates between 1970 and 2100 written with a random offset, as editors write them.
const instant = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) })
const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 })

function isoWithOffset(time: number, offset: number): string {
  const local = new Date(time + offset * 60_000).toISOString().slice(0, 19)
  if (offset === 0) return `${local}Z`
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

const author = fc.record({ name: editorText(), url: fc.option(url, { nil: undefined }) }, { requiredKeys: ['name'] })

const image = fc.record(
  {
    url: url,
    alt: editorText(),
    caption: editorText(),
    credit: editorText(),
    width: fc.integer({ min: 1, max: 10_000 }),
    height: fc.integer({ min: 1, max: 10_000 }),
  },
  { requiredKeys: ['alt'] },
)

/** A stored article (as the schema outputs it) with hostile text in every text field. */
export const hostileArticle = fc
  .record({
    slug,
    id: hostileNonEmpty(),
    title: editorText(),
    summary: editorText(),
    // Feeds must stay well-formed whatever the HTML holds; it is sanitised at publish time.
    html: hostileText(20),
    published: instant,
    publishedOffset: offsetMinutes,
    updatedAfter: fc.option(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), { nil: undefined }),
    updatedOffset: offsetMinutes,
    language: languageTag,
    section: fc.option(editorText(), { nil: undefined }),
    tags: fc.array(editorText(4), { maxLength: 4 }),
    authors: fc.array(author, { maxLength: 3 }),
    image: fc.option(image, { nil: undefined }),
  })
  .map((raw) => {
    const input = {
      slug: raw.slug,
      id: raw.id,
      title: raw.title,
      summary: raw.summary,
      html: raw.html,
      publishedAt: isoWithOffset(raw.published, raw.publishedOffset),
      updatedAt:
        raw.updatedAfter === undefined
          ? undefined
          : isoWithOffset(raw.published + raw.updatedAfter, raw.updatedOffset),
      language: raw.language,
      section: raw.section,
      tags: raw.tags,
      authors: raw.authors,
      image: raw.image,
    }
    return StoredArticle.safeParse(input)
  })
  .filter((result) => result.success)
  .map((result) => result.data!)

/** Site settings with hostile title, description and rights (the operator's text, still escaped). */
export const hostileSite = fc
  .record({ title: hostileNonEmpty(), description: hostileNonEmpty(), rights: hostileText() })
  .map(
    (text): SiteConfig => ({
      url: 'http://127.0.0.1:8787',
      language: 'ar',
      timeZone: 'Asia/Jerusalem',
      feedSize: 20,
      hubs: ['https://pubsubhubbub.appspot.com/'],
      edgeCache: false,
      ...text,
    }),
  )
