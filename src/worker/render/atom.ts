// Request step 5 (renderers): Atom 1.0 (RFC 4287) with RFC 5005 paging links. Pure: FeedDocument in,
// XML string out. Titles and summaries are plain text (type="text"), content is HTML.
import { lastModified, type Author } from '../../model/article'
import { rfc3339 } from '../language'
import { absoluteUrl } from '../../model/urls'
import {
  articleAuthors,
  articleCategories,
  articleUrl,
  authorUrl,
  feedContentHtml,
  feedPhoto,
  feedUpdated,
  type FeedDocument,
} from './feed'
import { attributes, cdata, element, xml, XML_DECLARATION } from './xml'

const PAGING_RELATIONS = ['first', 'previous', 'next', 'last'] as const

/** A text construct (RFC 4287 §3.1) of the given type. */
const textConstruct = (name: string, type: 'text' | 'html', text: string) =>
  `<${name} type="${type}">${xml(text)}</${name}>`

const person = (author: Author) =>
  '<author>' + element('name', author.name) + (author.url ? element('uri', author.url) : '') + '</author>'

const link = (values: Record<string, string | undefined>) => `<link${attributes(values)}/>`

export function renderAtom(feed: FeedDocument): string {
  const { site, links } = feed
  let out =
    XML_DECLARATION +
    `<feed xmlns="http://www.w3.org/2005/Atom"${attributes({ 'xml:lang': site.language })}>\n` +
    element('id', feed.id) +
    textConstruct('title', 'text', feed.title) +
    textConstruct('subtitle', 'text', feed.description) +
    // RFC 4287 §4.1.1: atom:updated is required; it is the newest article's, never the clock's.
    element('updated', rfc3339(feedUpdated(feed.articles))) +
    link({ rel: 'self', type: 'application/atom+xml', href: links.self }) +
    link({ rel: 'alternate', type: 'text/html', href: links.alternate })
  for (const rel of PAGING_RELATIONS) {
    const href = links[rel]
    if (href) out += link({ rel, type: 'application/atom+xml', href })
  }
  for (const hub of feed.hubs) out += link({ rel: 'hub', href: hub })
  // RFC 4287 §4.1.1: a feed without an author in every entry needs one at feed level.
  out += person({ name: site.title, url: site.url })
  if (site.rights) out += textConstruct('rights', 'text', site.rights)
  out += '\n'

  for (const article of feed.articles) {
    out +=
      `<entry${attributes({ 'xml:lang': article.language })}>` +
      element('id', article.id) +
      textConstruct('title', 'text', article.title) +
      link({ rel: 'alternate', type: 'text/html', href: articleUrl(site, article) }) +
      element('published', rfc3339(article.publishedAt)) +
      element('updated', rfc3339(lastModified(article)))
    for (const author of articleAuthors(site, article)) out += person({ name: author.name, url: authorUrl(site, author) })
    for (const category of articleCategories(article)) {
      out += `<category${attributes({
        term: category.name,
        scheme: absoluteUrl(site, category.kind === 'section' ? '/sections/' : '/tags/'),
        label: category.name,
      })}/>`
    }
    const photo = feedPhoto(site, article)
    // RFC 4287 §4.2.7.2: rel="enclosure" is potentially large content; length is its size in bytes.
    if (photo) {
      out += `<link${attributes({ rel: 'enclosure', type: photo.type, href: photo.url, length: photo.bytes })}/>`
    }
    out +=
      textConstruct('summary', 'text', article.summary) +
      `<content type="html">${cdata(feedContentHtml(article, feed))}</content>` +
      '</entry>\n'
  }
  return `${out}</feed>\n`
}
