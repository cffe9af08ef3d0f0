// Request step 3 (routes): what a path that matches no route may still mean — a feed URL from
// another platform's habits (/feed, /rss, /feed/atom …) or a trailing slash. Renamed and
// unpublished articles are answered by the article route itself (one KV read).
import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { FEED_FILES, type FeedFormat } from '../../model/urls'

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

const LIST_BASE = /^(\/(?:sections|tags|authors)\/[^/]+)?\/(.+)$/

/** The canonical feed path for an alias like `/feed/` or `/tags/x/rss`, or null. */
export function feedAliasTarget(path: string): string | null {
  const match = LIST_BASE.exec(path)
  if (!match) return null
  const [, base = '', rest = ''] = match
  const format = FEED_ALIASES[rest] ?? FEED_ALIASES[rest.replace(/\/$/, '')]
  return format ? `${base}/${FEED_FILES[format]}` : null
}

/** Where a path without a route went (a 301 target), or null when it never existed. */
export function movedLocation(c: Context<AppEnv>): string | null {
  const url = new URL(c.req.url)
  const path = url.pathname
  const alias = feedAliasTarget(path)
  if (alias) return alias + url.search
  // One leading slash only: `//host/` must not become a protocol-relative redirect off-site.
  if (path.length > 1 && path.endsWith('/')) return `/${path.replace(/^\/+|\/+$/g, '')}${url.search}`
  return null
}
