// articles:new's scaffold: valid as written, dated with the machine's offset, a draft.
import { afterEach, describe, expect, it } from 'vitest'
import { parseArticleFile } from '../../src/publish/parse-article'
import { isoWithOffset, scaffoldArticle } from '../../src/publish/article-scaffold'

const zone = process.env.TZ
afterEach(() => {
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

describe('scaffoldArticle', () => {
  it.each(['.md', '.json'] as const)('is a valid draft article file (%s)', (format) => {
    const text = scaffoldArticle(
      'خبر-جديد',
      new Date('2026-11-24T06:00:00Z'),
      format,
      '../schema/article.schema.json',
    )
    const parsed = parseArticleFile(`articles/خبر-جديد${format}`, text)
    expect(parsed.problems).toEqual([])
    expect(parsed.source).toMatchObject({ slug: 'خبر-جديد', draft: true })
  })

  it('writes a .md file as front matter between --- lines, then the body', () => {
    const text = scaffoldArticle('x', new Date('2026-11-24T06:00:00Z'), '.md', '')
    expect(text).toMatch(
      /^---\nslug: x\ntitle: عنوان المقال\n[^]*\ndraft: true\n---\n\nالفقرة الأولى/,
    )
  })

  it('dates it in the local time zone with its offset', () => {
    const instant = new Date('2026-11-24T06:05:09Z')
    process.env.TZ = 'Asia/Jerusalem'
    expect(isoWithOffset(instant)).toBe('2026-11-24T08:05:09+02:00')
    process.env.TZ = 'America/St_Johns'
    expect(isoWithOffset(instant)).toBe('2026-11-24T02:35:09-03:30')
    process.env.TZ = 'UTC'
    expect(isoWithOffset(instant)).toBe('2026-11-24T06:05:09+00:00')
  })
})
