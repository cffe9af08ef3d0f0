// Step 4 of the data path: what a path that matches no route may still mean — a feed URL from
// another platform's habits (/feed, /rss, /feed/atom …), a trailing slash, a renamed article
// (301 to its current slug) or an unpublished one (410 Gone). Everything else is a 404.
import type { Context } from 'hono'
import { Slug, type Gone } from '../article'
import type { AppEnv } from '../env'
import { getMissingArticle } from '../store'
import { articlePath, FEED_FILES, type FeedFormat } from '../urls'

/** Feed paths aggregators guess, below the site, a section or a tag, and the canonical format. */
const FEED_ALIASES: Record<string, FeedFormat> = {
  feed: 'rss',
  rss: 'rss',
  rss2: 'rss',
  'feed/rss': 'rss',
  'feed/rss2': 'rss',
  'feed.xml': 'rss',
  'feed.rss': 'rss',
  'index.xml': 'rss',
  'index.rss': 'rss',
  'rss.xml/': 'rss',
  atom: 'atom',
  'feed/atom': 'atom',
  'atom.xml/': 'atom',
  'index.atom': 'atom',
  'feed/json': 'json',
  json: 'json',
  'index.json': 'json',
  'feed.json/': 'json',
}

const LIST_BASE = /^(\/(?:sections|tags)\/[^/]+)?\/(.+)$/

/** The canonical feed path for an alias like `/feed/` or `/tags/x/rss`, or null. */
export function feedAliasTarget(path: string): string | null {
  const match = LIST_BASE.exec(path)
  if (!match) return null
  const [, base = '', rest = ''] = match
  const format = FEED_ALIASES[rest] ?? FEED_ALIASES[rest.replace(/\/$/, '')]
  return format ? `${base}/${FEED_FILES[format]}` : null
}

const ARTICLE_PATH = /^\/articles\/([^/]+)$/

export type Moved = { kind: 'redirect'; location: string } | { kind: 'gone'; gone: Gone }

/** Where a path without a route or article went, or null when it never existed. */
export async function resolveMoved(c: Context<AppEnv>): Promise<Moved | null> {
  const url = new URL(c.req.url)
  const path = url.pathname
  const alias = feedAliasTarget(path)
  if (alias) return { kind: 'redirect', location: alias + url.search }
  if (path.length > 1 && path.endsWith('/')) {
    // One leading slash: `//evil.example/` must not become the off-site `//evil.example`.
    return { kind: 'redirect', location: `/${path.replace(/^\/+|\/+$/g, '')}${url.search}` }
  }
  const article = ARTICLE_PATH.exec(path)
  if (!article) return null
  let slug: string
  try {
    slug = decodeURIComponent(article[1]!).normalize('NFC')
  } catch {
    return null
  }
  if (!Slug.safeParse(slug).success) return null
  const { redirect, gone } = await getMissingArticle(c.env.ARTICLES, slug)
  if (redirect) return { kind: 'redirect', location: articlePath(redirect.slug) }
  if (gone) return { kind: 'gone', gone }
  return null
}
