// Everything the article page shows is in every feed: a test that walks the stored article's
// schema, so a field added later without a place in the page and in RSS, Atom and JSON Feed
// fails here. Plain text stays text: a summary full of markup characters reads back literally.
import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { StoredArticle } from '../../src/model/article'
import { child, childrenNamed, parseXml, type XmlElement } from '../support/xml-tree'
import { makeArticle } from '../support/articles'
import { get, seed } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
const LITERAL = 'أقل من <5 & أكثر من >3 <b>ليس عريضا</b>'
const RIGHTS = 'استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007. يرجى ارسال ملاحظات لـ akkanet.net@gmail.com'

// Shares a tag, so the publish core (buildState) links it as related.
const related = makeArticle({ slug: 'سياق', title: 'مقال ذو صلة', publishedAt: '2024-11-19T08:00:00Z', tags: ['العراق'] })
/** Every field set, and the photo file absent: caption and credit must still reach readers. */
const article = makeArticle({
  slug: 'القصة-كاملة',
  id: 'tag:127.0.0.1,2026:whole-story',
  title: 'القصة كاملة',
  summary: LITERAL,
  html: '<p>متن المقال.</p>',
  publishedAt: '2024-11-20T08:30:00Z',
  updatedAt: '2024-11-21T10:00:00Z',
  language: 'ar',
  section: 'سياسة',
  tags: ['العراق', 'عينة'],
  authors: [{ name: 'سلمى', url: 'https://salma.example/' }, { name: 'Sahifa Desk' }],
  image: { alt: 'صورة', caption: 'صورة بالقمر الاصطناعي', credit: 'الفرنسية' },
})

interface Rendered {
  page: string
  rss: XmlElement
  atom: XmlElement
  json: { items: Record<string, unknown>[] }
}
let views: Rendered

const itemOf = (feed: Rendered) => ({
  rss: childrenNamed(child(feed.rss, 'channel'), 'item').find((item) => child(item, 'guid').text === article.id)!,
  atom: childrenNamed(feed.atom, 'entry').find((entry) => child(entry, 'id').text === article.id)!,
  json: feed.json.items.find((item) => item.id === article.id)! as Record<string, unknown> & {
    authors: { name: string; url?: string }[]
    tags: string[]
  },
})
const text = (element: XmlElement, name: string) => child(element, name).text
const all = (element: XmlElement, name: string) => childrenNamed(element, name)
const authorPage = (name: string) => `${ORIGIN}/authors/${encodeURIComponent(name.toLowerCase())}`

