// Step 4 of the data path: what list routes share — the `?page=N` parameter, the feed document
// for a list page, and the autodiscovery links.
import { listChunkKey, SITE_LIST, type ListRef } from '../keys'
import type { FeedDocument } from '../render/feed'
import type { SiteConfig } from '../site'
import type { ListPage } from '../store'
import { absoluteUrl, feedPath, listPath, withPage, type FeedFormat } from '../urls'
import type { FeedLink } from '../views/Layout'
import { CONTENT_TYPE } from '../http'

/** Longest section or tag name a URL may carry (KV keys are at most 512 bytes). */
const MAX_NAME_LENGTH = 200
const MAX_KEY_BYTES = 512

/**
 * The list a `/sections/:name` or `/tags/:name` URL names, or null for an impossible name: one
 * whose keys would pass KV's limit (folding can lengthen a name: `İ` → `i̇`), which the publish
 * script never writes and KV refuses to read.
 */
export function listFromParams(kind: 'section' | 'tag', raw: string): Exclude<ListRef, { kind: 'site' }> | null {
  const name = raw.normalize('NFC').trim()
  if (!name || name.length > MAX_NAME_LENGTH) return null
  const list = { kind, name }
  return new TextEncoder().encode(listChunkKey(list, 999_999)).length <= MAX_KEY_BYTES ? list : null
}

/** `?page=N`: absent is page 1; anything but a plain positive integer is null (a 404). */
export function parsePage(value: string | undefined): number | null {
  if (value === undefined) return 1
  return /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : null
}

const FEED_LABELS: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' }

/** The title of a list: the site's, or «site — section/tag name». */
export const listTitle = (site: SiteConfig, list: ListRef, name: string | null) =>
  list.kind === 'site' ? site.title : `${site.title} — ${name ?? list.name}`

/** `<link rel="alternate">` entries: the site feeds, plus the list's own when it isn't the site. */
export function autodiscoveryLinks(site: SiteConfig, list: ListRef = SITE_LIST): FeedLink[] {
  const lists = list.kind === 'site' ? [SITE_LIST] : [list, SITE_LIST]
  return lists.flatMap((each) =>
    (['rss', 'atom', 'json'] as const).map((format) => ({
      title: `${listTitle(site, each, each.kind === 'site' ? null : each.name)} (${FEED_LABELS[format]})`,
      href: absoluteUrl(site, feedPath(each, format)),
      type: CONTENT_TYPE[format].split(';')[0]!,
    })),
  )
}

/** The feed document for one page of a list in one format, with RFC 5005 paging links. */
export function feedDocument(
  site: SiteConfig,
  list: ListRef,
  format: FeedFormat,
  listPage: ListPage,
  page: number,
): FeedDocument {
  const feedUrl = (n: number) => absoluteUrl(site, withPage(feedPath(list, format), n))
  const { pageCount } = listPage.window
  const paged = pageCount > 1
  return {
    site,
    title: listTitle(site, list, listPage.head.name),
    description: site.description,
    id: absoluteUrl(site, listPath(list)),
    links: {
      self: feedUrl(page),
      alternate: absoluteUrl(site, withPage(listPath(list), page)),
      first: paged ? feedUrl(1) : undefined,
      previous: page > 1 ? feedUrl(page - 1) : undefined,
      next: page < pageCount ? feedUrl(page + 1) : undefined,
      last: paged ? feedUrl(pageCount) : undefined,
    },
    hubs: site.hubs,
    articles: listPage.articles,
  }
}
