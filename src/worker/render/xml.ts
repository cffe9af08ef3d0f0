// Request step 5 (renderers): the one XML escaper. Every piece of text or attribute in RSS and
// Atom goes through `xml()` (or, for article HTML, `cdata()`), which also drop what XML 1.0
// forbids, so no article can make a feed ill-formed.
import { UNPAIRED_SURROGATE, XML_FORBIDDEN_CONTROL } from '../../model/unicode'

/** What XML 1.0 §2.2 does not allow in a document: dropped. */
const FORBIDDEN_SOURCE = `${XML_FORBIDDEN_CONTROL.source}|${UNPAIRED_SURROGATE.source}`
const ESCAPE_OR_DROP = new RegExp(`[&<>"'\\r]|${FORBIDDEN_SOURCE}`, 'g')

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // XML 1.0 §2.11: a literal CR reaches the reader as LF; a reference keeps it.
  '\r': '&#13;',
}

/** Text or attribute value, escaped and stripped of characters XML 1.0 does not allow. */
export const xml = (text: string) => text.replace(ESCAPE_OR_DROP, (char) => ENTITIES[char] ?? '')

/**
 * Plain text in RSS, where readers disagree on whether an element is text or HTML: `&`, `<` and
 * `>` as hexadecimal character references, the encoding the RSS Advisory Board's Best Practices
 * Profile recommends because it reads back literally in the widest range of aggregators
 * (Universal Feed Parser then takes a title as text/plain, not as markup).
 */
const HEX_REFERENCES: Record<string, string> = { ...ENTITIES, '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;' }
export const rssText = (text: string) => text.replace(ESCAPE_OR_DROP, (char) => HEX_REFERENCES[char] ?? '')

const FORBIDDEN = new RegExp(FORBIDDEN_SOURCE, 'g')
/**
 * Text with no character CDATA must handle but surrogates: none XML 1.0 forbids (the C0 controls
 * but tab and LF, U+FFFE, U+FFFF) and no CR. One regex pass over the whole string: a regex that
 * searches for any of them (as FORBIDDEN does, with the surrogates) costs twice as much, in workerd,
 * on a two-byte 5 KB body.
 */
const WITHOUT_CONTROLS = /^[^\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]*$/

/**
 * Large text (article HTML) as a CDATA section: no per-character escaping, so a 5 KB body costs
 * one scan instead of a rewrite. What CDATA cannot carry is handled by closing and reopening the
 * section: `]]>` becomes `]]]]><![CDATA[>` and a CR becomes the reference `&#13;` between two
 * sections (XML 1.0 §2.7, §2.11). Forbidden characters are dropped, as in `xml()` — before `]]>`
 * is looked for, since dropping one can make one.
 */
export function cdata(text: string): string {
  // The common case, clean text, in one regex pass and two native scans (isWellFormed: no lone surrogate).
  if (WITHOUT_CONTROLS.test(text) && text.isWellFormed() && !text.includes(']]>')) return `<![CDATA[${text}]]>`
  const safe = text
    .replace(FORBIDDEN, '')
    .replaceAll(']]>', ']]]]><![CDATA[>')
    .replaceAll('\r', ']]>&#13;<![CDATA[')
  return `<![CDATA[${safe}]]>`
}

/** `<name>text</name>` with the text escaped. */
export const element = (name: string, text: string) => `<${name}>${xml(text)}</${name}>`

// XML 1.0 §3.3.3: a literal tab or LF in an attribute value reaches the reader as a space.
const ATTRIBUTE_WHITESPACE: Record<string, string> = { '\t': '&#9;', '\n': '&#10;' }

/** An attribute value: as `xml()`, with tab and LF as references so they survive normalisation. */
export const xmlAttribute = (text: string) =>
  xml(text).replace(/[\t\n]/g, (char) => ATTRIBUTE_WHITESPACE[char]!)

/** Attributes from a record, skipping undefined values: ` a="1" b="2"`. */
export function attributes(values: Record<string, string | number | undefined>): string {
  let out = ''
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out += ` ${name}="${xmlAttribute(String(value))}"`
  }
  return out
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
