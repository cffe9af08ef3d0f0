// Property: for any article the schema accepts — hostile Unicode in every text field — RSS and
// Atom are well-formed XML (saxes, strict) and JSON Feed is valid JSON; every text field reads
// back as exactly what a reader should see (XML: minus the characters XML 1.0 forbids), and no
// text can add an element. The renderers are pure, so this runs in Node against them directly.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lastModified, type StoredArticle } from '../../src/model/article'
import { rfc3339, rfc822 } from '../../src/worker/language'
import { renderAtom } from '../../src/worker/render/atom'
import { articleAuthors, articleUrl, authorUrl, escapeHtml, feedContentHtml, type FeedDocument } from '../../src/worker/render/feed'
import { renderJsonFeed } from '../../src/worker/render/json-feed'
import { renderRss } from '../../src/worker/render/rss'
import type { SiteConfig } from '../../src/model/site'
import { child, childrenNamed, parseXml, type XmlElement } from '../support/xml-tree'
import { hostileArticle, hostileSite } from './arbitraries'
import { xmlVisible as visible } from './xml-text'

// Bounded: a few hundred feeds per format (each of up to four articles) keeps this well under a minute.
const RUNS = { numRuns: 1000 }

const hostileFeed = fc
  .record({
    site: hostileSite,
    articles: fc.uniqueArray(hostileArticle, { minLength: 1, maxLength: 4, selector: (article) => article.slug }),
  })
  .map(({ site, articles }) => feedOf(site, articles))

function feedOf(site: SiteConfig, articles: StoredArticle[]): FeedDocument {
  return {
    site,
    title: site.title,
    description: site.description,
    id: `${site.url}/`,
    links: { self: `${site.url}/rss.xml?a=1&b=2`, alternate: `${site.url}/` },
    hubs: site.hubs,
    articles,
    now: Date.parse('2030-01-01T00:00:00Z'),
  }
}

const names = (element: XmlElement) => element.children.map((each) => each.name)
const categoryNames = (article: StoredArticle) => [...(article.section ? [article.section] : []), ...article.tags]

describe('RSS 2.0 with hostile articles', () => {
  it('is well-formed and every field reads back as written, minus XML-forbidden characters', () => {
    fc.assert(
      fc.property(hostileFeed, (feed) => {
        const channel = child(parseXml(renderRss(feed)), 'channel')
        expect(child(channel, 'title').text).toBe(visible(feed.title))
        // RSS 2.0 readers take description as HTML: the text arrives HTML-escaped, so it shows as written.
        expect(child(channel, 'description').text).toBe(escapeHtml(visible(feed.description)))
        if (feed.site.rights) expect(child(channel, 'copyright').text).toBe(visible(feed.site.rights))
        const items = childrenNamed(channel, 'item')
        expect(items).toHaveLength(feed.articles.length)
        feed.articles.forEach((article, i) => {
          const item = items[i]!
          const authors = articleAuthors(feed.site, article)
          const categories = categoryNames(article)
          // No text became markup: exactly the elements the renderer writes, in order.
          expect(names(item)).toEqual([
            'title', 'link', 'guid', 'pubDate', 'description', 'content:encoded', 'dc:language',
            ...(article.updatedAt ? ['dcterms:modified'] : []),
            ...authors.map(() => 'dc:creator'),
            ...categories.map(() => 'category'),
            ...(article.image?.url ? ['media:content'] : []),
          ])
          expect(child(item, 'title').text).toBe(visible(article.title))
          expect(child(item, 'link').text).toBe(articleUrl(feed.site, article))
          expect(child(item, 'guid').text).toBe(visible(article.id))
          expect(child(item, 'pubDate').text).toBe(rfc822(article.publishedAt))
          expect(child(item, 'description').text).toBe(escapeHtml(visible(article.summary)))
          expect(child(item, 'content:encoded').text).toBe(visible(feedContentHtml(article, feed)))
          expect(child(item, 'dc:language').text).toBe(visible(article.language))
          expect(childrenNamed(item, 'dc:creator').map((each) => each.text)).toEqual(
            authors.map((author) => visible(author.name)),
          )
          expect(childrenNamed(item, 'category').map((each) => each.text)).toEqual(categories.map(visible))
          if (article.image?.url) {
            const media = child(item, 'media:content')
            expect(media.attributes.url).toBe(visible(article.image.url))
            expect(child(media, 'media:description').text).toBe(visible(article.image.caption ?? article.image.alt))
          }
        })
      }),
      RUNS,
    )
  })
})