/** Where each stored field shows: on the article page, and in each feed format. */
const WHERE: Record<keyof StoredArticle, () => void> = {
  slug() {
    const url = `${ORIGIN}/articles/${encodeURIComponent(article.slug)}`
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain(`<link rel="canonical" href="${url}"/>`)
    expect(text(rss, 'link')).toBe(url)
    expect(all(atom, 'link').find((link) => link.attributes.rel === 'alternate')!.attributes.href).toBe(url)
    expect(json.url).toBe(url)
  },
  id() {
    // A feed's identity of the item; the page has no use for it.
    const { rss, atom, json } = itemOf(views)
    expect([text(rss, 'guid'), text(atom, 'id'), json.id]).toEqual([article.id, article.id, article.id])
  },
  title() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain(`<h1 class="article-title">${article.title}</h1>`)
    expect([text(rss, 'title'), text(atom, 'title'), json.title]).toEqual([article.title, article.title, article.title])
  },
  summary() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain('<p class="lead">أقل من &lt;5 &amp; أكثر من &gt;3 &lt;b&gt;ليس عريضا&lt;/b&gt;</p>')
    // RSS description is HTML to its readers: the text arrives escaped, so it shows as written.
    expect(text(rss, 'description')).toBe('أقل من &lt;5 &amp; أكثر من &gt;3 &lt;b&gt;ليس عريضا&lt;/b&gt;')
    expect(child(atom, 'summary').attributes.type).toBe('text')
    expect(text(atom, 'summary')).toBe(LITERAL)
    expect(json.summary).toBe(LITERAL)
  },
  html() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain('<p>متن المقال.</p>')
    for (const content of [text(rss, 'content:encoded'), text(atom, 'content'), json.content_html as string]) {
      expect(content).toContain('<p>متن المقال.</p>')
    }
  },
  publishedAt() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain('<time datetime="2024-11-20T08:30:00Z">')
    expect(text(rss, 'pubDate')).toBe('Wed, 20 Nov 2024 08:30:00 GMT')
    expect(text(atom, 'published')).toBe('2024-11-20T08:30:00Z')
    expect(json.date_published).toBe('2024-11-20T08:30:00Z')
  },
  updatedAt() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain('<time datetime="2024-11-21T10:00:00Z">')
    expect(text(rss, 'dcterms:modified')).toBe('2024-11-21T10:00:00Z')
    expect(text(atom, 'updated')).toBe('2024-11-21T10:00:00Z')
    expect(json.date_modified).toBe('2024-11-21T10:00:00Z')
    for (const content of contents()) expect(content).toContain('حُدّث: <time datetime="2024-11-21T10:00:00Z">')
  },
  language() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain('<html lang="ar" dir="rtl">')
    expect(text(rss, 'dc:language')).toBe('ar')
    expect(atom.attributes['xml:lang']).toBe('ar')
    expect(json.language).toBe('ar')
    for (const content of contents()) expect(content).toMatch(/^<div dir="rtl" lang="ar">/)
  },
  section() {
    const { rss, atom, json } = itemOf(views)
    expect(views.page).toContain(`<p class="kicker"><a href="/sections/${encodeURIComponent('سياسة')}"`)
    expect(all(rss, 'category').map((each) => each.text)).toContain('سياسة')
    expect(all(atom, 'category').map((each) => each.attributes.term)).toContain('سياسة')
    expect(json.tags).toContain('سياسة')
    for (const content of contents()) expect(content).toContain(`${ORIGIN}/sections/${encodeURIComponent('سياسة')}`)
  },
  tags() {
    const { rss, atom, json } = itemOf(views)
    for (const tag of article.tags) {
      expect(views.page).toContain(`<a href="/tags/${encodeURIComponent(tag)}" dir="auto">${tag}</a>`)
      expect(all(rss, 'category').map((each) => each.text)).toContain(tag)
      expect(all(atom, 'category').map((each) => each.attributes.term)).toContain(tag)
      expect(json.tags).toContain(tag)
      for (const content of contents()) expect(content).toContain(`${ORIGIN}/tags/${encodeURIComponent(tag)}`)
    }
  },
  authors() {
    const { rss, atom, json } = itemOf(views)
    // The author's own URL where the article names one; else their page here.
    const urls = ['https://salma.example/', authorPage('Sahifa Desk')]
    for (const [i, author] of article.authors.entries()) {
      expect(views.page).toContain(`<a href="${authorPage(author.name).slice(ORIGIN.length)}" rel="author">${author.name}</a>`)
      for (const content of contents()) expect(content).toContain(`<a href="${urls[i]}">${author.name}</a>`)
    }
    expect(all(rss, 'dc:creator').map((each) => each.text)).toEqual(['سلمى', 'Sahifa Desk'])
    expect(all(atom, 'author').map((each) => [text(each, 'name'), text(each, 'uri')])).toEqual([
      ['سلمى', urls[0]],
      ['Sahifa Desk', urls[1]],
    ])
    expect(json.authors).toEqual([
      { name: 'سلمى', url: urls[0] },
      { name: 'Sahifa Desk', url: urls[1] },
    ])
  },
  image() {
    // No photo file: the caption and its agency credit still reach every reader.
    expect(views.page).toContain('<figcaption><bdi>صورة بالقمر الاصطناعي</bdi> <span class="credit">(الفرنسية)</span></figcaption>')
    for (const content of contents()) {
      expect(content).toContain('<figure><figcaption><bdi>صورة بالقمر الاصطناعي</bdi> (الفرنسية)</figcaption></figure>')
    }
  },
}

function contents(): string[] {
  const { rss, atom, json } = itemOf(views)
  return [text(rss, 'content:encoded'), text(atom, 'content'), json.content_html as string]
}

describe('an article with every field set', () => {
  beforeAll(async () => {
    await seed([article, related])
    const [page, rss, atom, json] = await Promise.all(
      [`/articles/${encodeURIComponent(article.slug)}`, '/rss.xml', '/atom.xml', '/feed.json'].map(async (path) => (await SELF.fetch(get(path))).text()),
    )
    views = { page: page!, rss: parseXml(rss!), atom: parseXml(atom!), json: JSON.parse(json!) }
  })

  it('has a place in the page and in every feed format for each field of the stored article', () => {
    expect(Object.keys(WHERE).sort()).toEqual(Object.keys(StoredArticle.shape).sort())
  })

  it.each(Object.keys(StoredArticle.shape))('shows %s on the page and in RSS, Atom and JSON Feed', (field) => {
    WHERE[field as keyof StoredArticle]()
  })

  it('carries the site’s rights line in every feed, as the page does', () => {
    expect(views.page).toContain(`<p class="rights">${RIGHTS}</p>`)
    expect(text(child(views.rss, 'channel'), 'copyright')).toBe(RIGHTS)
    expect(text(views.atom, 'rights')).toBe(RIGHTS)
    for (const content of contents()) expect(content).toContain(`<small>${RIGHTS}</small>`)
  })

  it('writes RSS titles with hexadecimal references, as the RSS Best Practices Profile advises', async () => {
    await seed([makeArticle({ title: 'A <b>x</b> & B' })])
    const xml = await (await SELF.fetch(get('/rss.xml'))).text()
    expect(xml).toContain('<title>A &#x3C;b&#x3E;x&#x3C;/b&#x3E; &#x26; B</title>')
  })
})
