// Step 5 (renderers): the one XML escaper. Every piece of text or attribute in RSS and Atom goes
// through `xml()`, which also drops what XML 1.0 forbids, so no article can make a feed ill-formed.

// XML 1.0 §2.2 Char: no C0 controls but tab/LF/CR, no U+FFFE/U+FFFF, no unpaired surrogates.
const ESCAPE_OR_DROP =
  /[&<>"'\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

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
