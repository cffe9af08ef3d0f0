// Request step 5 (renderers): every feed the site offers, grouped for people and for feed
// readers — the data both /feeds (the page) and /feeds.opml (OPML 2.0) show. Pure.
import { newestDate } from '../../model/dates'
import { NAMED_LIST_KINDS, SITE_LIST, type ListRef, type NamedListKind } from '../../model/keys'
import type { SiteConfig } from '../../model/site'
import { visibleLists, type SitemapLists } from '../../model/sitemap-layout'
import { absoluteUrl, FEED_FORMATS, feedPath, listPath, type FeedFormat } from '../../model/urls'

export interface DirectoryEntry {
  list: ListRef
  /** The name as editors wrote it (the site's title for the site list). */
  name: string
  /** The list's HTML page. */
  page: string
  feeds: Record<FeedFormat, string>
}

export interface FeedDirectory {
  site: DirectoryEntry
  /** Named lists by kind, each sorted as the site's language sorts names. */
  groups: { kind: NamedListKind; entries: DirectoryEntry[] }[]
  /** The newest change among the lists (absent before the first publish). */
  lastModified: string | undefined
}

function entryOf(site: SiteConfig, list: ListRef, name: string): DirectoryEntry {
  const feeds = Object.fromEntries(FEED_FORMATS.map((format) => [format, absoluteUrl(site, feedPath(list, format))]))
  return { list, name, page: absoluteUrl(site, listPath(list)), feeds: feeds as Record<FeedFormat, string> }
}

/**
 * The directory from the sitemap's list of lists (sections, tags and authors with their lastmod),
 * as it stands at `now`: a list whose articles are all still scheduled is not in it yet.
 */
export function feedDirectory(site: SiteConfig, stored: SitemapLists, now: number): FeedDirectory {
  const collator = new Intl.Collator(site.language)
  const lists = visibleLists(stored, now)
  return {
    site: entryOf(site, SITE_LIST, site.title),
    groups: NAMED_LIST_KINDS.map((kind) => ({
      kind,
      entries: lists
        .filter((list) => list.kind === kind)
        .map((list) => entryOf(site, { kind, name: list.name }, list.name))
        .sort((a, b) => collator.compare(a.name, b.name)),
    })).filter((group) => group.entries.length > 0),
    lastModified: newestDate(lists.map((list) => list.lastModified)),
  }
}
