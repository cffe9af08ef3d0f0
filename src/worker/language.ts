// Language → writing direction and human-readable dates, for pages and feed content.

// ISO 15924 scripts written right to left that Unicode and CLDR know.
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Samr', 'Mand'])

const directionCache = new Map<string, 'rtl' | 'ltr'>()

/** `rtl` for languages whose likely script is right-to-left (ar, he, fa, ur, ku-Arab …). */
export function textDirection(language: string): 'rtl' | 'ltr' {
  let direction = directionCache.get(language)
  if (!direction) {
    let script: string | undefined
    try {
      script = new Intl.Locale(language).maximize().script
    } catch {
      script = undefined
    }
    direction = script && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr'
    directionCache.set(language, direction)
  }
  return direction
}

const dateFormatCache = new Map<string, Intl.DateTimeFormat>()

/**
 * A date as a reader of `language` writes it, e.g. «20 نوفمبر 2024». Digits are always Western
 * Arabic (`nu-latn`), as the major Arabic news sites print them, whatever the ICU default is.
 */
export function formatDate(iso: string, language: string, timeZone: string): string {
  const cacheKey = `${language}|${timeZone}`
  let format = dateFormatCache.get(cacheKey)
  if (!format) {
    let locale: Intl.Locale
    try {
      locale = new Intl.Locale(language, { numberingSystem: 'latn', calendar: 'gregory' })
    } catch {
      locale = new Intl.Locale('en', { numberingSystem: 'latn', calendar: 'gregory' })
    }
    format = new Intl.DateTimeFormat(locale.toString(), { dateStyle: 'long', timeZone })
    dateFormatCache.set(cacheKey, format)
  }
  return format.format(new Date(iso))
}

/** RFC 3339 in UTC (`2024-11-20T05:30:00Z`), the form Atom, JSON Feed and `<time>` want. */
export const rfc3339 = (iso: string) => new Date(iso).toISOString().replace('.000Z', 'Z')

/** RFC 822 as RSS 2.0 wants it, always in GMT (`Wed, 20 Nov 2024 05:30:00 GMT`). */
export const rfc822 = (iso: string) => new Date(iso).toUTCString()


/** How `language` joins names («أ وب», "A, B and C"); English's way when Intl refuses the tag. */
function conjunctionFormat(language: string): Intl.ListFormat {
  try {
    return new Intl.ListFormat(language, { type: 'conjunction' })
  } catch {
    return new Intl.ListFormat('en', { type: 'conjunction' })
  }
}

export type ListPart = { type: 'element'; index: number } | { type: 'literal'; value: string }

const listPatternCache = new Map<string, readonly ListPart[]>()

/**
 * How `language` joins `count` names, as parts: each name's place (its index) and the words
 * between. Intl formats placeholders, never the names, so the pattern depends on the language and
 * the count alone (no name can pick a contextual form, such as Spanish «y»/«e») and is worked out
 * once: formatToParts costs microseconds, and a feed page joins two lists for each of its items.
 */
export function conjunctionPattern(language: string, count: number): readonly ListPart[] {
  const cacheKey = `${language}|${count}`
  let pattern = listPatternCache.get(cacheKey)
  if (!pattern) {
    const placeholders = Array.from({ length: count }, (_, i) => String(i))
    pattern = conjunctionFormat(language)
      .formatToParts(placeholders)
      .map((part): ListPart => (part.type === 'element' ? { type: 'element', index: Number(part.value) } : { type: 'literal', value: part.value }))
    listPatternCache.set(cacheKey, pattern)
  }
  return pattern
}
