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
  it('is a valid draft article file', () => {
    const text = scaffoldArticle(
      'خبر-جديد',
      new Date('2026-11-24T06:00:00Z'),
      '../schema/article.schema.json',
    )
    const parsed = parseArticleFile('articles/خبر-جديد.json', text)
    expect(parsed.problems).toEqual([])
    expect(parsed.source).toMatchObject({ slug: 'خبر-جديد', draft: true })
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
