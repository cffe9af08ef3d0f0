// The list layout at scale, as pure functions: at 100,000 articles every page of every size is
// served from the head or at most two chunks, and a new article rewrites only the newest chunk.
import { describe, expect, it } from 'vitest'
import type { StoredArticle } from '../../src/model/article'
import {
  articlesInWindow,
  CHUNK_SIZE,
  chunksForWindow,
  DEFAULT_HEAD_SIZE,
  layOutList,
  teaserOf,
  pageWindow,
  type ListChunk,
} from '../../src/model/list-layout'
import { makeArticle } from '../support/articles'

const START = Date.parse('2020-01-01T00:00:00Z')
const NOW = Date.parse('2030-01-01T00:00:00Z')

/** `count` minimal articles a minute apart, oldest first (shared fields, unique slugs and dates). */
function manyArticles(count: number, from = 0): StoredArticle[] {
  const template = makeArticle()
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    slug: `a-${from + i}`,
    publishedAt: new Date(START + (from + i) * 60_000).toISOString(),
  }))
}

describe('list layout at 100,000 articles', () => {
  const articles = manyArticles(100_000)
  const { head, chunks } = layOutList(null, articles, NOW)

  it('keeps the head small and the chunks full of teasers', () => {
    expect(head.count).toBe(100_000)
    expect(head.articles).toHaveLength(DEFAULT_HEAD_SIZE)
    expect(chunks).toHaveLength(100_000 / CHUNK_SIZE)
    expect(chunks[0]![0]).toEqual(teaserOf(articles[0]!))
    expect(chunks[0]![0]).not.toHaveProperty('html')
  })

  it.each([20, 50])('serves every page at size %i from the head or at most two chunks, in order', (pageSize) => {
    // The head holds a page: the publish lays lists out at the site's FEED_SIZE.
    const { head, chunks } = layOutList(null, articles, NOW, pageSize)
    const pages = Math.ceil(100_000 / pageSize)
    for (let page = 1; page <= pages; page++) {
      const window = pageWindow(head, page, pageSize, NOW)!
      const needed = chunksForWindow(head, window)
      expect(needed.length).toBeLessThanOrEqual(2)
      if (page === 1) expect(needed).toEqual([])
      const read = new Map<number, ListChunk>(needed.map((n) => [n, chunks[n]!]))
      const slugs = articlesInWindow(head, window, read).map((article) => article.slug)
      const newest = 100_000 - 1 - (page - 1) * pageSize
      expect(slugs[0]).toBe(`a-${newest}`)
      expect(slugs.at(-1)).toBe(`a-${Math.max(0, newest - pageSize + 1)}`)
    }
    expect(pageWindow(head, pages + 1, pageSize, NOW)).toBeNull()
  })

  it('rewrites only the newest chunk and the head when an article is added', () => {
    const next = layOutList(null, [...articles, ...manyArticles(1, 100_000)], NOW)
    const changed = next.chunks.filter((chunk, i) => JSON.stringify(chunk) !== JSON.stringify(chunks[i]))
    expect(changed).toEqual([next.chunks.at(-1)])
  })
})

describe('scheduled articles', () => {
  it('stay in the head and become visible when their time comes, without a new layout', () => {
    const past = manyArticles(120)
    const scheduled = manyArticles(3, 10_000_000) // in 2039
    const publishedAt = Date.parse(scheduled[0]!.publishedAt)
    const { head } = layOutList(null, [...past, ...scheduled], NOW)
    expect(head.articles.slice(-3)).toEqual(scheduled)
    expect(pageWindow(head, 1, 20, NOW)).toMatchObject({ visibleCount: 120, to: 120 })
    expect(pageWindow(head, 1, 20, publishedAt)).toMatchObject({ visibleCount: 121, to: 121 })
  })
})
