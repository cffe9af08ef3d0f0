// Step 5 (renderers): the HTML pages. Pure: typed props in, an HTML string out (see renderPage);
// no I/O and no clock — what depends on the time (related articles) takes a `now` prop.
import { raw } from 'hono/html'
import type { Gone, StoredArticle } from '../article'
import { textDirection } from '../language'
import type { SiteConfig } from '../site'
import { articlePath, listPath } from '../urls'
import { Layout, type FeedLink } from './Layout'
import { Authors, DateTime, Figure, Kicker, languageOf, Teaser } from './parts'
import { uiStrings } from './ui'

/**
 * Text that may be in any direction, isolated for places that take no markup (<title>): FSI … PDI
 * (U+2068, U+2069), so a bidi override in an article title cannot reorder what follows it.
 */
const isolate = (text: string) => `\u2068${text}\u2069`

/** A page as an HTML document string. */
export const renderPage = (page: { toString(): string }) => `<!DOCTYPE html>${page.toString()}`

/** lang/dir for the site's own words inside a page whose content is in another language. */
const siteLanguageWithin = (site: SiteConfig, pageLanguage: string) =>
  pageLanguage === site.language ? {} : { lang: site.language, dir: textDirection(site.language) }

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
  articles: readonly StoredArticle[]
  paging: Paging
}) {
  const { site } = props
  const ui = uiStrings(site.language)
  return (
    <section aria-labelledby={props.headingId}>
      <h1 id={props.headingId} class="section-heading">
        <bdi>{props.heading}</bdi>
      </h1>
      {props.articles.length === 0 ? <p class="empty">{ui.noArticles}</p> : null}
      <ol class="teasers">
        {props.articles.map((article, i) => (
          <Teaser article={article} site={site} lead={i === 0 && props.paging.page === 1} />
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
  articles: readonly StoredArticle[]
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
  articles: readonly StoredArticle[]
  paging: Paging
  /** Sections for the masthead (see mastheadSections). */
  sections?: readonly string[] | undefined
}

/** A section's or a tag's page: its articles, newest first, paginated. */
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
          articles={props.articles}
          paging={props.paging}
        />
      </main>
    </Layout>
  )
}

export interface ArticlePageProps {
  site: SiteConfig
  article: StoredArticle
  canonical: string
  feeds: readonly FeedLink[]
  /** The site's newest articles, for the "latest news" box (this one excluded). */
  latest: readonly StoredArticle[]
  /** The request time: related articles scheduled after it are not linked yet. */
  now: number
  /** Sections for the masthead (see mastheadSections). */
  sections?: readonly string[] | undefined
}

export function ArticlePage(props: ArticlePageProps) {
  const { site, article } = props
  const ui = uiStrings(site.language)
  // The article's own words (byline, tag label) in its language; the site's around it.
  const words = uiStrings(article.language)
  const chrome = siteLanguageWithin(site, article.language)
  const related = article.related.filter((other) => Date.parse(other.publishedAt) <= props.now)
  return (
    <Layout
      site={site}
      title={`${isolate(article.title)} — ${site.title}`}
      shareTitle={article.title}
      description={article.summary}
      canonical={props.canonical}
      language={article.language}
      feeds={props.feeds}
      sections={props.sections}
      article={article}
    >
      <div class="wrap page with-aside">
        <main id="main">
          <article class="article">
            <header>
              <Kicker section={article.section} />
              <h1 class="article-title">{article.title}</h1>
              <p class="lead">{article.summary}</p>
              <p class="byline">
                {article.authors.length > 0 ? (
                  <span>
                    {words.by} <Authors authors={article.authors} language={article.language} />
                  </span>
                ) : null}
                <DateTime iso={article.publishedAt} language={article.language} site={site} />
                {article.updatedAt ? (
                  <span>
                    {words.updated}:{' '}
                    <DateTime iso={article.updatedAt} language={article.language} site={site} />
                  </span>
                ) : null}
              </p>
            </header>
            {article.image ? <Figure image={article.image} ui={words} /> : null}
            {/* Sanitised at publish time: the one sanctioned path for article HTML into a page. */}
            <div class="article-body">{raw(article.html)}</div>
            {article.tags.length > 0 ? (
              <ul class="tags" aria-label={words.tags}>
                {article.tags.map((tag) => (
                  <li>
                    <a href={listPath({ kind: 'tag', name: tag })} dir="auto">
                      {tag}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </article>
          {related.length > 0 ? (
            <section class="related" aria-labelledby="related-heading" {...chrome}>
              <h2 id="related-heading" class="section-heading">
                {ui.related}
              </h2>
              <ul>
                {related.map((other) => (
                  <li {...languageOf(other)}>
                    <a href={articlePath(other.slug)}>{other.title}</a>{' '}
                    <span class="meta">
                      <DateTime iso={other.publishedAt} language={other.language} site={site} />
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </main>
        <aside class="aside" aria-labelledby="latest-heading" {...chrome}>
          <h2 id="latest-heading" class="section-heading">
            {ui.latestNews}
          </h2>
          <ol>
            {props.latest.map((other) => (
              <li {...languageOf(other)}>
                <a href={articlePath(other.slug)}>{other.title}</a>{' '}
                <span class="meta">
                  <DateTime iso={other.publishedAt} language={other.language} site={site} />
                </span>
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </Layout>
  )
}

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
