// The page views rendered to strings: pure props in, HTML out — list, 410, related articles,
// share tags and JSON-LD, bidi isolation, and nothing a strict CSP would block.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { RelatedArticle, StoredArticle } from '../../src/model/article'
import { parseSiteConfig } from '../../src/model/site'
import { ArticlePage } from '../../src/worker/views/ArticlePage'
import { renderPage } from '../../src/worker/views/document'
import { HomePage, ListPage } from '../../src/worker/views/ListPage'
import { GonePage, MessagePage } from '../../src/worker/views/MessagePage'
import { mastheadSections } from '../../src/worker/views/sections'
import { ogLocale } from '../../src/worker/views/share'
import { contentHash } from '../../src/model/hash'
import { STYLESHEET_PATH } from '../../src/worker/views/stylesheet'
import { makeArticle } from '../support/articles'

const site = parseSiteConfig(env)
const NOW = Date.parse('2024-12-01T00:00:00Z')
const feeds = [{ title: 'صحيفة (RSS)', href: 'http://127.0.0.1:8787/rss.xml', type: 'application/rss+xml' }]
const paging = (page: number, pageCount: number) => ({
  page,
  pageCount,
  pathOf: (n: number) => (n > 1 ? `/tags/x?page=${n}` : '/tags/x'),
})

function articlePage(article: StoredArticle, latest: StoredArticle[] = [], related: RelatedArticle[] = []) {
  return renderPage(
    <ArticlePage
      site={site}
      article={article}
      canonical={`http://127.0.0.1:8787/articles/${article.slug}`}
      feeds={feeds}
      latest={latest}
      related={related}
      now={NOW}
      sections={['سياسة', 'Technology']}
    />,
  )
}

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map(
    (match) => JSON.parse(match[1]!) as Record<string, unknown>,
  )
}

describe('ListPage', () => {
  const articles = [makeArticle({ title: 'أول' }), makeArticle({ title: 'ثان' })]

  it('isolates a Latin section name in the Arabic heading and marks its nav link current', () => {
    const html = renderPage(
      <ListPage
        site={site}
        title="صحيفة — Technology"
        heading="Technology"
        canonical="http://127.0.0.1:8787/sections/technology"
        feeds={feeds}
        articles={articles}
        paging={paging(1, 1)}
        sections={['Technology', 'سياسة']}
      />,
    )
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/)
    expect(html).toContain('<title>صحيفة — Technology</title>')
    expect(html).toContain('<h1 id="list-heading" class="section-heading"><bdi>Technology</bdi></h1>')
    expect(html).toContain('<a href="/sections/technology" dir="auto" aria-current="page">Technology</a>')
    expect(html).toContain('<li class="teaser lead-story" lang="ar" dir="rtl">')
    expect(html).not.toContain('<nav class="pagination"')
  })

  it('links newer and older pages, says which page of how many, and leads with no story after page 1', () => {
    const html = renderPage(
      <ListPage
        site={site}
        title="t"
        heading="عينة"
        canonical="http://127.0.0.1:8787/tags/x?page=2"
        feeds={feeds}
        articles={articles}
        paging={paging(2, 3)}
      />,
    )
    expect(html).toContain('<a rel="prev" href="/tags/x">الأحدث</a>')
    expect(html).toContain('<a rel="next" href="/tags/x?page=3">الأقدم</a>')
    expect(html).toContain('<span>صفحة 2 من 3</span>')
    expect(html).not.toContain('lead-story')
  })

  it('says so when the list is empty', () => {
    const html = renderPage(
      <ListPage site={site} title="t" heading="h" canonical="c" feeds={feeds} articles={[]} paging={paging(1, 1)} />,
    )
    expect(html).toContain('<p class="empty">لا توجد مقالات بعد.</p>')
  })
})

describe('GonePage', () => {
  it('names the withdrawn article, isolated, with the date it was withdrawn', () => {
    const html = renderPage(
      <GonePage
        site={site}
        canonical="http://127.0.0.1:8787/articles/old"
        feeds={feeds}
        gone={{ slug: 'old', title: 'An old story', removedAt: '2024-11-25T10:00:00Z' }}
      />,
    )
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/)
    expect(html).toContain('<h1 id="message-heading">سُحب هذا المقال</h1>')
    expect(html).toContain('<p class="withdrawn-title"><bdi>An old story</bdi></p>')
    expect(html).toContain('سُحب في <time datetime="2024-11-25T10:00:00Z">25 نوفمبر 2024</time>')
    expect(html).toContain('<a href="/">العودة إلى الصفحة الرئيسية</a>')
  })
})

