// Request step 5 (renderers): what the three feed formats share — the feed document every renderer takes,
// and the per-article facts (URL, authors, categories, content HTML) computed once for all three.
// Renderers are pure: no I/O, no clock; a feed's updated time comes from its newest article.
import { lastModified, type Author, type Image, type StoredArticle } from '../../model/article'
import { newestDate } from '../../model/dates'
import { escapeHtml } from '../../model/html'
import { PHOTO_SIZES, pictureHtml, pictureOf, singlePhoto, type SinglePhoto } from '../../model/picture'
import type { NamedListKind } from '../../model/keys'
import { conjunctionPattern, formatDate, rfc3339, textDirection } from '../language'
import { uiStrings } from '../views/ui'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, articlePath, listPath } from '../../model/urls'

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
  /** The request time: related articles scheduled after it are not linked yet. */
  now: number
}

/** The newest change among the feed's articles; the epoch for an empty feed (never the clock). */
export const feedUpdated = (articles: readonly Pick<StoredArticle, 'publishedAt' | 'updatedAt'>[]): string =>
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

/** The page on this site of a section, tag or author. */
export const namedListUrl = (site: SiteConfig, kind: NamedListKind, name: string) =>
  absoluteUrl(site, listPath({ kind, name }))

/** Where an author leads in a feed: their own page elsewhere, or their page on this site. */
export const authorUrl = (site: SiteConfig, author: Author) => author.url ?? namedListUrl(site, 'author', author.name)

/** Text as HTML: what RSS readers render a description or content as (one escaper, model/html.ts). */
export { escapeHtml }

const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`

/** Entries a footer memo holds for one settings object at most: some keys come from the content. */
const MAX_MEMO_ENTRIES = 10_000

/**
 * A memo of footer HTML that depends on the site settings and a key alone (a list's name, a
 * language): made once per isolate, since the settings never change within one, instead of for
 * every item of every page — percent-encoding and escaping these was a third of a footer's CPU.
 */
function footerMemo() {
  const bySite = new WeakMap<SiteConfig, Map<string, string>>()
  return (site: SiteConfig, key: string, make: () => string): string => {
    let memo = bySite.get(site)
    if (!memo) bySite.set(site, (memo = new Map()))
    let html = memo.get(key)
    if (html === undefined) {
      if (memo.size >= MAX_MEMO_ENTRIES) memo.clear()
      memo.set(key, (html = make()))
    }
    return html
  }
}

const listLinks = footerMemo()
/** The link to a section's, tag's or author's page on this site (the key is unambiguous: no kind has a colon). */
const listLink = (site: SiteConfig, kind: NamedListKind, name: string) =>
  listLinks(site, `${kind}:${name}`, () => link(namedListUrl(site, kind, name), name))

const rightsLines = footerMemo()
/** The site's rights line under an article in `language`, marked with the site's language where it differs. */
const rightsLine = (site: SiteConfig, language: string) =>
  rightsLines(site, language, () => {
    const rightsLanguage = site.language === language ? '' : ` lang="${escapeHtml(site.language)}" dir="${textDirection(site.language)}"`
    return `<small${rightsLanguage}>${escapeHtml(site.rights)}</small>`
  })

/** Names joined as `language` joins them, each in <bdi> so mixed directions keep their order. */
function joined(itemsHtml: readonly string[], language: string): string {
  let html = ''
  for (const part of conjunctionPattern(language, itemsHtml.length))
    html += part.type === 'element' ? `<bdi>${itemsHtml[part.index]}</bdi>` : escapeHtml(part.value)
  return html
}

/** The lead photo as the article page shows it, every URL absolute; none without a photo. */
function photoHtml(image: Image, site: SiteConfig): string {
  if (image.variants) {
    const picture = pictureOf(image.variants, (path) => absoluteUrl(site, path))
    return pictureHtml(picture, { alt: image.alt, sizes: PHOTO_SIZES.article, lazy: false })
  }
  if (!image.url) return ''
  return (
    `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}"` +
    (image.width && image.height ? ` width="${image.width}" height="${image.height}"` : '') +
    '>'
  )
}

/** The lead photo with its caption and agency credit; without a photo, caption and credit alone. */
function figureHtml(image: Image | undefined, site: SiteConfig): string {
  if (!image) return ''
  const photo = photoHtml(image, site)
  const caption = [image.caption && `<bdi>${escapeHtml(image.caption)}</bdi>`, image.credit && `(${escapeHtml(image.credit)})`]
    .filter(Boolean)
    .join(' ')
  if (!photo && !caption) return ''
  return `<figure>${photo}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`
}

/**
 * What the article page shows of the article around its body, for readers that show only the
 * content: the byline, the section and tags, the update date, and the site's rights line — each a
 * link where the page has one, in the article's language. (Related articles are the page's own
 * navigation, like its latest-news box, and stay on the page.)
 */
function articleFooterHtml(article: StoredArticle, feed: Pick<FeedDocument, 'site' | 'now'>): string {
  const { site } = feed
  const words = uiStrings(article.language)
  const lines: string[] = []
  if (article.authors.length > 0) {
    const authors = article.authors.map((author) =>
      author.url === undefined ? listLink(site, 'author', author.name) : link(author.url, author.name),
    )
    lines.push(`${escapeHtml(words.by)} ${joined(authors, article.language)}`)
  }
  if (article.section) lines.push(`${escapeHtml(words.section)}: <bdi>${listLink(site, 'section', article.section)}</bdi>`)
  if (article.tags.length > 0) {
    const tags = article.tags.map((tag) => listLink(site, 'tag', tag))
    lines.push(`${escapeHtml(words.tags)}: ${joined(tags, article.language)}`)
  }
  if (article.updatedAt) {
    const date = formatDate(article.updatedAt, article.language, site.timeZone)
    lines.push(`${escapeHtml(words.updated)}: <time datetime="${rfc3339(article.updatedAt)}">${escapeHtml(date)}</time>`)
  }
  if (site.rights) lines.push(rightsLine(site, article.language))
  return lines.length > 0 ? `<footer>${lines.map((line) => `<p>${line}</p>`).join('')}</footer>` : ''
}

/**
 * The article's HTML for feed readers: everything the article page shows of it — the lead photo
 * (as the page's <picture>, absolute URLs) or, without a photo, its caption and credit; the body; the byline, section, tags, update
 * and rights — wrapped in an element carrying `dir` and `lang` so right-to-left text stays
 * right-to-left in every reader. The body HTML was sanitised at publish time.
 */
export function feedContentHtml(article: StoredArticle, feed: Pick<FeedDocument, 'site' | 'now'>): string {
  const lang = escapeHtml(article.language)
  return (
    `<div dir="${textDirection(article.language)}" lang="${lang}">` +
    figureHtml(article.image, feed.site) +
    article.html +
    articleFooterHtml(article, feed) +
    '</div>'
  )
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

/**
 * The one file that stands for the article's photo in a feed (media:content, the enclosure, JSON
 * Feed's image and attachment): a processed photo's widest JPEG with its true size, or an external
 * photo's URL with its type guessed from the extension (src/model/picture.ts says why JPEG).
 */
export function feedPhoto(site: SiteConfig, article: StoredArticle): (SinglePhoto & { type?: string }) | undefined {
  const photo = singlePhoto(article.image, (path) => absoluteUrl(site, path))
  return photo && { ...photo, type: photo.type ?? imageType(photo.url) }
}
