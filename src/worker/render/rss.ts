// Request step 5 (renderers): RSS 2.0 (https://www.rssboard.org/rss-specification) with the content,
// Dublin Core, Media RSS and Atom namespaces. Pure: FeedDocument in, XML string out.
import { rfc822 } from '../language'
import { absoluteUrl } from '../../model/urls'
import {
  articleAuthors,
  articleCategories,
  articleUrl,
  feedContentHtml,
  feedUpdated,
  imageType,
  type FeedDocument,
} from './feed'
import { attributes, cdata, element, xml, XML_DECLARATION } from './xml'

const PAGING_RELATIONS = ['first', 'previous', 'next', 'last'] as const

export function renderRss(feed: FeedDocument): string {
  const { site, links } = feed
  let out =
    XML_DECLARATION +
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"' +
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"' +
    ' xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n' +
    element('title', feed.title) +
    element('link', links.alternate) +
    element('description', feed.description) +
    element('language', site.language) +
    (site.rights ? element('copyright', site.rights) : '') +
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
      element('title', article.title) +
      element('link', articleUrl(site, article)) +
      // The derived ids are tag: URIs, not links (RSS 2.0 guid, isPermaLink).
      `<guid isPermaLink="false">${xml(article.id)}</guid>` +
      element('pubDate', rfc822(article.publishedAt)) +
      element('description', article.summary) +
      `<content:encoded>${cdata(feedContentHtml(article))}</content:encoded>` +
      element('dc:language', article.language)
    // RSS <author> must be an e-mail address; Dublin Core carries plain names.
    for (const author of articleAuthors(site, article)) out += element('dc:creator', author.name)
    for (const category of articleCategories(article)) {
      const domain = absoluteUrl(site, category.kind === 'section' ? '/sections/' : '/tags/')
      out += `<category${attributes({ domain })}>${xml(category.name)}</category>`
    }
    const { image } = article
    if (image?.url) {
      out +=
        `<media:content${attributes({
          url: image.url,
          medium: 'image',
          type: imageType(image.url),
          width: image.width,
          height: image.height,
        })}>` +
        element('media:description', image.caption ?? image.alt) +
        (image.credit ? element('media:credit', image.credit) : '') +
        '</media:content>'
    }
    out += '</item>\n'
  }
  return `${out}</channel>\n</rss>\n`
}
