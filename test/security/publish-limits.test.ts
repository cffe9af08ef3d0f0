// Oversized and deeply nested article files: the publish script's core answers each with a
// clear problem naming the file — never a stack overflow, never minutes of work.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadArticles } from '../../src/publish/load-articles'
import { parseArticleFile } from '../../src/publish/parse-article'
import { INPUT_LIMITS } from '../../src/publish/input-limits'
import { renderBody } from '../../src/publish/render-markdown'
import type { SiteConfig } from '../../src/model/site'

const SITE: SiteConfig = {
  url: 'http://127.0.0.1:8787',
  title: 'صحيفة',
  description: 'صحيفة',
  language: 'ar',
  rights: '',
  timeZone: 'UTC',
  feedSize: 20,
  hubs: [],
  edgeCache: false,
}

const article = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    slug: 'x',
    title: 'عنوان',
    summary: 'ملخص',
    publishedAt: '2024-11-20T08:30:00+02:00',
    body: 'نص',
    ...fields,
  })

/** `article()` with the title replaced by `value` written as raw JSON. */
const withRawTitle = (value: string) => article({ title: '@@' }).replace('"@@"', value)

const errors = (file: string, raw: string) =>
  parseArticleFile(file, raw).problems.filter((problem) => problem.severity === 'error')

describe('oversized and deeply nested article files', () => {
  it.each([
    ['an array nested 100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['an object nested 100,000 deep, unclosed', '{"a":'.repeat(100_000)],
    ['a field value nested 50,000 deep', withRawTitle('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000))],
    ['arrays nested 1,000,000 deep', '['.repeat(1_000_000)],
  ])('reports %s as nested too deep', (_, raw) => {
    const problems = errors('articles/x.json', raw)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ file: 'articles/x.json', message: expect.stringMatching(/nested \d+ levels deep; an article file needs at most 32/) })
  })

  it('reports a file over the size limit without parsing it', () => {
    const raw = article({ body: 'ا'.repeat(INPUT_LIMITS.fileBytes) })
    const problems = errors('articles/x.json', raw)
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/^the file is 4\.0 MiB; an article file may be at most 2\.0 MiB$/) })])
  })

  it('accepts the nesting a real article has', () => {
    const raw = article({ authors: [{ name: 'أ' }], image: { alt: 'صورة' }, tags: ['a', 'b'] })
    expect(errors('articles/x.json', raw)).toEqual([])
  })

  it('reports raw HTML nested past the limit in the body, with the field', () => {
    const problems = errors('articles/x.json', article({ body: '<span>'.repeat(100_000) + 'x' }))
    expect(problems).toEqual([
      expect.objectContaining({ path: 'body', message: expect.stringMatching(/^raw HTML elements are nested 100000 deep; at most 256/) }),
    ])
  })

  it('renderBody refuses HTML nested past the limit instead of sanitising for minutes', () => {
    expect(() => renderBody('<div>'.repeat(200_000), 'http://127.0.0.1:8787/articles/x')).toThrow(/nested 200000 deep/)
  })

  it('renders pathological but shallow Markdown up to the size limit', () => {
    const body = '*_['.repeat(Math.floor(INPUT_LIMITS.fileBytes / 8))
    const { html } = renderBody(body, 'http://127.0.0.1:8787/articles/x')
    expect(html.length).toBeGreaterThan(0)
  })
})

describe('loadArticles with hostile files among good ones', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sahifa-limits-'))
    await writeFile(join(dir, 'good.json'), article({ slug: 'good' }))
    await writeFile(join(dir, 'deep.json'), '['.repeat(500_000))
    await writeFile(join(dir, 'huge.json'), article({ slug: 'huge', body: 'x'.repeat(INPUT_LIMITS.fileBytes + 1) }))
    await writeFile(join(dir, 'nested-html.json'), article({ slug: 'nested-html', body: '<b>'.repeat(10_000) }))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reports every hostile file by name and still loads the good one', async () => {
    const files = ['good', 'deep', 'huge', 'nested-html'].map((name) => join(dir, `${name}.json`))
    const result = await loadArticles(files, SITE)
    const errorFiles = result.problems.filter((p) => p.severity === 'error').map((p) => p.file.split('/').pop())
    expect(errorFiles.sort()).toEqual(['deep.json', 'huge.json', 'nested-html.json'])
    expect(result.articles.map((each) => each.slug)).toEqual(['good'])
  })
})
