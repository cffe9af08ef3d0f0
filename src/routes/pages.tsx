// Step 4 of the data path: the HTML page routes. Thin: read, render, respond.
import { Hono } from 'hono'
import { Slug } from '../article'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, permanentRedirect, representationResponse } from '../http'
import { SITE_LIST } from '../keys'
import { isPublishedAt, nextScheduledAt } from '../lists'
import { feedUpdated } from '../render/feed'
import { getArticleOrMoved, getListHead, getListPage } from '../store'
import { absoluteUrl, articlePath, withPage } from '../urls'
import { ArticlePage, HomePage, renderPage } from '../views/pages'
import { mastheadSections } from '../views/sections'
import { autodiscoveryLinks, parsePage } from './lists'
import { missingPage } from './missing'

/** How many other articles the "latest news" box lists. */
const LATEST_COUNT = 6

export const pages = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { site, kv } = c.env
    const page = parsePage(c.req.query('page'))
    if (page === null) return c.notFound()
    const now = Date.now()
    const listPage = await getListPage(kv, SITE_LIST, page, site.feedSize, now)
    if (!listPage && page > 1) return c.notFound()
    const articles = listPage?.articles ?? []
    const body = renderPage(
      <HomePage
        site={site}
        canonical={absoluteUrl(site, withPage('/', page))}
        feeds={autodiscoveryLinks(site)}
        articles={articles}
        sections={mastheadSections(listPage?.head.articles ?? [], now)}
        paging={{
          page,
          pageCount: listPage?.window.pageCount ?? 1,
          pathOf: (n) => withPage('/', n),
        }}
      />,
    )
    return representationResponse({
      body,
      contentType: CONTENT_TYPE.html,
      cacheControl: CACHE_CONTROL.page,
      lastModified: articles.length > 0 ? feedUpdated(articles) : undefined,
      freshFor: freshUntil([listPage ? nextScheduledAt(listPage.head, now) : undefined], now),
    })
  })
  .get('/articles/:slug', async (c) => {
    const { site, kv } = c.env
    const slug = c.req.param('slug').normalize('NFC')
    if (!Slug.safeParse(slug).success) return c.notFound()
    const now = Date.now()
    const [moved, head] = await Promise.all([getArticleOrMoved(kv, slug), getListHead(kv, SITE_LIST)])
    // KV is eventually consistent per key: for up to a minute a location may still miss a new
    // article's key (or hold its earlier absence) while the site head it just read already links
    // it. The head holds the whole article, so a reader following that link never meets a 404.
    const article = moved.article ?? head?.articles.find((each) => each.slug === slug) ?? null
    if (!article) {
      if (moved.redirect) return permanentRedirect(articlePath(moved.redirect.slug))
      return missingPage(c, moved.gone)
    }
    // A scheduled article does not exist for readers until its time.
    if (!isPublishedAt(article, now)) {
      return missingPage(c, null, freshUntil([Date.parse(article.publishedAt)], now))
    }
    const latest = (head?.articles ?? [])
      .filter((other) => other.slug !== slug && isPublishedAt(other, now))
      .slice(-LATEST_COUNT)
      .reverse()
    const body = renderPage(
      <ArticlePage
        site={site}
        article={article}
        canonical={absoluteUrl(site, articlePath(slug))}
        feeds={autodiscoveryLinks(site)}
        latest={latest}
        now={now}
        sections={mastheadSections(head?.articles ?? [], now)}
      />,
    )
    return representationResponse({
      body,
      contentType: CONTENT_TYPE.html,
      cacheControl: CACHE_CONTROL.page,
      lastModified: feedUpdated([article, ...latest]),
      // The latest-news box and the masthead come from the site head: its schedule counts too.
      freshFor: freshUntil([head ? nextScheduledAt(head, now) : undefined], now),
    })
  })
