// The incremental state (src/publish/incremental-state.ts) against the whole one: after any
// sequence of edits, additions, removals and date changes, the entries it writes are byte for byte
// buildState's, the keys it keeps are buildState's with unchanged values, and nothing else.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { StoredArticle } from '../../src/model/article'
import { buildState, type DesiredState, type StateOptions } from '../../src/publish/desired-state'
import { nodeSha256 } from '../../src/publish/render-stamp'
import {
  changedState,
  rememberState,
  type StateChange,
  type StoredState,
} from '../../src/publish/incremental-state'
import { makeArticle } from '../support/articles'
import { SITE } from './support/publishing'

const NOW = Date.parse('2024-12-01T12:00:00Z')
const TAGS = ['العراق', 'Iraq', 'iraq', 'اقتصاد', 'رياضة', 'ثقافة']
const SECTIONS = ['سياسة', 'اقتصاد']

const valuesOf = (state: DesiredState) =>
  new Map(
    [...state.articles, ...state.chunks, ...state.heads].map(({ key, value }) => [key, value]),
  )

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** KV holding `values`, written by a publish of `articles`, as a change is measured against it. */
const storedAs = (values: ReadonlyMap<string, string>, articles: readonly StoredArticle[]): StoredState => ({
  hashes: Object.fromEntries([...values].map(([key, value]) => [key, sha256(value)])),
  hash: sha256,
  articleHash: (article) => sha256(JSON.stringify(article)),
  previous: new Map(articles.map((article) => [article.slug, article])),
})

/**
 * Publishes as the pipeline does: the whole state first, then each change against what KV holds
 * (the written entries over the kept ones) and the memory the last one left.
 */
function publisher(first: readonly StoredArticle[], options: StateOptions = {}, now = NOW) {
  let values = valuesOf(buildState(first, now, options))
  let articles = first
  let memory = rememberState(first, now)
  return {
    get values() {
      return values
    },
    publish(next: readonly StoredArticle[], at = NOW): StateChange {
      const change = changedState(memory, storedAs(values, articles), next, at, options)
      const kept = change.unchangedKeys.map((key) => [key, values.get(key)!] as const)
      values = new Map([...kept, ...valuesOf(change.desired)])
      articles = next
      memory = change.memory
      return change
    },
  }
}

/** An article of the generated site; `n` picks its tags, section and time (some scheduled). */
const siteArticle = (slug: string, n: number, title = `عنوان ${slug}`): StoredArticle =>
  makeArticle({
    slug,
    title,
    tags: TAGS.filter((_, i) => (n >> i) & 1),
    section: SECTIONS[n % 2],
    publishedAt: new Date(NOW + (n % 7 === 0 ? 1 : -1) * (n + 1) * 3_600_000).toISOString(),
  })

const edit = fc.oneof(
  fc.record({
    kind: fc.constant('title' as const),
    index: fc.nat(),
    title: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('retag' as const), index: fc.nat(), n: fc.nat(255) }),
  fc.record({
    kind: fc.constant('body' as const),
    index: fc.nat(),
    html: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('add' as const), n: fc.nat(255) }),
  fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
  // The next publish is later: scheduled articles may have gone live in between.
  fc.record({ kind: fc.constant('later' as const), hours: fc.nat(400) }),
)

// Without and with the responses a publish renders (src/publish/prerender.ts), whose renders make
// each run slower: fewer random runs there.
const STATE_OPTIONS: [string, StateOptions, number][] = [
  ['data only', {}, 15],
  ['with pre-rendered responses', { headSize: 20, prerender: { site: SITE, stamp: 'test', sha256: nodeSha256 } }, 5],
]