describe('Atom 1.0 with hostile articles', () => {
  it('is well-formed and every field reads back as written, minus XML-forbidden characters', () => {
    fc.assert(
      fc.property(hostileFeed, (feed) => {
        const root = parseXml(renderAtom(feed))
        expect(child(root, 'title').text).toBe(visible(feed.title))
        expect(child(root, 'subtitle').text).toBe(visible(feed.description))
        const entries = childrenNamed(root, 'entry')
        expect(entries).toHaveLength(feed.articles.length)
        feed.articles.forEach((article, i) => {
          const entry = entries[i]!
          const authors = articleAuthors(feed.site, article)
          const categories = categoryNames(article)
          expect(names(entry)).toEqual([
            'id', 'title', 'link', 'published', 'updated',
            ...authors.map(() => 'author'),
            ...categories.map(() => 'category'),
            ...(article.image?.url ? ['link'] : []),
            'summary', 'content',
          ])
          expect(entry.attributes['xml:lang']).toBe(visible(article.language))
          expect(child(entry, 'id').text).toBe(visible(article.id))
          // type="text": markup in a title is shown as characters, never interpreted.
          expect(child(entry, 'title').attributes.type).toBe('text')
          expect(child(entry, 'title').text).toBe(visible(article.title))
          expect(child(entry, 'summary').text).toBe(visible(article.summary))
          expect(child(entry, 'content').attributes.type).toBe('html')
          expect(child(entry, 'content').text).toBe(visible(feedContentHtml(article, feed)))
          expect(child(entry, 'published').text).toBe(rfc3339(article.publishedAt))
          expect(child(entry, 'updated').text).toBe(rfc3339(lastModified(article)))
          expect(childrenNamed(entry, 'author').map((each) => child(each, 'name').text)).toEqual(
            authors.map((author) => visible(author.name)),
          )
          expect(childrenNamed(entry, 'author').map((each) => child(each, 'uri').text)).toEqual(
            authors.map((author) => visible(authorUrl(feed.site, author))),
          )
          const categoryElements = childrenNamed(entry, 'category')
          expect(categoryElements.map((each) => each.attributes.term)).toEqual(categories.map(visible))
          expect(categoryElements.map((each) => each.attributes.label)).toEqual(categories.map(visible))
          if (article.image?.url) {
            const enclosure = childrenNamed(entry, 'link').find((link) => link.attributes.rel === 'enclosure')
            expect(enclosure?.attributes.href).toBe(visible(article.image.url))
          }
        })
      }),
      RUNS,
    )
  })
})

describe('JSON Feed 1.1 with hostile articles', () => {
  it('is valid JSON and every field reads back exactly as written', () => {
    fc.assert(
      fc.property(hostileFeed, (feed) => {
        const json = renderJsonFeed(feed)
        // JSON.stringify escapes lone surrogates (ES2019), so the UTF-8 body is always valid.
        expect(json).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
        const parsed = JSON.parse(json)
        expect(parsed.version).toBe('https://jsonfeed.org/version/1.1')
        expect(parsed.title).toBe(feed.title)
        expect(parsed.items).toHaveLength(feed.articles.length)
        feed.articles.forEach((article, i) => {
          const item = parsed.items[i]
          expect(item.id).toBe(article.id)
          expect(item.title).toBe(article.title)
          expect(item.summary).toBe(article.summary)
          expect(item.content_html).toBe(feedContentHtml(article, feed))
          expect(item.language).toBe(article.language)
          expect(item.authors.map((author: { name: string }) => author.name)).toEqual(
            articleAuthors(feed.site, article).map((author) => author.name),
          )
          expect(item.tags).toEqual([...new Set(categoryNames(article))])
        })
      }),
      RUNS,
    )
  })
})

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0

describe.skipIf(!hasXmllint)('hostile feeds read by libxml2', () => {
  it('xmllint --noout accepts every RSS and Atom document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sahifa-hostile-'))
    try {
      const files = fc.sample(hostileFeed, { numRuns: 200, seed: 7 }).flatMap((feed, i) => {
        const rss = join(dir, `${i}.rss.xml`)
        const atom = join(dir, `${i}.atom.xml`)
        writeFileSync(rss, renderRss(feed))
        writeFileSync(atom, renderAtom(feed))
        return [rss, atom]
      })
      // Throws (with xmllint's messages) on the first ill-formed file; silent when all are fine.
      expect(execFileSync('xmllint', ['--noout', ...files], { encoding: 'utf8', stdio: 'pipe' })).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