describe('ArticlePage', () => {
  it('links related articles already published at `now`, not scheduled ones', () => {
    const html = articlePage(makeArticle(), [], [
      { slug: 'earlier', title: 'Earlier story', language: 'en', publishedAt: '2024-11-01T00:00:00Z' },
      { slug: 'scheduled', title: 'SCHEDULED', language: 'ar', publishedAt: '2025-01-01T00:00:00Z' },
    ])
    expect(html).toContain('<h2 id="related-heading" class="section-heading">مقالات ذات صلة</h2>')
    expect(html).toContain('<li lang="en" dir="ltr"><a href="/articles/earlier">Earlier story</a>')
    expect(html).not.toContain('SCHEDULED')
  })

  it('leaves the related section out when nothing related is published', () => {
    expect(articlePage(makeArticle(), [], [])).not.toContain('related-heading')
  })

  it('puts main and the latest-news aside side by side, not one inside the other', () => {
    const html = articlePage(makeArticle(), [makeArticle({ title: 'آخر' })])
    expect(html).toMatch(/<\/main><aside class="aside" aria-labelledby="latest-heading">/)
  })

  it('writes an English byline in English and keeps Arabic tags isolated in the LTR page', () => {
    const html = articlePage(
      makeArticle({
        language: 'en',
        title: 'English',
        authors: [{ name: 'Sahifa Desk', url: 'https://example.com/desk' }, { name: 'سلمى' }],
        tags: ['عينة'],
      }),
    )
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en" dir="ltr">/)
    expect(html).toContain(
      '<span>By <bdi><a href="/authors/sahifa%20desk" rel="author">Sahifa Desk</a></bdi> and <bdi><a href="/authors/%D8%B3%D9%84%D9%85%D9%89" rel="author">سلمى</a></bdi></span>',
    )
    expect(html).toContain('<ul class="tags" aria-label="Tags"><li><a href="/tags/%D8%B9%D9%8A%D9%86%D8%A9" dir="auto">عينة</a>')
    expect(html).toContain('<aside class="aside" aria-labelledby="latest-heading" lang="ar" dir="rtl">')
    expect(html).toContain('<nav class="site-nav" aria-label="الأقسام">')
  })

  it('describes the article for sharing: OpenGraph, Twitter card and a NewsArticle in JSON-LD', () => {
    const html = articlePage(
      makeArticle({
        slug: 'shared',
        title: 'عنوان "مقتبس" </script><script>alert(1)</script>',
        summary: 'ملخص المقال.',
        publishedAt: '2024-11-20T08:30:00+02:00',
        updatedAt: '2024-11-21T09:00:00+02:00',
        section: 'سياسة',
        tags: ['العراق'],
        authors: [{ name: 'كاتب' }],
        image: { url: 'https://img.example/p.jpg', alt: 'وصف', width: 1200, height: 800, caption: 'تعليق' },
      }),
    )
    expect(html).toContain('<meta property="og:type" content="article"/>')
    expect(html).toContain('<meta property="og:locale" content="ar_EG"/>')
    expect(html).toContain('<meta property="og:url" content="http://127.0.0.1:8787/articles/shared"/>')
    expect(html).toContain('<meta property="og:image" content="https://img.example/p.jpg"/>')
    expect(html).toContain('<meta property="og:image:width" content="1200"/>')
    expect(html).toContain('<meta property="article:published_time" content="2024-11-20T06:30:00Z"/>')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>')
    expect(html).toContain('<meta name="description" content="ملخص المقال."/>')
    expect(html).toContain('<img src="https://img.example/p.jpg" alt="وصف" width="1200" height="800"')
    // The title cannot close the data block: only the one real </script> is in the page.
    expect(html.match(/<\/script>/g)).toHaveLength(1)
    expect(jsonLd(html)).toEqual([
      {
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        mainEntityOfPage: 'http://127.0.0.1:8787/articles/shared',
        url: 'http://127.0.0.1:8787/articles/shared',
        headline: 'عنوان "مقتبس" </script><script>alert(1)</script>',
        description: 'ملخص المقال.',
        inLanguage: 'ar',
        datePublished: '2024-11-20T06:30:00Z',
        dateModified: '2024-11-21T07:00:00Z',
        author: [{ '@type': 'Person', name: 'كاتب', url: `http://127.0.0.1:8787/authors/${encodeURIComponent('كاتب')}` }],
        publisher: { '@type': 'NewsMediaOrganization', name: 'صحيفة', url: 'http://127.0.0.1:8787/' },
        image: [{ '@type': 'ImageObject', url: 'https://img.example/p.jpg', width: 1200, height: 800, caption: 'تعليق' }],
        articleSection: 'سياسة',
        keywords: ['العراق'],
      },
    ])
  })

  it('names the site as author when there is no byline, and shares a small card without a photo', () => {
    const html = articlePage(makeArticle({ authors: [], image: undefined }))
    const [article] = jsonLd(html)
    expect(article!.author).toEqual([{ '@type': 'NewsMediaOrganization', name: 'صحيفة', url: 'http://127.0.0.1:8787/' }])
    expect(article).not.toHaveProperty('image')
    expect(html).toContain('<meta name="twitter:card" content="summary"/>')
    expect(html).not.toContain('og:image')
  })
})

