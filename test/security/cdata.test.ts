// cdata(), the CDATA section article HTML goes into in RSS and Atom: a clean body is wrapped as it
// is, and whatever a CDATA section cannot carry — `]]>`, CR, what XML 1.0 forbids, lone surrogates
// — is handled, alone or together, so that a strict parser reads back exactly the visible text.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cdata } from '../../src/worker/render/xml'
import { parseXml } from '../support/xml-tree'
import { xmlVisible } from './xml-text'

/** What a strict XML parser reads from `section` as an element's content. */
const readBack = (section: string) => parseXml(`<x>${section}</x>`).text

describe('cdata', () => {
  it('wraps clean text, Arabic, markup, tabs, LFs and surrogate pairs as they are', () => {
    const text = '<p dir="rtl">خبر &amp; تقرير\t😀</p>\n<p>]] > ]></p>'
    expect(cdata(text)).toBe(`<![CDATA[${text}]]>`)
  })

  it('splits ]]> across two sections', () => {
    expect(cdata('a]]>b]]>')).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>')
  })

  it('carries a CR as a reference between two sections, so it is not read as LF', () => {
    expect(cdata('a\r\nb')).toBe('<![CDATA[a]]>&#13;<![CDATA[\nb]]>')
    expect(readBack(cdata('a\r\nb'))).toBe('a\r\nb')
  })

  it('drops the characters XML 1.0 forbids and lone surrogates, keeping pairs', () => {
    expect(cdata('a\u0000\u0008\u000B\u000C\u001F\uFFFE\uFFFFb')).toBe('<![CDATA[ab]]>')
    expect(cdata('\uD800x😀\uDC00y\uDBFF')).toBe('<![CDATA[x😀y]]>')
  })

  it('finds the ]]> that dropping a forbidden character makes', () => {
    expect(cdata(']]\u0001>')).toBe('<![CDATA[]]]]><![CDATA[>]]>')
    expect(readBack(cdata(']]\uD800>'))).toBe(']]>')
  })

  it('reads back as the visible text for any mix of what it must handle', () => {
    const unit = fc.oneof(
      fc.constantFrom(']', '>', ']]>', '\r', '\n', '\t', '\u0000', '\u000B', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', 'ع', '😀'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    )
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(readBack(cdata(text))).toBe(xmlVisible(text))
      }),
      { numRuns: 2000 },
    )
  })
})
