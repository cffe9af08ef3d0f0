// Characters that no text Sahifa stores or serves may carry, named once: the article schema
// refuses unpaired surrogates, the XML escaper drops them with the rest of what XML 1.0 forbids.

/** A UTF-16 surrogate without its other half: no UTF-8 can carry it (only a `\ud800` JSON escape makes one). */
export const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** XML 1.0 §2.2 Char: no C0 controls but tab, LF and CR, and neither U+FFFE nor U+FFFF. */
export const XML_FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/
