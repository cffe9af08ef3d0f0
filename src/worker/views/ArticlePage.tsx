// Request step 5 (views): the article page. Pure: typed props in, JSX out; no I/O, and what
// depends on the time (related articles) takes a `now` prop.
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { RelatedArticle, StoredArticle } from '../../model/article'
import type { Teaser } from '../../model/list-layout'
import type { SiteConfig } from '../../model/site'
import { articlePath, listPath } from '../../model/urls'
import { textDirection } from '../language'
import { isolate } from './document'
import { Layout, type FeedLink } from './Layout'
import { Authors, DateTime, Figure, Kicker, languageOf } from './parts'
import { uiStrings } from './ui'

/** lang/dir for the site's own words inside a page whose content is in another language. */
const siteLanguageWithin = (site: SiteConfig, pageLanguage: string) =>
  pageLanguage === site.language ? {} : { lang: site.language, dir: textDirection(site.language) }

export interface ArticlePageProps {
  site: SiteConfig
  article: StoredArticle
  canonical: string
  feeds: readonly FeedLink[]
  /** The site's newest articles, for the "latest news" box (this one excluded). */
  latest: readonly Teaser[]
  /** Other articles sharing its tags, most related first. */
  related: readonly RelatedArticle[]
  /** The request time: related articles scheduled after it are not linked yet. */
  now: number
  /** Sections for the masthead (see mastheadSections). */
  sections?: readonly string[] | undefined
  /** Shown above the article: what a page that is not the published one says about itself. */
  notice?: Child
  robots?: string | undefined
}

export function ArticlePage(props: ArticlePageProps) {
  const { site, article } = props
  const ui = uiStrings(site.language)
  // The article's own words (byline, tag label) in its language; the site's around it.
  const words = uiStrings(article.language)
  const chrome = siteLanguageWithin(site, article.language)
  const related = props.related.filter((other) => Date.parse(other.publishedAt) <= props.now)
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
      robots={props.robots}
    >
      <div class="wrap page with-aside">
        <main id="main">
          {props.notice}
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
            {article.image ? <Figure image={article.image} /> : null}
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
