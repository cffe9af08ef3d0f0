// Request step 3 (routes): the article page, `/articles/:slug` — or what became of the slug (a
// rename answers 301, an unpublished article 410). Thin: read, render, respond.
import { Hono } from 'hono'
import { isSlug } from '../../model/formats'
import { SITE_LIST } from '../../model/keys'
import { nextPublication } from '../../model/dates'
import { isPublishedAt } from '../../model/list-layout'
import { absoluteUrl, articlePath } from '../../model/urls'
import type { AppEnv } from '../env'
import { CACHE_CONTROL, CONTENT_TYPE, freshUntil, permanentRedirect, representationResponse } from '../http'
import { feedUpdated } from '../render/feed'
import { getArticlePage, getListHead } from '../store'
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
    const found = await getArticlePage(kv, slug)
    const latest = found.latest?.articles ?? []
    let article = found.article
    // KV is eventually consistent per key: for up to a minute a location may still miss a new
    // article's key (or hold its earlier absence) while the latest list it just read already
    // links it. The site head holds the newest articles in full: a reader following that link
    // never meets a 404 (one more read, only then).
    if (!article && latest.some((each) => each.slug === slug)) {
      article = (await getListHead(kv, SITE_LIST))?.articles.find((each) => each.slug === slug) ?? null
    }
    if (!article) {
      const { redirect } = found
      // A rename to an article still scheduled: the old URL tells nothing of it until its time.
      const revealsAt = redirect?.publishedAt ? Date.parse(redirect.publishedAt) : undefined
      if (revealsAt !== undefined && revealsAt > now) return missingPage(c, null, freshUntil([revealsAt], now))
      if (redirect) return permanentRedirect(articlePath(redirect.slug))
      return missingPage(c, found.gone)
    }
    // A scheduled article does not exist for readers until its time.
    if (!isPublishedAt(article, now)) {
      return missingPage(c, null, freshUntil([Date.parse(article.publishedAt)], now))
    }
    const others = latest
      .filter((other) => other.slug !== slug && isPublishedAt(other, now))
      .slice(-LATEST_COUNT)
      .reverse()
    const body = renderPage(
      <ArticlePage
        site={site}
        article={article}
        canonical={absoluteUrl(site, articlePath(slug))}
        feeds={autodiscoveryLinks(site)}
        latest={others}
        related={found.related}
        now={now}
        sections={mastheadSections(latest, now)}
      />,
    )
    return representationResponse({
      body,
      contentType: CONTENT_TYPE.html,
      cacheControl: CACHE_CONTROL.page,
      lastModified: feedUpdated([article, ...others]),
      // The latest-news box, the masthead and related links change as scheduled articles go live.
      freshFor: freshUntil([nextPublication([...latest, ...found.related], now)], now),
    })
  })
