// XSS at publish time: every OWASP filter-evasion vector, SVG/MathML and mutation-XSS trick and
// Markdown link form goes through the publish script's Markdown renderer and sanitiser
// (src/publish/render-markdown.ts) and comes out inert, checked by an independent tokenizer. Pages and feeds
// only ever carry this sanitised HTML (the workerd and Chromium tests check what is served).
import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderBody } from '../../src/publish/render-markdown'
import { HOSTILE_BODY_HTML } from './hostile-body'
import { scriptHazards } from './inert-html'
import { ALL_VECTORS, MARKDOWN_VECTORS, OWASP_VECTORS } from './xss-vectors'

const BASE = 'http://127.0.0.1:8787/articles/hostile'

const HOSTILE_BODY_FILE_HEADER = `// Every vector in xss-vectors.ts after the publish script's Markdown renderer and sanitiser
// (base http://127.0.0.1:8787/articles/hostile), stored because workerd cannot load sanitize-html.
// xss.test.ts fails when this goes stale; regenerate with UPDATE_HOSTILE_BODY=1 npm run test:node.
`

describe('the checker itself', () => {
  it.each([
    ['<script>alert(1)</script>', '<script>'],
    ['<img src="x" onerror="alert(1)">', 'onerror on <img>'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', 'href="jav&#x09;ascript:alert(1)" on <a>'],
    ['<a href=" javascript:alert(1)">x</a>', 'href=" javascript:alert(1)" on <a>'],
    ['<img src="data:image/png;base64,AA==">', 'src="data:image/png;base64,AA==" on <img>'],
    ['<p style="color:red">x</p>', 'style on <p>'],
    ['<svg onload=alert(1)>', '"<" that does not open a well-formed tag: "<svg onload=alert(1)>"'],
  ])('flags %s', (html, hazard) => {
    expect(scriptHazards(html)).toContain(hazard)
  })

  it('passes plain sanitised HTML', () => {
    expect(scriptHazards('<p dir="rtl">نص <a href="https://example.com/?a=1&amp;b=2">رابط</a></p>')).toEqual([])
  })
})

describe('renderBody removes every XSS vector', () => {
  it.each(OWASP_VECTORS.map((vector) => [vector]))('OWASP: %s', (vector) => {
    expect(scriptHazards(renderBody(vector, BASE).html)).toEqual([])
  })

  it.each(MARKDOWN_VECTORS.map((vector) => [vector]))('Markdown: %s', (vector) => {
    expect(scriptHazards(renderBody(vector, BASE).html)).toEqual([])
  })

  it('all vectors in one body, inside Arabic prose and lists, stay inert', () => {
    const body = ALL_VECTORS.map((vector, i) => `فقرة ${i}\n\n${vector}\n\n- بند ${i}`).join('\n\n')
    const { html, removed } = renderBody(body, BASE)
    expect(scriptHazards(html)).toEqual([])
    // Reported to the editor, not silently dropped.
    expect(removed.map((finding) => finding.what)).toEqual(expect.arrayContaining(['<script>', 'onerror on <img>', 'javascript: URL in href on <a>']))
  })

  it('the stored hostile body the workerd tests serve is current and inert', () => {
    const { html } = renderBody(ALL_VECTORS.join('\n\n'), BASE)
    if (process.env.UPDATE_HOSTILE_BODY) {
      const header = HOSTILE_BODY_FILE_HEADER
      writeFileSync(new URL('./hostile-body.ts', import.meta.url), `${header}export const HOSTILE_BODY_HTML = ${JSON.stringify(html)}\n`)
    } else {
      expect(html, 'stale: run UPDATE_HOSTILE_BODY=1 npm run test:node').toBe(HOSTILE_BODY_HTML)
    }
    expect(scriptHazards(HOSTILE_BODY_HTML)).toEqual([])
  })

  it('keeps the safe content of a hostile body: prose, links, images', () => {
    const { html } = renderBody(
      'نص **مهم** [رابط](https://example.com/a?b=1&c=2)\n\n![صورة](/img.png)\n\n<a href="https://example.com/" onclick="alert(1)">x</a>',
      BASE,
    )
    expect(html).toContain('<strong>مهم</strong>')
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2">رابط</a>')
    expect(html).toContain('<img src="http://127.0.0.1:8787/img.png" alt="صورة" />')
    expect(html).toContain('<a href="https://example.com/">x</a>')
  })
})

// Fragments of HTML and Markdown that, recombined at random, make new filter-evasion attempts.
const FRAGMENTS = [
  '<', '>', '</', '/>', '"', "'", '`', '=', ' ', '\t', '\n', '\u0000', '&#', '&#x', ';', '&colon;',
  '&Tab;', '&NewLine;', '&lt;', '&gt;', '&quot;', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>',
  'script', 'SCRIPT', 'img', 'svg', 'math', 'style', 'iframe', 'object', 'embed', 'a', 'p', 'noscript',
  'template', 'textarea', 'title', 'xmp', 'mglyph', 'mtext', 'table', 'form', 'base', 'meta', 'link',
  'src', 'href', 'xlink:href', 'srcset', 'onerror', 'onload', 'onclick', 'ONMOUSEOVER', 'style',
  'formaction', 'action', 'data', 'javascript:', 'JaVaScRiPt:', 'java\tscript:', 'data:', 'vbscript:',
  'jav&#x09;ascript:', '&#106;avascript:', 'alert(1)', 'x', 'https://example.com/', '//evil.example/',
  '[', ']', '(', ')', '![', '](', '*', '#', '`', '```', '> ', '- ', '\\',
]

describe('renderBody on random recombinations of attack fragments', () => {
  it('never produces HTML that could run script', () => {
    const attack = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(attack, (source) => {
        expect(scriptHazards(renderBody(source, BASE).html)).toEqual([])
      }),
      { numRuns: 2000 },
    )
  })
})
