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
})
