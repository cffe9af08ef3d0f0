// Request step 5 (views): the pages of a list — the home page (the site list) and a section's or a
// tag's page. Pure: typed props in, JSX out; no I/O, no clock.
import type { Teaser } from '../../model/list-layout'
import type { SiteConfig } from '../../model/site'
import { Layout, type FeedLink } from './Layout'
import { Teaser as TeaserItem } from './parts'
import { uiStrings } from './ui'

export interface Paging {
  page: number
  pageCount: number
  /** Path of page N (N ≥ 1) of this list. */
  pathOf: (page: number) => string
}

function Pagination(props: { paging: Paging; site: SiteConfig }) {
  const { page, pageCount, pathOf } = props.paging
  if (pageCount <= 1) return null
  const ui = uiStrings(props.site.language)
  return (
    <nav class="pagination" aria-label={ui.pagination}>
      {page > 1 ? (
        <a rel="prev" href={pathOf(page - 1)}>
          {ui.newer}
        </a>
      ) : (
        <span />
      )}
      <span>
        {ui.page} {page} {ui.of} {pageCount}
      </span>
      {page < pageCount ? (
        <a rel="next" href={pathOf(page + 1)}>
          {ui.older}
        </a>
      ) : (
        <span />
      )}
    </nav>
  )
}

/** A list's articles, newest first; on its first page the newest leads across the page. */
function ArticleList(props: {
  site: SiteConfig
  headingId: string
  heading: string
  website?: string | undefined
  articles: readonly Teaser[]
  paging: Paging
}) {
  const { site } = props
  const ui = uiStrings(site.language)
  return (
    <section aria-labelledby={props.headingId}>
      <h1 id={props.headingId} class="section-heading">
        <bdi>{props.heading}</bdi>
      </h1>
      {props.website ? (
        <p class="list-website">
          {ui.website}:{' '}
          <a href={props.website} rel="me" dir="ltr">
            {new URL(props.website).host}
          </a>
        </p>
      ) : null}
      {props.articles.length === 0 ? <p class="empty">{ui.noArticles}</p> : null}
      <ol class="teasers">
        {props.articles.map((article, i) => (
          <TeaserItem article={article} site={site} lead={i === 0 && props.paging.page === 1} />
        ))}
      </ol>
      <Pagination paging={props.paging} site={site} />
    </section>
  )
}

export interface HomePageProps {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  articles: readonly Teaser[]
  paging: Paging
  /** Sections for the masthead (see mastheadSections). */
  sections?: readonly string[] | undefined
}

/** The front page: the site list under «جديد الأخبار». */
export function HomePage(props: HomePageProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  const title = props.paging.page > 1 ? `${site.title} — ${ui.page} ${props.paging.page}` : site.title
  return <ListPage {...props} title={title} heading={ui.latestNews} description={site.description} />
}

export interface ListPageProps {
  site: SiteConfig
  /** Document title. */
  title: string
  /** The page's heading: the section or tag name. */
  heading: string
  /** Meta description; by default the heading with the site's description. */
  description?: string | undefined
  canonical: string
  feeds: readonly FeedLink[]
  articles: readonly Teaser[]
  paging: Paging
  /** Sections for the masthead (see mastheadSections). */
  sections?: readonly string[] | undefined
  /** On an author's page: the author's own site, when their articles name one. */
  website?: string | undefined
}

/** A section's, tag's or author's page: its articles, newest first, paginated. */
export function ListPage(props: ListPageProps) {
  const { site } = props
  return (
    <Layout
      site={site}
      title={props.title}
      description={props.description ?? `${props.heading} — ${site.description}`}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
      sections={props.sections}
    >
      <main id="main" class="wrap page">
        <ArticleList
          site={site}
          headingId="list-heading"
          heading={props.heading}
          website={props.website}
          articles={props.articles}
          paging={props.paging}
        />
      </main>
    </Layout>
  )
}
