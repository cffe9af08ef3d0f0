// Step 4 of the data path: the HTML page routes. Thin: read, render, respond.
import { Hono } from 'hono'
import { Slug } from '../article'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, permanentRedirect, representationResponse } from '../http'
import { SITE_LIST } from '../keys'
import { isPublishedAt } from '../lists'
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
    const site = c.get('site')
    const page = parsePage(c.req.query('page'))
    if (page === null) return c.notFound()
    const now = Date.now()
    const listPage = await getListPage(c.env.ARTICLES, SITE_LIST, page, site.feedSize, now)
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
    })
  })
  .get('/articles/:slug', async (c) => {
    const site = c.get('site')
    const slug = c.req.param('slug').normalize('NFC')
    if (!Slug.safeParse(slug).success) return c.notFound()
    const now = Date.now()
    const [{ article, redirect, gone }, head] = await Promise.all([
      getArticleOrMoved(c.env.ARTICLES, slug),
      getListHead(c.env.ARTICLES, SITE_LIST),
    ])
    if (!article) {
      if (redirect) return permanentRedirect(articlePath(redirect.slug))
      return missingPage(c, gone)
    }
    // A scheduled article does not exist for readers until its time.
    if (!isPublishedAt(article, now)) return missingPage(c)
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
    })
  })