describe('every page', () => {
  const pages = {
    home: renderPage(
      <HomePage site={site} canonical="http://127.0.0.1:8787/" feeds={feeds} articles={[makeArticle()]} paging={paging(1, 1)} />,
    ),
    article: articlePage(makeArticle(), [makeArticle()]),
    list: renderPage(
      <ListPage site={site} title="t" heading="h" canonical="c" feeds={feeds} articles={[]} paging={paging(1, 1)} />,
    ),
    notFound: renderPage(<MessagePage site={site} canonical="c" feeds={feeds} heading="h" text="t" />),
    gone: renderPage(
      <GonePage site={site} canonical="c" feeds={feeds} gone={{ slug: 's', title: 't', removedAt: '2024-11-25T10:00:00Z' }} />,
    ),
  }

  it.each(Object.entries(pages))('%s: links the hashed stylesheet and has no inline style or script', (_, html) => {
    expect(html).toContain(`<link rel="stylesheet" href="${STYLESHEET_PATH}"/>`)
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
    // JSON-LD is data, not script: the only <script> a page may have.
    expect(html.replaceAll('<script type="application/ld+json">', '')).not.toContain('<script')
  })

  it.each(Object.entries(pages))('%s: has a skip link to main, one h1, banner, navigation and contentinfo', (_, html) => {
    expect(html).toContain('<a class="skip-link" href="#main">انتقل إلى المحتوى</a>')
    expect(html).toMatch(/<main id="main"/)
    expect(html.match(/<h1[ >]/g)).toHaveLength(1)
    expect(html).toContain('<header class="masthead">')
    expect(html).toContain('<nav class="site-nav"')
    expect(html).toContain('<footer class="site-footer">')
  })
})

describe('the page head', () => {
  it('tells the browser both colour schemes before the stylesheet loads', () => {
    const html = renderPage(<MessagePage site={site} canonical="c" feeds={feeds} heading="h" text="t" />)
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>')
    expect(html).toContain('<meta name="theme-color" content="#fdfcf9" media="(prefers-color-scheme: light)"/>')
    expect(html).toContain('<meta name="theme-color" content="#15161a" media="(prefers-color-scheme: dark)"/>')
  })
})

describe('mastheadSections', () => {
  it('lists distinct sections of published articles, most recent first, up to the limit', () => {
    const articles = [
      makeArticle({ section: 'اقتصاد', publishedAt: '2024-11-01T00:00:00Z' }),
      makeArticle({ section: 'Technology', publishedAt: '2024-11-02T00:00:00Z' }),
      makeArticle({ section: 'سياسة', publishedAt: '2024-11-03T00:00:00Z' }),
      makeArticle({ section: 'technology', publishedAt: '2024-11-04T00:00:00Z' }),
      makeArticle({ publishedAt: '2024-11-05T00:00:00Z' }),
      makeArticle({ section: 'رياضة', publishedAt: '2025-06-01T00:00:00Z' }),
    ]
    expect(mastheadSections(articles, NOW)).toEqual(['technology', 'سياسة', 'اقتصاد'])
    expect(mastheadSections(articles, NOW, 2)).toEqual(['technology', 'سياسة'])
  })
})

describe('share and asset helpers', () => {
  it('gives OpenGraph a language_TERRITORY locale', () => {
    expect(ogLocale('ar')).toBe('ar_EG')
    expect(ogLocale('en')).toBe('en_US')
    expect(ogLocale('ar-MA')).toBe('ar_MA')
  })

  it('names the stylesheet by a hash that changes with its text', () => {
    expect(STYLESHEET_PATH).toMatch(/^\/assets\/site\.[0-9a-f]{14}\.css$/)
    expect(contentHash('a { color: red }')).toBe(contentHash('a { color: red }'))
    expect(contentHash('a { color: red }')).not.toBe(contentHash('a { color: blue }'))
  })
})
