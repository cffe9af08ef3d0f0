// Request step 5 (views): a list's title and the feeds a page offers for autodiscovery
// (`<link rel="alternate">`): the site's, and a section's or tag's own on its pages.
import { SITE_LIST, type ListRef } from '../../model/keys'
import type { SiteConfig } from '../../model/site'
import { absoluteUrl, FEED_FORMATS, feedPath, type FeedFormat } from '../../model/urls'
import { CONTENT_TYPE } from '../http'
import type { FeedLink } from './Layout'

export const FEED_LABELS: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' }

/** The title of a list: the site's, or «site — section/tag name». */
export const listTitle = (site: SiteConfig, list: ListRef, name: string | null) =>
  list.kind === 'site' ? site.title : `${site.title} — ${name ?? list.name}`

/** `<link rel="alternate">` entries: the site feeds, plus the list's own when it isn't the site. */
export function autodiscoveryLinks(site: SiteConfig, list: ListRef = SITE_LIST): FeedLink[] {
  const lists = list.kind === 'site' ? [SITE_LIST] : [list, SITE_LIST]
  return lists.flatMap((each) =>
    FEED_FORMATS.map((format) => ({
      title: `${listTitle(site, each, each.kind === 'site' ? null : each.name)} (${FEED_LABELS[format]})`,
      href: absoluteUrl(site, feedPath(each, format)),
      type: CONTENT_TYPE[format].split(';')[0]!,
    })),
  )
}
