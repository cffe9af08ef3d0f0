// Request step 5 (views): the pages for what is not there — 404, and 410 for an unpublished
// article. Pure: typed props in, JSX out.
import type { Gone } from '../../model/article'
import type { SiteConfig } from '../../model/site'
import { Layout, type FeedLink } from './Layout'
import { DateTime } from './parts'
import { uiStrings } from './ui'

export interface MessagePageProps {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  heading: string
  text: string
  sections?: readonly string[] | undefined
}

/** A page with a heading and a sentence: the 404 page. */
export function MessagePage(props: MessagePageProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  return (
    <Layout
      site={site}
      title={`${props.heading} — ${site.title}`}
      description={props.text}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
      sections={props.sections}
    >
      <main id="main" class="wrap page">
        <section class="message" aria-labelledby="message-heading">
          <h1 id="message-heading">{props.heading}</h1>
          <p>{props.text}</p>
          <p>
            <a href="/">{ui.backHome}</a>
          </p>
        </section>
      </main>
    </Layout>
  )
}

export interface GonePageProps {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  /** The tombstone the publish script left for the unpublished article. */
  gone: Gone
  sections?: readonly string[] | undefined
}

/** The 410 page of an unpublished article: which article it was, and when it was withdrawn. */
export function GonePage(props: GonePageProps) {
  const { site, gone } = props
  const ui = uiStrings(site.language)
  return (
    <Layout
      site={site}
      title={`${ui.goneTitle} — ${site.title}`}
      description={ui.goneText}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
      sections={props.sections}
    >
      <main id="main" class="wrap page">
        <section class="message" aria-labelledby="message-heading">
          <h1 id="message-heading">{ui.goneTitle}</h1>
          {/* The old title may be in any language: isolated so it keeps its own direction. */}
          <p class="withdrawn-title">
            <bdi>{gone.title}</bdi>
          </p>
          <p>{ui.goneText}</p>
          <p class="meta">
            {ui.withdrawnOn} <DateTime iso={gone.removedAt} language={site.language} site={site} />
          </p>
          <p>
            <a href="/">{ui.backHome}</a>
          </p>
        </section>
      </main>
    </Layout>
  )
}
