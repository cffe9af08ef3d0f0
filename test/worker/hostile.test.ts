// A hostile article through HTTP in workerd: every text field full of what breaks XML and HTML
// (XML-forbidden characters, lone surrogates, `]]>`, entities, markup, bidi overrides) and a body
// of every XSS vector after the publish script's sanitiser (stored: workerd can't run it). Every feed stays well-formed and
// reads back as written; every page stays inert (no script, handler, or script URL anywhere).
import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeArticle } from '../support/articles'
import { child, childrenNamed, parseXml } from '../support/xml-tree'
import { HOSTILE_BODY_HTML } from '../security/hostile-body'
import { FEED_CONTENT_TAGS, scriptHazards } from '../security/inert-html'
import { escapeHtml } from '../../src/worker/render/feed'
import { xmlVisible } from '../security/xml-text'
import { listPath } from '../../src/model/urls'
import { get, seed } from './kv'

// Unpaired surrogates only where the schema allows them (id, HTML): it refuses them in text.
const NASTY = ' <script>alert(1)</script> ]]> ]]> &amp; &lt; \u0000\u0001\u000B\uFFFE\uFFFF \u202E\u2066 عربي "\' '
const SLUG = 'خبر-عدائي'
const ARTICLE_PATH = `/articles/${encodeURIComponent(SLUG)}`
const SECTION = `قسم${NASTY}`.trim()
const TAG = `وسم${NASTY}`.trim()
// The paths the pages link to (a lone surrogate becomes U+FFFD, as in any URL).
const SECTION_PATH = listPath({ kind: 'section', name: SECTION })
const TAG_PATH = listPath({ kind: 'tag', name: TAG })

const hostile = makeArticle({
  slug: SLUG,
  id: `tag:127.0.0.1,2026:${NASTY}\uD800 \uDC00`.trim(),
  title: `عنوان${NASTY}`.trim(),
  summary: `ملخص${NASTY}`.trim(),
  html: `${HOSTILE_BODY_HTML}<p>\uD800\u0000]]></p>`,
  section: SECTION,
  tags: [TAG],
  authors: [{ name: `كاتب${NASTY}`.trim(), url: 'https://example.com/?a=1&b="2"' }],
  image: {
    url: 'https://example.com/photo.jpg?a=1&b=<2>',
    alt: `صورة${NASTY}`.trim(),
    caption: `تعليق${NASTY}`.trim(),
    credit: `الفرنسية${NASTY}`.trim(),
    width: 800,
    height: 600,
  },
  publishedAt: '2024-11-21T10:00:00+03:00',
})

// Elements and attributes the page shell uses, besides an article body's.
const PAGE_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'link', 'body', 'header', 'nav', 'main', 'footer', 'section', 'article',
  'aside', 'h1', 'h2', 'h3', 'div', 'span', 'p', 'a', 'img', 'ol', 'ul', 'li', 'figure', 'figcaption', 'time',
  'bdi', 'em', 'strong', 'code', 'pre', 'blockquote', 'br', 'hr', 'del', 's', 'sub', 'sup', 'abbr', 'cite',
  'q', 'small', 'mark', 'bdo', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'h4', 'h5', 'h6', 'svg', 'path',
  'picture', 'source',
])
const PAGE_ATTRIBUTES = new Set([
  'href', 'src', 'alt', 'title', 'width', 'height', 'start', 'datetime', 'scope', 'colspan', 'rowspan',
  'hreflang', 'dir', 'lang', 'class', 'id', 'rel', 'type', 'name', 'content', 'property', 'charset',
  'aria-label', 'aria-labelledby', 'aria-current', 'aria-hidden', 'role', 'decoding', 'loading', 'media',
  'sizes', 'viewbox', 'd', 'fill', 'xmlns', 'focusable', 'srcset', 'fetchpriority',
])

/** The page with its one JSON-LD data block checked and taken out (it is data, not script). */
function withoutJsonLd(html: string): string {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)]
  for (const [, json] of blocks) expect(() => JSON.parse(json!)).not.toThrow()
  return html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')
}

describe('a hostile article through HTTP', () => {
  beforeAll(async () => {
    await seed([hostile, makeArticle({ publishedAt: '2024-11-20T10:00:00+03:00' })])
  })

  it('the sanitised body is inert before it is stored', () => {
    expect(scriptHazards(hostile.html)).toEqual([])
  })

  it.each(['/rss.xml', `${SECTION_PATH}/rss.xml`, `${TAG_PATH}/rss.xml`])(
    '%s is well-formed and reads back as written',
    async (path) => {
      const response = await SELF.fetch(get(path))
      expect(response.status).toBe(200)
      const channel = child(parseXml(await response.text()), 'channel')
      const item = childrenNamed(channel, 'item').find((each) => child(each, 'guid').text === xmlVisible(hostile.id))!
      expect(child(item, 'title').text).toBe(xmlVisible(hostile.title))
      // RSS readers take description as HTML: the summary arrives HTML-escaped, shown as written.
      expect(child(item, 'description').text).toBe(escapeHtml(xmlVisible(hostile.summary)))
      expect(child(item, 'dc:creator').text).toBe(xmlVisible(hostile.authors[0]!.name))
      expect(childrenNamed(item, 'category').map((each) => each.text)).toEqual([xmlVisible(SECTION), xmlVisible(TAG)])
      // The content is the stored, sanitised HTML: still inert after the round trip.
      expect(scriptHazards(child(item, 'content:encoded').text, { tags: FEED_CONTENT_TAGS })).toEqual([])
    },
  )

  it('Atom is well-formed and reads back as written', async () => {
    const response = await SELF.fetch(get('/atom.xml'))
    expect(response.status).toBe(200)
    const entry = childrenNamed(parseXml(await response.text()), 'entry').find((each) => child(each, 'id').text === xmlVisible(hostile.id))!
    expect(child(entry, 'title').attributes.type).toBe('text')
    expect(child(entry, 'title').text).toBe(xmlVisible(hostile.title))
    expect(child(entry, 'summary').text).toBe(xmlVisible(hostile.summary))
    expect(childrenNamed(entry, 'category').map((each) => each.attributes.term)).toEqual([xmlVisible(SECTION), xmlVisible(TAG)])
  })

  it('JSON Feed is valid JSON and reads back exactly', async () => {
    const response = await SELF.fetch(get('/feed.json'))
    expect(response.status).toBe(200)
    const feed = JSON.parse(await response.text())
    const item = feed.items.find((each: { id: string }) => each.id === hostile.id)
    expect(item.title).toBe(hostile.title)
    expect(item.summary).toBe(hostile.summary)
    expect(item.tags).toEqual([SECTION, TAG])
  })

  it.each([
    ['the article page', ARTICLE_PATH],
    ['the home page', '/'],
    ['the section page', SECTION_PATH],
    ['the tag page', TAG_PATH],
  ])('%s is inert: no script, no handler, no script URL', async (_, path) => {
    const response = await SELF.fetch(get(path))
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).toContain('عنوان')
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(scriptHazards(withoutJsonLd(html.slice('<!DOCTYPE html>'.length)), { tags: PAGE_TAGS, attributes: PAGE_ATTRIBUTES, base: 'http://127.0.0.1:8787/' })).toEqual([])
  })
})
