// Every URL the site hands out, in one place: paths for links inside pages, absolute URLs for
// feeds and canonical links. Arabic slugs and names are percent-encoded (RFC 3986).
import { foldName, type ListRef, type NamedListKind } from './keys'
import type { SiteConfig } from './site'

export const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const
export type FeedFormat = (typeof FEED_FORMATS)[number]

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
}

/** Where the pages of each kind of named list live: `/sections/…`, `/tags/…`, `/authors/…`. */
export const LIST_FOLDERS: Record<NamedListKind, string> = {
  section: 'sections',
  tag: 'tags',
  author: 'authors',
}

/** The HTML page of a list: `/`, `/sections/<name>`, `/tags/<name>` or `/authors/<name>`. */
export const listPath = (list: ListRef): string =>
  list.kind === 'site' ? '/' : `/${LIST_FOLDERS[list.kind]}/${encodeURIComponent(foldName(list.name))}`

/** A list's feed in one format: `/rss.xml`, `/tags/<name>/atom.xml` … */
export function feedPath(list: ListRef, format: FeedFormat): string {
  const base = listPath(list)
  return `${base.endsWith('/') ? base : `${base}/`}${FEED_FILES[format]}`
}

/** The page listing every feed. */
export const FEEDS_DIRECTORY_PATH = '/feeds'

/** The same as OPML for feed readers to import, one file per format (RSS's is `/feeds.opml`). */
export const opmlPath = (format: FeedFormat) => (format === 'rss' ? '/feeds.opml' : `/feeds/${format}.opml`)

/** `path` with `?page=N` for pages after the first. */
export const withPage = (path: string, page: number) => (page > 1 ? `${path}?page=${page}` : path)

export const absoluteUrl = (site: SiteConfig, path: string) => `${site.url}${path}`
