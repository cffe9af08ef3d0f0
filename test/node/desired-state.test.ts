// The pure core's output is exactly what JSON.stringify of the laid-out lists gives, though each
// article is serialised once and spliced into every list it is in.
import { describe, expect, it } from 'vitest'
import { buildState } from '../../src/publish/desired-state'
import { EMPTY_MANIFEST, valueHash } from '../../src/publish/manifest'
import { planPublish } from '../../src/publish/publish-plan'
import { listHeadKey } from '../../src/model/keys'
import { ListChunk, ListHead } from '../../src/model/list-layout'
import { makeArticles } from '../support/articles'

const NOW = Date.parse('2025-01-01T00:00:00Z')

describe('buildState', () => {
  it('writes heads and chunks as canonical JSON, even for names that look like its own keys', () => {
    const tricky = '"articles":[]'
    const articles = makeArticles(120).map((article, i) => ({
      ...article,
      tags: i % 2 ? [tricky] : ['عادي'],
    }))
    const state = buildState(articles, NOW)
    for (const { key, value } of [...state.heads, ...state.chunks]) {
      expect(JSON.stringify(JSON.parse(value)), key).toBe(value)
    }
    const head = ListHead.parse(
      JSON.parse(
        state.heads.find((entry) => entry.key === listHeadKey({ kind: 'tag', name: tricky }))!
          .value,
      ),
    )
    expect([head.name, head.count]).toEqual([tricky, 60])
    for (const { key, value } of state.chunks.filter((entry) => entry.key.startsWith('v1:chunk:')))
      expect(() => ListChunk.parse(JSON.parse(value)), key).not.toThrow()
  })
})

describe('planPublish', () => {
  it('gives the same plan with a custom hash function that computes the same SHA-256', async () => {
    const { createHash } = await import('node:crypto')
    const state = buildState(makeArticles(3), NOW)
    const nodeHash = (value: string) => createHash('sha256').update(value).digest('hex')
    expect(await planPublish(state, EMPTY_MANIFEST, { hash: nodeHash })).toEqual(
      await planPublish(state, EMPTY_MANIFEST),
    )
    expect(nodeHash('صحيفة')).toBe(await valueHash('صحيفة'))
  })

  it('serialises each value it must hash once, handing it to inspect (the size checks), and no value whose hash it is given', async () => {
    const state = buildState(makeArticles(3), NOW)
    const reads = new Map<string, number>()
    const counted = (entries: typeof state.chunks) =>
      entries.map(({ key, value }) => ({
        key,
        get value() {
          reads.set(key, (reads.get(key) ?? 0) + 1)
          return value
        },
      }))
    const hashes = new Map(state.articles.map(({ key }) => [key, 'known'] as const))
    const inspected: string[] = []
    const counting = {
      articles: counted(state.articles),
      chunks: counted(state.chunks),
      heads: counted(state.heads),
    }
    await planPublish(counting, EMPTY_MANIFEST, {
      hashes,
      inspect: (key, value) => {
        expect(value).toBe([...state.chunks, ...state.heads].find((e) => e.key === key)!.value)
        inspected.push(key)
      },
    })
    const others = [...state.chunks, ...state.heads].map(({ key }) => key)
    expect(inspected.sort()).toEqual([...others].sort())
    // Written values are serialised again when written; planning reads each at most once.
    expect([...reads.keys()].sort()).toEqual([...others].sort())
    expect(Math.max(...reads.values())).toBe(1)
  })

  it('leaves the next manifest in key order, the kept keys with their hashes, whatever order the last one is in', async () => {
    const hash = (value: string) => `#${value}`
    const desired = {
      articles: [{ key: 'v1:article:b', value: 'b2' }, { key: 'v1:article:a0', value: 'a0' }],
      chunks: [{ key: 'v1:related:zz', value: 'zz' }],
      heads: [{ key: 'v1:head:site', value: 'head' }],
    }
    const keys = { 'v1:article:a': '#a', 'v1:article:b': '#b', 'v1:head:site': '#old', 'v1:related:a': '#ra', 'v1:x': '#x' }
    for (const stored of [keys, Object.fromEntries(Object.entries(keys).reverse())]) {
      const plan = await planPublish(desired, { version: 1, keys: stored }, {
        hash,
        // A key the manifest lacks is nothing to keep.
        keep: ['v1:article:a', 'v1:related:a', 'v1:missing'],
      })
      expect(Object.entries(plan.next.keys)).toEqual([
        ['v1:article:a', '#a'],
        ['v1:article:a0', '#a0'],
        ['v1:article:b', '#b2'],
        ['v1:head:site', '#head'],
        ['v1:related:a', '#ra'],
        ['v1:related:zz', '#zz'],
      ])
      expect(plan.manifest.value).toBe(JSON.stringify(plan.next))
      expect([plan.added, plan.updated, plan.unchanged, plan.removed]).toEqual([['a0'], ['b'], ['a'], []])
      expect(plan.phases.at(-1)).toEqual({ delete: ['v1:x'] })
    }
  })
})
