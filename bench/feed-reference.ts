// The reference the renderers are measured against: the `feed` package used naively, i.e. a Feed
// object built from the same FeedDocument and serialised on every request.
import { Feed } from 'feed'
import { lastModified } from '../src/model/article'
import {
  articleAuthors,
  articleCategories,
  articleUrl,
  feedContentHtml,
  feedUpdated,
  type FeedDocument,
} from '../src/worker/render/feed'

export type FeedFormat = 'rss' | 'atom' | 'json'

export function renderWithFeedPackage(doc: FeedDocument, format: FeedFormat): string {
  const { site, links } = doc
  const feed = new Feed({
    id: doc.id,
    title: doc.title,
    description: doc.description,
    link: links.alternate,
    language: site.language,
    copyright: site.rights,
    updated: new Date(feedUpdated(doc.articles)),
    generator: false,
    feedLinks: { rss: links.self, atom: links.self, json: links.self },
    hub: doc.hubs[0],
    author: { name: site.title, link: site.url },
  })
  for (const article of doc.articles) {
    feed.addItem({
      title: article.title,
      id: article.id,
      guid: article.id,
      link: articleUrl(site, article),
      description: article.summary,
      content: feedContentHtml(article, doc),
      date: new Date(lastModified(article)),
      published: new Date(article.publishedAt),
      author: articleAuthors(site, article).map((author) => ({
        name: author.name,
        link: author.url,
      })),
      category: articleCategories(article).map((category) => ({ name: category.name })),
      ...(article.image?.url ? { image: article.image.url } : {}),
    })
  }
  return format === 'rss' ? feed.rss2() : format === 'atom' ? feed.atom1() : feed.json1()
}
