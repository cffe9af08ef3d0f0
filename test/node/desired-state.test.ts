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
})
