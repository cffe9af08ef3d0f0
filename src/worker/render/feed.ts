// Request step 5 (renderers): what the three feed formats share — the feed document every renderer takes,
// and the per-article facts (URL, authors, categories, content HTML) computed once for all three.
// Renderers are pure: no I/O, no clock; a feed's updated time comes from its newest article.
import { lastModified, type Author, type StoredArticle } from '../../model/article'
import { newestDate } from '../../model/dates'
import { textDirection } from '../language'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, articlePath } from '../../model/urls'

/** Absolute URLs a feed links to (RFC 5005 paging links only where they exist). */
export interface FeedLinks {
  self: string
  /** The HTML page the feed mirrors. */
  alternate: string
  first?: string
  previous?: string
  next?: string
  last?: string
}

export interface FeedDocument {
  site: SiteConfig
  title: string
  description: string
  /** A stable id for the feed as a whole, shared by all its pages and formats. */
  id: string
  links: FeedLinks
  /** WebSub hubs (rel="hub"). */
  hubs: readonly string[]
  /** Newest first. */
  articles: readonly StoredArticle[]
}

/** The newest change among the feed's articles; the epoch for an empty feed (never the clock). */
export const feedUpdated = (articles: readonly StoredArticle[]): string =>
  newestDate(articles.map(lastModified)) ?? '1970-01-01T00:00:00Z'

export const articleUrl = (site: SiteConfig, article: StoredArticle) =>
  absoluteUrl(site, articlePath(article.slug))

/** The article's authors, or the site itself when none is named. */
export const articleAuthors = (site: SiteConfig, article: StoredArticle): Author[] =>
  article.authors.length > 0 ? article.authors : [{ name: site.title, url: site.url }]

/** Section first, then tags: every name a reader could file the article under. */
export function articleCategories(article: StoredArticle): { name: string; kind: 'section' | 'tag' }[] {
  const categories: { name: string; kind: 'section' | 'tag' }[] = []
  if (article.section) categories.push({ name: article.section, kind: 'section' })
  for (const tag of article.tags) categories.push({ name: tag, kind: 'tag' })
  return categories
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!)

/**
 * The article's HTML for feed readers: its lead image as a figure, then the body, wrapped in an
 * element carrying `dir` and `lang` so right-to-left text stays right-to-left in every reader.
 * The body HTML was sanitised at publish time.
 */
export function feedContentHtml(article: StoredArticle): string {
  const { image } = article
  let figure = ''
  if (image?.url) {
    const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : ''
    const caption = [image.caption, image.credit && `(${image.credit})`].filter(Boolean).join(' ')
    figure =
      `<figure><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}"${size}>` +
      (caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : '') +
      '</figure>'
  }
  const lang = escapeHtml(article.language)
  return `<div dir="${textDirection(article.language)}" lang="${lang}">${figure}${article.html}</div>`
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
}

/** The image's MIME type from its file extension, or undefined when it can't be told. */
export function imageType(url: string): string | undefined {
  const extension = new URL(url).pathname.split('.').pop()?.toLowerCase()
  return extension ? IMAGE_TYPES[extension] : undefined
}
