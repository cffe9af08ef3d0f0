// Everything the article page shows is in every feed: a test that walks the stored article's
// schema, so a field added later without a place in the page and in RSS, Atom and JSON Feed
// fails here (`featured`, the one list-page choice, is checked to leave feeds in date order).
// Plain text stays text: a summary full of markup characters reads back literally.
import { SELF } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { StoredArticle } from '../../src/model/article'
import { child, childrenNamed, parseXml, type XmlElement } from '../support/xml-tree'
import { PHOTO_SIZES } from '../../src/model/picture'
import { makeArticle, makeVariants } from '../support/articles'
import { get, seed } from './kv'

const ORIGIN = 'http://127.0.0.1:8787'
const LITERAL = 'أقل من <5 & أكثر من >3 <b>ليس عريضا</b>'
const RIGHTS = 'استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007. يرجى ارسال ملاحظات لـ akkanet.net@gmail.com'

// Shares a tag, so the publish core (buildState) links it as related.
const related = makeArticle({ slug: 'سياق', title: 'مقال ذو صلة', publishedAt: '2024-11-19T08:00:00Z', tags: ['العراق'] })
/** Newer than the featured article, which must still lead the lists (and follow it in feeds). */
const newer = makeArticle({ slug: 'أحدث', title: 'خبر أحدث', publishedAt: '2024-11-22T08:00:00Z' })
/** A photo known only by its caption and credit (no file): they must still reach readers. */
const captionOnly = makeArticle({
  slug: 'تعليق-فقط',
  publishedAt: '2024-11-18T08:00:00Z',
  image: { alt: 'صورة', caption: 'صورة بالقمر الاصطناعي', credit: 'الفرنسية' },
})
const HASH = '0123456789abcdef'
/** Every field set, the photo processed into variants. */
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
  image: { alt: 'صورة', caption: 'تعليق الصورة', credit: 'رويترز', width: 960, height: 600, variants: makeVariants(HASH) },
  featured: true,
})
const widestJpeg = article.image!.variants!.at(-1)!

interface Rendered {
  page: string
  home: string
  captionOnlyPage: string
  rss: XmlElement
  atom: XmlElement
  json: { items: Record<string, unknown>[] }
}
let views: Rendered