describe('changedState', () => {
  it.each(STATE_OPTIONS)('writes what buildState would write for the keys a change touches, and keeps the rest (%s)', (_, options, numRuns) => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let articles = Array.from({ length: 80 }, (_, i) => siteArticle(`a-${i}`, i * 37))
        const kv = publisher(articles, options)
        let added = 0
        let now = NOW
        for (const change of edits) {
          const at = 'index' in change ? change.index % articles.length : 0
          if (change.kind === 'title')
            articles = articles.map((a, i) => (i === at ? { ...a, title: change.title } : a))
          if (change.kind === 'body')
            articles = articles.map((a, i) => (i === at ? { ...a, html: change.html } : a))
          if (change.kind === 'retag')
            articles = articles.map((a, i) =>
              i === at ? siteArticle(a.slug, change.n, a.title) : a,
            )
          if (change.kind === 'add')
            articles = [...articles, siteArticle(`new-${added++}`, change.n)]
          if (change.kind === 'remove') articles = articles.filter((_, i) => i !== at)
          if (change.kind === 'later') now += change.hours * 3_600_000

          const whole = valuesOf(buildState(articles, now, options))
          const previous = kv.values
          const step = kv.publish(articles, now)
          const written = valuesOf(step.desired)
          for (const [key, value] of written) expect(value, key).toBe(whole.get(key))
          for (const key of step.unchangedKeys) expect(whole.get(key), key).toBe(previous.get(key))
          expect(new Set([...written.keys(), ...step.unchangedKeys])).toEqual(new Set(whole.keys()))
          expect(kv.values).toEqual(whole)
        }
      }),
      // A counterexample found once (a new date moved an article further than
      // RELATED_SEARCH_DEPTH places, past articles whose related links it joined), then random runs.
      { numRuns, examples: [[[{ kind: 'retag', index: 76, n: 18 }]]] },
    )
  })

  it('rewrites only the sitemap page a new title is on, and the news sitemap only for the newest pages', () => {
    const options = STATE_OPTIONS[1]![1]
    const published = (i: number) => new Date(NOW - (3000 - i) * 3_600_000).toISOString()
    let articles = Array.from({ length: 2500 }, (_, i) =>
      makeArticle({ slug: `a-${i}`, title: `عنوان ${i}`, publishedAt: published(i) }),
    )
    const retitled = (i: number, title: string) =>
      (articles = articles.map((a, at) => (at === i ? { ...a, title } : a)))
    // The first change after a whole build lays out every page; the next ones reuse what stayed.
    const kv = publisher(articles, options)
    kv.publish(retitled(10, 'أول'))
    const written = (change: StateChange) =>
      [...change.desired.heads].map((entry) => entry.key).filter((key) => key.includes('sitemap'))
    const oldest = kv.publish(retitled(20, 'ثان'))
    expect(written(oldest).sort()).toEqual(
      ['v1:response:sitemap:0', 'v1:sitemap:index', 'v1:sitemap:lists', 'v1:sitemap:page:0'].sort(),
    )
    const before = valuesOf(buildState(articles, NOW, options))
    const newest = kv.publish(retitled(2490, 'ثالث'))
    expect(written(newest).sort()).toEqual(
      [
        'v1:response:news-sitemap',
        'v1:response:sitemap:2',
        'v1:sitemap:index',
        'v1:sitemap:lists',
        'v1:sitemap:page:2',
      ].sort(),
    )
    const whole = valuesOf(buildState(articles, NOW, options))
    for (const [key, value] of valuesOf(newest.desired)) expect(value, key).toBe(whole.get(key))
    for (const key of newest.unchangedKeys) expect(whole.get(key), key).toBe(before.get(key))
  })

  it('writes the sitemaps again once the time passes a scheduled article, even with no other change', () => {
    const articles = Array.from({ length: 20 }, (_, i) => siteArticle(`a-${i}`, i * 37))
    const scheduled = articles.find((article) => Date.parse(article.publishedAt) > NOW)!
    const later = Date.parse(scheduled.publishedAt) + 1
    const kv = publisher(articles)
    const step = kv.publish(articles)
    expect(step.desired.heads.map((entry) => entry.key)).toContain('v1:sitemap:index')
    const same = kv.publish(articles)
    expect(same.unchangedKeys).toContain('v1:sitemap:index')
    const revealed = kv.publish(articles, later)
    const index = revealed.desired.heads.find((entry) => entry.key === 'v1:sitemap:index')
    expect(index?.value).toBe(valuesOf(buildState(articles, later)).get('v1:sitemap:index'))
    // And the heads of its lists: whole, byte for byte, as of the later time.
    expect(kv.values).toEqual(valuesOf(buildState(articles, later)))
  })
})
