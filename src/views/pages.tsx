// Step 5 (renderers): the HTML pages. Pure: typed props in, an HTML string out (see renderPage).
import { raw } from 'hono/html'
import type { StoredArticle } from '../article'
import { formatList } from '../language'
import type { SiteConfig } from '../site'
import { articlePath, listPath } from '../urls'
import { Layout, type FeedLink } from './Layout'
import { DateTime, Figure, languageOf, Teaser } from './parts'
import { uiStrings } from './ui'

/** A page as an HTML document string. */
export const renderPage = (page: { toString(): string }) => `<!DOCTYPE html>${page.toString()}`

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
        {ui.page} {page} / {pageCount}
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

export interface HomePageProps {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  articles: readonly StoredArticle[]
  paging: Paging
}

export function HomePage(props: HomePageProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  const title = props.paging.page > 1 ? `${site.title} — ${ui.page} ${props.paging.page}` : site.title
  return (
    <Layout
      site={site}
      title={title}
      description={site.description}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
    >
      <main id="main" class="page">
        <section aria-labelledby="latest-heading">
          <h1 id="latest-heading">{ui.latestNews}</h1>
          {props.articles.length === 0 ? <p>{ui.noArticles}</p> : null}
          <ol class="teasers">
            {props.articles.map((article) => (
              <Teaser article={article} site={site} />
            ))}
          </ol>
          <Pagination paging={props.paging} site={site} />
        </section>
      </main>
    </Layout>
  )
}

export interface ListPageProps {
  site: SiteConfig
  /** Document title. */
  title: string
  /** The page's heading: the section or tag name. */
  heading: string
  canonical: string
  feeds: readonly FeedLink[]
  articles: readonly StoredArticle[]
  paging: Paging
}

/** A section's or a tag's page: its articles, newest first, paginated. */
export function ListPage(props: ListPageProps) {
  const { site } = props
  const ui = uiStrings(site.language)
  return (
    <Layout
      site={site}
      title={props.title}
      description={`${props.heading} — ${site.description}`}
      canonical={props.canonical}
      language={site.language}
      feeds={props.feeds}
    >
      <main id="main" class="page">
        <section aria-labelledby="list-heading">
          <h1 id="list-heading">
            <bdi>{props.heading}</bdi>
          </h1>
          {props.articles.length === 0 ? <p>{ui.noArticles}</p> : null}
          <ol class="teasers">
            {props.articles.map((article) => (
              <Teaser article={article} site={site} />
            ))}
          </ol>
          <Pagination paging={props.paging} site={site} />
        </section>
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
}

export function ArticlePage(props: ArticlePageProps) {
  const { site, article } = props
  const ui = uiStrings(site.language)
  const siteLanguage = { lang: site.language }
  return (
    <Layout
      site={site}
      title={`${article.title} — ${site.title}`}
      description={article.summary}
      canonical={props.canonical}
      language={article.language}
      feeds={props.feeds}
    >
      <main id="main" class="page with-aside">
        <article class="article">
          <header>
            {article.section ? (
              <p class="kicker">
                <a href={listPath({ kind: 'section', name: article.section })}>{article.section}</a>
              </p>
            ) : null}
            <h1 class="article-title">{article.title}</h1>
            <p class="lead">{article.summary}</p>
            <p class="byline">
              {article.authors.length > 0 ? (
                <span>
                  {formatList(
                    article.authors.map((author) => author.name),
                    article.language,
                  )}
                </span>
              ) : null}
              <DateTime iso={article.publishedAt} language={article.language} site={site} />
              {article.updatedAt ? (
                <span>
                  {ui.updated}:{' '}
                  <DateTime iso={article.updatedAt} language={article.language} site={site} />
                </span>
              ) : null}
            </p>
          </header>
          {article.image ? <Figure image={article.image} ui={ui} /> : null}
          {/* Sanitised at publish time: the one sanctioned path for article HTML into a page. */}
          <div class="article-body">{raw(article.html)}</div>
          {article.tags.length > 0 ? (
            <ul class="tags" aria-label={ui.tags}>
              {article.tags.map((tag) => (
                <li>
                  <a href={listPath({ kind: 'tag', name: tag })}>{tag}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </article>
        <aside class="aside" aria-labelledby="latest-heading" {...siteLanguage}>
          <h2 id="latest-heading">{ui.latestNews}</h2>
          <ol>
            {props.latest.map((other) => (
              <li {...languageOf(other)}>
                <a href={articlePath(other.slug)}>{other.title}</a>
              </li>
            ))}
          </ol>
        </aside>
      </main>
    </Layout>
  )
}

export function MessagePage(props: {
  site: SiteConfig
  canonical: string
  feeds: readonly FeedLink[]
  heading: string
  text: string
}) {
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
    >
      <main id="main" class="page">
        <section>
          <h1>{props.heading}</h1>
          <p>{props.text}</p>
          <p>
            <a href="/">{ui.backHome}</a>
          </p>
        </section>
      </main>
    </Layout>
  )
}
