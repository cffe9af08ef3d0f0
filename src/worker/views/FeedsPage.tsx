// Request step 5 (views): /feeds — every feed the site offers, in each format, with the OPML
// files that subscribe a reader to all of them at once. Pure: typed props in, JSX out.
import type { SiteConfig } from '../../model/site'
import { FEED_FORMATS, type FeedFormat } from '../../model/urls'
import type { DirectoryEntry, FeedDirectory } from '../render/feed-directory'
import { FEED_LABELS } from './feed-links'
import { Layout, type FeedLink } from './Layout'
import { uiStrings, type UiStrings } from './ui'

/** The group headings: the site's own words for sections, tags and authors. */
export const groupLabels = (ui: UiStrings): Record<string, string> => ({
  section: ui.sections,
  tag: ui.tags,
  author: ui.authors,
})

function Entry(props: { entry: DirectoryEntry }) {
  const { entry } = props
  return (
    <li>
      <a href={entry.page} dir="auto">
        {entry.name}
      </a>{' '}
      <span class="meta">
        {FEED_FORMATS.map((format, i) => (
          <>
            {i > 0 ? ' · ' : null}
            <a href={entry.feeds[format]}>{FEED_LABELS[format]}</a>
          </>
        ))}
      </span>
    </li>
  )
}

export interface FeedsPageProps {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  directory: FeedDirectory
  /** The OPML file of each format. */
  opml: Record<FeedFormat, string>
  sections?: readonly string[] | undefined
}

export function FeedsPage(props: FeedsPageProps) {
  const { site, directory } = props
  const ui = uiStrings(site.language)
  const labels = groupLabels(ui)
  return (
    <Layout
      site={site}
      title={`${ui.allFeeds} — ${site.title}`}
      description={ui.feedsIntro}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
      sections={props.sections}
    >
      <main id="main" class="wrap page">
        <section class="feed-directory" aria-labelledby="feeds-heading">
          <h1 id="feeds-heading" class="section-heading">
            {ui.allFeeds}
          </h1>
          <p>{ui.feedsIntro}</p>
          <p>
            {ui.importAll}:{' '}
            {FEED_FORMATS.map((format, i) => (
              <>
                {i > 0 ? ' · ' : null}
                <a href={props.opml[format]} type="text/x-opml">
                  {FEED_LABELS[format]}
                </a>
              </>
            ))}
          </p>
          <ul class="directory">
            <Entry entry={directory.site} />
          </ul>
          {directory.groups.map((group) => (
            <>
              <h2>{labels[group.kind]}</h2>
              <ul class="directory">
                {group.entries.map((entry) => (
                  <Entry entry={entry} />
                ))}
              </ul>
            </>
          ))}
        </section>
      </main>
    </Layout>
  )
}
