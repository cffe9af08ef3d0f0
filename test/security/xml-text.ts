// The test oracle for feed text, written independently of src/worker/render/xml.ts: what a reader of an
// XML feed should see for a piece of text — the text minus the code points XML 1.0 forbids.

/**
 * `text` without what XML 1.0 §2.2 `Char` excludes: C0 controls other than tab, LF and CR,
 * unpaired surrogates, U+FFFE and U+FFFF. Everything else (bidi controls included) is kept.
 */
export function xmlVisible(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text.slice(i, i + 2)
        i++
      }
      continue
    }
    if (code >= 0xdc00 && code <= 0xdfff) continue
    if (code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xfffd)) out += text[i]
  }
  return out
}
