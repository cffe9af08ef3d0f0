// Request step 5 (renderers): RSS 2.0 (https://www.rssboard.org/rss-specification) with the content,
// Dublin Core, Media RSS and Atom namespaces. Pure: FeedDocument in, XML string out.
import { rfc3339, rfc822 } from '../language'
import { absoluteUrl } from '../../model/urls'
import {
  articleAuthors,
  articleCategories,
  articleUrl,
  escapeHtml,
  feedContentHtml,
  feedPhoto,
  feedUpdated,
  type FeedDocument,
} from './feed'
import { attributes, cdata, element, rssText, xml, XML_DECLARATION } from './xml'

const PAGING_RELATIONS = ['first', 'previous', 'next', 'last'] as const

/** A plain-text element (title, names): read back literally whether a reader takes it as text or HTML. */
const plain = (name: string, text: string) => `<${name}>${rssText(text)}</${name}>`

/**
 * An element RSS 2.0 defines as HTML (description): plain text is HTML-escaped first, so
 * `<b>` in a summary is shown as written, never as markup (RSS 2.0: "entity-encoded HTML").
 */
const html = (name: string, text: string) => element(name, escapeHtml(text))

export function renderRss(feed: FeedDocument): string {
  const { site, links } = feed
  let out =
    XML_DECLARATION +
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"' +
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"' +
    ' xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n' +
    plain('title', feed.title) +
    element('link', links.alternate) +
    html('description', feed.description) +
    element('language', site.language) +
    (site.rights ? plain('copyright', site.rights) : '') +
    element('lastBuildDate', rfc822(feedUpdated(feed.articles))) +
    `<atom:link${attributes({ href: links.self, rel: 'self', type: 'application/rss+xml' })}/>`
  for (const rel of PAGING_RELATIONS) {
    const href = links[rel]
    if (href) out += `<atom:link${attributes({ href, rel, type: 'application/rss+xml' })}/>`
  }
  for (const hub of feed.hubs) out += `<atom:link${attributes({ href: hub, rel: 'hub' })}/>`
  out += '\n'

  for (const article of feed.articles) {
    out +=
      '<item>' +
      plain('title', article.title) +
      element('link', articleUrl(site, article)) +
      // The derived ids are tag: URIs, not links (RSS 2.0 guid, isPermaLink).
      `<guid isPermaLink="false">${xml(article.id)}</guid>` +
      element('pubDate', rfc822(article.publishedAt)) +
      html('description', article.summary) +
      `<content:encoded>${cdata(feedContentHtml(article, feed))}</content:encoded>` +
      element('dc:language', article.language) +
      (article.updatedAt ? element('dcterms:modified', rfc3339(article.updatedAt)) : '')
    // RSS <author> must be an e-mail address; Dublin Core carries plain names.
    for (const author of articleAuthors(site, article)) out += plain('dc:creator', author.name)
    for (const category of articleCategories(article)) {
      const domain = absoluteUrl(site, category.kind === 'section' ? '/sections/' : '/tags/')
      out += `<category${attributes({ domain })}>${rssText(category.name)}</category>`
    }
    const { image } = article
    const photo = feedPhoto(site, article)
    if (image && photo) {
      // Media RSS 1.5.1: fileSize in bytes; RSS 2.0 enclosure: url, length in bytes, type — one per
      // item, so only a photo whose true size is known (a processed one) gets it.
      out +=
        `<media:content${attributes({
          url: photo.url,
          medium: 'image',
          type: photo.type,
          width: photo.width,
          height: photo.height,
          fileSize: photo.bytes,
        })}>` +
        plain('media:description', image.caption ?? image.alt) +
        (image.credit ? plain('media:credit', image.credit) : '') +
        '</media:content>'
      if (photo.bytes !== undefined)
        out += `<enclosure${attributes({ url: photo.url, length: photo.bytes, type: photo.type })}/>`
    }
    out += '</item>\n'
  }
  return `${out}</channel>\n</rss>\n`
}
