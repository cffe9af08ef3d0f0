// The footer under each article's feed content: its links and rights line are remembered per site
// settings object (src/worker/render/feed.ts), so these check that what is remembered for one
// settings object, list name or language never shows under another.
import { describe, expect, it } from 'vitest'
import type { SiteConfig } from '../../src/model/site'
import { feedContentHtml } from '../../src/worker/render/feed'
import { makeArticle } from '../support/articles'

const siteAt = (url: string, rights: string): SiteConfig => ({
  url,
  title: 'صحيفة',
  description: 'أخبار',
  language: 'ar',
  rights,
  timeZone: 'Asia/Jerusalem',
  feedSize: 20,
  hubs: [],
  edgeCache: false,
})
const NOW = Date.parse('2030-01-01T00:00:00Z')
const article = makeArticle({ section: 'سياسة', tags: ['العراق', 'R&D'], authors: [{ name: 'سلمى' }, { name: 'Ali', url: 'https://ali.example/?a=1&b=2' }] })

describe('feed content footer', () => {
  it('links each section, tag and author under the site it is rendered for', () => {
    const first = feedContentHtml(article, { site: siteAt('https://one.example', 'حقوق أ'), now: NOW })
    const second = feedContentHtml(article, { site: siteAt('https://two.example', 'حقوق ب'), now: NOW })
    for (const [html, origin] of [[first, 'https://one.example'], [second, 'https://two.example']] as const) {
      expect(html).toContain(`<a href="${origin}/sections/${encodeURIComponent('سياسة')}">سياسة</a>`)
      expect(html).toContain(`<a href="${origin}/tags/${encodeURIComponent('العراق')}">العراق</a>`)
      expect(html).toContain(`<a href="${origin}/tags/r%26d">R&amp;D</a>`)
      expect(html).toContain(`<a href="${origin}/authors/${encodeURIComponent('سلمى')}">سلمى</a>`)
      expect(html).toContain('<a href="https://ali.example/?a=1&amp;b=2">Ali</a>')
    }
    expect(first).toContain('<small>حقوق أ</small>')
    expect(second).toContain('<small>حقوق ب</small>')
  })

  it('tells a tag from a section or an author of the same name', () => {
    const same = makeArticle({ section: 'رياضة', tags: ['رياضة'], authors: [{ name: 'رياضة' }] })
    const html = feedContentHtml(same, { site: siteAt('https://one.example', ''), now: NOW })
    for (const folder of ['sections', 'tags', 'authors'])
      expect(html).toContain(`<a href="https://one.example/${folder}/${encodeURIComponent('رياضة')}">رياضة</a>`)
  })

  it('marks the rights line with the site language only under articles in another language', () => {
    const site = siteAt('https://one.example', 'All rights reserved')
    const arabic = feedContentHtml(makeArticle({ language: 'ar' }), { site, now: NOW })
    const english = feedContentHtml(makeArticle({ language: 'en' }), { site, now: NOW })
    expect(arabic).toContain('<small>All rights reserved</small>')
    expect(english).toContain('<small lang="ar" dir="rtl">All rights reserved</small>')
    expect(feedContentHtml(makeArticle({ language: 'ar' }), { site, now: NOW })).toContain('<small>All rights reserved</small>')
  })
})
