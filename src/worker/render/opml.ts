// Request step 5 (renderers): the feed directory as OPML 2.0 (http://opml.org/spec2.opml), the
// subscription list feed readers import in one step. One file per feed format, so an import
// subscribes to each list once. Pure, escaped by the one XML escaper.
import type { SiteConfig } from '../../model/site'
import type { FeedFormat } from '../../model/urls'
import { rfc822 } from '../language'
import type { DirectoryEntry, FeedDirectory } from './feed-directory'
import { attributes, element, XML_DECLARATION } from './xml'

/** OPML 2.0 `version` for a subscription: "RSS" covers RSS 0.91–2.0; the spec knows none for the others. */
const VERSIONS: Record<FeedFormat, string | undefined> = { rss: 'RSS', atom: undefined, json: undefined }

/** OPML 2.0: `text` is required on every outline; a subscription (`type="rss"`) needs `xmlUrl`. */
const subscription = (site: SiteConfig, entry: DirectoryEntry, format: FeedFormat, title: string) =>
  `<outline${attributes({
    type: 'rss',
    text: title,
    title,
    xmlUrl: entry.feeds[format],
    htmlUrl: entry.page,
    language: site.language,
    version: VERSIONS[format],
  })}/>`

export function renderOpml(
  site: SiteConfig,
  directory: FeedDirectory,
  format: FeedFormat,
  words: { title: string; groups: Record<string, string>; listTitle: (entry: DirectoryEntry) => string },
): string {
  let out =
    `${XML_DECLARATION}<opml version="2.0">\n<head>` +
    element('title', words.title) +
    (directory.lastModified ? element('dateModified', rfc822(directory.lastModified)) : '') +
    element('ownerName', site.title) +
    element('docs', 'http://opml.org/spec2.opml') +
    '</head>\n<body>\n' +
    subscription(site, directory.site, format, site.title) +
    '\n'
  for (const group of directory.groups) {
    const label = words.groups[group.kind] ?? group.kind
    out += `<outline${attributes({ text: label, title: label })}>\n`
    for (const entry of group.entries) out += `${subscription(site, entry, format, words.listTitle(entry))}\n`
    out += '</outline>\n'
  }
  return `${out}</body>\n</opml>\n`
}
