// Model (shared with the publisher): the one escaper for HTML built as a string — feed content
// (src/worker/render/feed.ts) and the responsive photo markup the publish writes into article
// bodies (picture.ts). Pages are JSX, which escapes by itself.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text as HTML (element text or a quoted attribute value). */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!)
