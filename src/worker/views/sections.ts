// Which sections the masthead links: those of the newest articles, so the navigation follows
// what the newsroom publishes without a separate list to keep. Pure: the route passes the site
// list head it has already read and the request time.
import type { Teaser } from '../../model/list-layout'
import { foldName } from '../../model/keys'
import { isPublishedAt } from '../../model/list-layout'

/** How many sections fit the masthead on a phone in two lines. */
export const MASTHEAD_SECTIONS = 6

/**
 * Distinct sections of `articles` (oldest first, as list heads hold them) published by `now`,
 * most recently used first; names that differ only in case count once.
 */
export function mastheadSections(
  articles: readonly Pick<Teaser, 'section' | 'publishedAt' | 'slug'>[],
  now: number,
  limit = MASTHEAD_SECTIONS,
): string[] {
  const seen = new Map<string, string>()
  for (let i = articles.length - 1; i >= 0 && seen.size < limit; i--) {
    const article = articles[i]!
    if (!article.section || !isPublishedAt(article, now)) continue
    const key = foldName(article.section)
    if (!seen.has(key)) seen.set(key, article.section)
  }
  return [...seen.values()]
}