const itemOf = (feed: Rendered, id = article.id) => ({
  rss: childrenNamed(child(feed.rss, 'channel'), 'item').find((item) => child(item, 'guid').text === id)!,
  atom: childrenNamed(feed.atom, 'entry').find((entry) => child(entry, 'id').text === id)!,
  json: feed.json.items.find((item) => item.id === id)! as Record<string, unknown> & {
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
    const { rss, atom, json } = itemOf(views)
    const url = (path: string) => ORIGIN + path
    const srcset = (extension: string, origin = '') =>
      [480, 960].map((width) => `${origin}/media/${HASH}-${width}.${extension} ${width}w`).join(', ')
    // The page: a <picture>, modern formats first, the JPEG fallback sized so nothing shifts.
    expect(views.page).toContain(
      `<figure class="figure"><picture><source type="image/avif" srcset="${srcset('avif')}" sizes="${PHOTO_SIZES.article}"/>` +
        `<source type="image/webp" srcset="${srcset('webp')}" sizes="${PHOTO_SIZES.article}"/>` +
        `<img src="/media/${HASH}-960.jpg" srcset="${srcset('jpg')}" sizes="${PHOTO_SIZES.article}" width="960" height="600" alt="صورة" fetchpriority="high" decoding="async"/></picture>` +
        '<figcaption><bdi>تعليق الصورة</bdi> <span class="credit">(رويترز)</span></figcaption></figure>',
    )
    // The lists: a thumbnail (here the lead story's, not lazy), and sharing sites the widest JPEG.
    expect(views.home).toContain(`<img src="/media/${HASH}-960.jpg" srcset="${srcset('jpg')}" sizes="${PHOTO_SIZES.lead}"`)
    expect(views.page).toContain(`<meta property="og:image" content="${url(widestJpeg.path)}"/><meta property="og:image:type" content="image/jpeg"/>`)
    // Feeds: the widest JPEG as media:content and the one enclosure, with its true size.
    expect(child(rss, 'media:content').attributes).toEqual({
      url: url(widestJpeg.path),
      medium: 'image',
      type: 'image/jpeg',
      width: '960',
      height: '600',
      fileSize: String(widestJpeg.bytes),
    })
    expect(text(child(rss, 'media:content'), 'media:description')).toBe('تعليق الصورة')
    expect(text(child(rss, 'media:content'), 'media:credit')).toBe('رويترز')
    expect(all(rss, 'enclosure').map((each) => each.attributes)).toEqual([
      { url: url(widestJpeg.path), length: String(widestJpeg.bytes), type: 'image/jpeg' },
    ])
    expect(all(atom, 'link').find((link) => link.attributes.rel === 'enclosure')!.attributes).toEqual({
      rel: 'enclosure',
      type: 'image/jpeg',
      href: url(widestJpeg.path),
      length: String(widestJpeg.bytes),
    })
    expect([json.image, json.attachments]).toEqual([
      url(widestJpeg.path),
      [{ url: url(widestJpeg.path), mime_type: 'image/jpeg', size_in_bytes: widestJpeg.bytes }],
    ])
    for (const content of contents()) {
      expect(content).toContain(`<figure><picture><source type="image/avif" srcset="${srcset('avif', ORIGIN)}"`)
      expect(content).toContain(`<img src="${url(`/media/${HASH}-960.jpg`)}" srcset="${srcset('jpg', ORIGIN)}"`)
      expect(content).toContain('</picture><figcaption><bdi>تعليق الصورة</bdi> (رويترز)</figcaption></figure>')
    }
    // No photo file: the caption and its agency credit still reach every reader, and nothing stands in for the photo.
    expect(views.captionOnlyPage).toContain(
      '<figure class="figure"><figcaption><bdi>صورة بالقمر الاصطناعي</bdi> <span class="credit">(الفرنسية)</span></figcaption></figure>',
    )
    const bare = itemOf(views, captionOnly.id)
    for (const content of [text(bare.rss, 'content:encoded'), text(bare.atom, 'content'), bare.json.content_html as string]) {
      expect(content).toContain('<figure><figcaption><bdi>صورة بالقمر الاصطناعي</bdi> (الفرنسية)</figcaption></figure>')
    }
    expect([all(bare.rss, 'enclosure'), all(bare.rss, 'media:content'), bare.json.image]).toEqual([[], [], undefined])
  },
  featured() {
    // The editor's lead story: first on the home page although another article is newer…
    const leads = views.home.match(/<li class="teaser lead-story[^"]*"/g)
    expect(leads).toEqual(['<li class="teaser lead-story with-photo"'])
    const lead = views.home.slice(views.home.indexOf('lead-story'))
    expect(lead.slice(0, lead.indexOf('</li>'))).toContain(`>${article.title}</a>`)
    expect(views.home.indexOf(article.title)).toBeLessThan(views.home.indexOf(newer.title))
    // …while feeds, read by date, keep date order: the newer article first, in every format.
    const order = (ids: (string | undefined)[]) => ids.indexOf(newer.id) < ids.indexOf(article.id)
    expect(order(childrenNamed(child(views.rss, 'channel'), 'item').map((item) => child(item, 'guid').text))).toBe(true)
    expect(order(childrenNamed(views.atom, 'entry').map((entry) => child(entry, 'id').text))).toBe(true)
    expect(order(views.json.items.map((item) => item.id as string))).toBe(true)
  },
}

function contents(): string[] {
  const { rss, atom, json } = itemOf(views)
  return [text(rss, 'content:encoded'), text(atom, 'content'), json.content_html as string]
}

describe('an article with every field set', () => {
  beforeAll(async () => {
    await seed([article, related, newer, captionOnly])
    const paths = [article, captionOnly].map((each) => `/articles/${encodeURIComponent(each.slug)}`)
    const [page, captionOnlyPage, home, rss, atom, json] = await Promise.all(
      [...paths, '/', '/rss.xml', '/atom.xml', '/feed.json'].map(async (path) => (await SELF.fetch(get(path))).text()),
    )
    views = { page: page!, captionOnlyPage: captionOnlyPage!, home: home!, rss: parseXml(rss!), atom: parseXml(atom!), json: JSON.parse(json!) }
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
