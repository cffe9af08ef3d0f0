// Request step 5 (views): what every HTML page shares outside its layout — the document string,
// and text isolated for places that take no markup.

/**
 * Text that may be in any direction, isolated for places that take no markup (<title>): FSI … PDI
 * (U+2068, U+2069), so a bidi override in an article title cannot reorder what follows it.
 */
export const isolate = (text: string) => `\u2068${text}\u2069`

/** A page as an HTML document string. */
export const renderPage = (page: { toString(): string }) => `<!DOCTYPE html>${page.toString()}`
