// Request step 5 (renderers): JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Pure: FeedDocument
// in, JSON string out. JSON.stringify is the escaper.
import { lastModified } from '../../model/article'
import { rfc3339 } from '../language'
import {
  articleAuthors,
  articleCategories,
  articleUrl,
  authorUrl,
  feedContentHtml,
  feedPhoto,
  type FeedDocument,
} from './feed'

/** JSON Feed 1.1: `image` is the item's main image; an attachment carries its type and size. */
function photoFields(photo: ReturnType<typeof feedPhoto>) {
  if (!photo) return {}
  const attachment =
    photo.bytes !== undefined && photo.type
      ? { attachments: [{ url: photo.url, mime_type: photo.type, size_in_bytes: photo.bytes }] }
      : {}
  return { image: photo.url, ...attachment }
}

const person = ({ name, url }: { name: string; url?: string | undefined }) =>
  url ? { name, url } : { name }

export function renderJsonFeed(feed: FeedDocument): string {
  const { site, links } = feed
  const items = feed.articles.map((article) => ({
    id: article.id,
    url: articleUrl(site, article),
    title: article.title,
    summary: article.summary,
    content_html: feedContentHtml(article, feed),
    ...photoFields(feedPhoto(site, article)),
    date_published: rfc3339(article.publishedAt),
    date_modified: rfc3339(lastModified(article)),
    authors: articleAuthors(site, article).map((author) => person({ name: author.name, url: authorUrl(site, author) })),
    tags: [...new Set(articleCategories(article).map((category) => category.name))],
    language: article.language,
  }))
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: links.alternate,
    feed_url: links.self,
    description: feed.description,
    ...(links.next ? { next_url: links.next } : {}),
    language: site.language,
    authors: [person({ name: site.title, url: site.url })],
    ...(feed.hubs.length > 0 ? { hubs: feed.hubs.map((url) => ({ type: 'WebSub', url })) } : {}),
    items,
  })
}
