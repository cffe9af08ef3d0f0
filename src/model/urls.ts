// Every URL the site hands out, in one place: paths for links inside pages, absolute URLs for
// feeds and canonical links. Arabic slugs and names are percent-encoded (RFC 3986).
import { foldName, type ListRef } from './keys'
import type { SiteConfig } from './site'

export const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const
export type FeedFormat = (typeof FEED_FORMATS)[number]

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: 'rss.xml',
  atom: 'atom.xml',
  json: 'feed.json',
}

/** The HTML page of a list: `/`, `/sections/<name>` or `/tags/<name>`. */
export function listPath(list: ListRef): string {
  switch (list.kind) {
    case 'site':
      return '/'
    case 'section':
      return `/sections/${encodeURIComponent(foldName(list.name))}`
    case 'tag':
      return `/tags/${encodeURIComponent(foldName(list.name))}`
  }
}

/** A list's feed in one format: `/rss.xml`, `/tags/<name>/atom.xml` … */
export function feedPath(list: ListRef, format: FeedFormat): string {
  const base = listPath(list)
  return `${base.endsWith('/') ? base : `${base}/`}${FEED_FILES[format]}`
}

/** `path` with `?page=N` for pages after the first. */
export const withPage = (path: string, page: number) => (page > 1 ? `${path}?page=${page}` : path)

export const absoluteUrl = (site: SiteConfig, path: string) => `${site.url}${path}`
