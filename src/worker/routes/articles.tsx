// Request step 3 (routes): the article page, `/articles/:slug` — or what became of the slug (a
// rename answers 301, an unpublished article 410). Thin: read, render, respond.
import { Hono } from 'hono'
import { isSlug } from '../../model/formats'
import { SITE_LIST } from '../../model/keys'
import { isPublishedAt, nextScheduledAt } from '../../model/list-layout'
import { absoluteUrl, articlePath } from '../../model/urls'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, permanentRedirect, representationResponse } from '../http'
import { feedUpdated } from '../render/feed'
import { getArticleOrMoved, getListHead } from '../store'
import { ArticlePage } from '../views/ArticlePage'
import { renderPage } from '../views/document'
import { autodiscoveryLinks } from '../views/feed-links'
import { mastheadSections } from '../views/sections'
import { missingPage } from './not-found'

/** How many other articles the "latest news" box lists. */
const LATEST_COUNT = 6

export const articlePages = new Hono<AppEnv>()
  .get('/articles/:slug', async (c) => {
    const { site, kv } = c.env
    const slug = c.req.param('slug').normalize('NFC')
    if (!isSlug(slug)) return c.notFound()
    const now = Date.now()
    const [moved, head] = await Promise.all([getArticleOrMoved(kv, slug), getListHead(kv, SITE_LIST)])
    // KV is eventually consistent per key: for up to a minute a location may still miss a new
    // article's key (or hold its earlier absence) while the site head it just read already links
    // it. The head holds the whole article, so a reader following that link never meets a 404.
    const article = moved.article ?? head?.articles.find((each) => each.slug === slug) ?? null
    if (!article) {
      const { redirect } = moved
      // A rename to an article still scheduled: the old URL tells nothing of it until its time.
      const revealsAt = redirect?.publishedAt ? Date.parse(redirect.publishedAt) : undefined
      if (revealsAt !== undefined && revealsAt > now) return missingPage(c, null, freshUntil([revealsAt], now))
      if (redirect) return permanentRedirect(articlePath(redirect.slug))
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
