// Every kind of bad input: the publish prints each problem at once as
// `articles/<file>:<line>:<col>: <field path>: <message>` and leaves KV byte-for-byte unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkArticleContent } from '../../src/publish/article-checks'
import { checkEntrySizes, KV_LIMITS } from '../../src/publish/kv-limits'
import { formatProblem } from '../../src/publish/problems'
import { articleFile, publishWith, TempProject, TestKv } from './support/publishing'
import { makeArticle } from '../support/articles'

let kv: TestKv
let before: Record<string, string>
const projects: TempProject[] = []

beforeAll(async () => {
  kv = await TestKv.create()
  const live = await TempProject.create()
  projects.push(live)
  await live.writeArticles([articleFile({ slug: 'live', id: 'live-id' })])
  expect((await publishWith(live, kv.target(), { files: [live.articlesDir] })).status).toBe(
    'published',
  )
  before = await kv.snapshot()
})

afterAll(async () => {
  await kv.dispose()
  await Promise.all(projects.map((project) => project.dispose()))
})

/** Publishes `files` (name → content) next to a valid article; returns the printed problems. */
async function problemsOf(
  files: Record<string, string | Record<string, unknown>>,
  folders?: string[],
) {
  const project = await TempProject.create()
  projects.push(project)
  await project.writeArticles([articleFile({ slug: 'live', id: 'live-id' })])
  for (const [name, content] of Object.entries(files)) await project.write(name, content)
  const result = await publishWith(project, kv.target(), {
    files: folders?.map((folder) => `${project.articlesDir}/${folder}`) ?? [project.articlesDir],
  })
  expect(result.status).toBe('invalid')
  expect(await kv.snapshot()).toEqual(before)
  return result.problems.map(formatProblem)
}

describe('bad article files', () => {
  it('reports JSON syntax errors with line and column, once per place', async () => {
    expect(
      await problemsOf({
        'syntax.json': '{\n  "slug": "syntax",\n  "title": "x",,\n}\n',
        'empty.json': '',
      }),
    ).toEqual([
      'articles/empty.json:1:1: invalid JSON: value expected',
      'articles/syntax.json:3:16: invalid JSON: property name expected',
      'articles/syntax.json:4:1: invalid JSON: property name expected',
    ])
  })

  it('rejects a document that is not an object', async () => {
    expect(await problemsOf({ 'array.json': '[]' })).toEqual([
      "articles/array.json:1:1: must be a JSON object with the article's fields",
    ])
  })

  it('suggests the nearest known field for an unknown one, at any depth', async () => {
    const typo = articleFile({
      slug: 'typo',
      summary: undefined,
      summmary: 'x',
      authors: [{ nmae: 'y' }],
    })
    expect(await problemsOf({ 'typo.json': typo })).toEqual([
      'articles/typo.json:1:1: summary: is required',
      'articles/typo.json:12:3: summmary: unknown field (did you mean `summary`?)',
      'articles/typo.json:14:5: authors[0].name: is required',
      'articles/typo.json:15:7: authors[0].nmae: unknown field (did you mean `name`?)',
    ])
  })

  it('reports a field that appears twice', async () => {
    const text = '{\n  "slug": "twice",\n  "slug": "twice"\n}\n'
    expect(await problemsOf({ 'twice.json': text })).toContain(
      'articles/twice.json:3:3: field "slug" appears more than once',
    )
  })

  it('requires dates with offsets and updatedAt not before publishedAt', async () => {
    expect(
      await problemsOf({
        'no-offset.json': articleFile({ slug: 'no-offset', publishedAt: '2024-11-20T08:30:00' }),
        'backwards.json': articleFile({
          slug: 'backwards',
          updatedAt: '2024-11-19T08:30:00+02:00',
        }),
      }),
    ).toEqual([
      'articles/backwards.json:13:16: updatedAt: must not be before publishedAt',
      'articles/no-offset.json:7:18: publishedAt: must be an ISO 8601 date-time with a time zone offset, e.g. 2024-11-20T08:30:00+03:00',
    ])
  })

  it('requires absolute http(s) URLs (or photo files beside the article) and image alt text', async () => {
    const image = articleFile({
      slug: 'image',
      image: { url: 'ftp://x.example/y.jpg' },
      authors: [{ name: 'a', url: '/me' }],
    })
    expect(await problemsOf({ 'image.json': image })).toEqual([
      'articles/image.json:13:12: image.alt: is required',
      'articles/image.json:14:12: image.url: must be a path relative to the article file (media/photo.jpg) or an absolute http(s) URL',
      'articles/image.json:19:14: authors[0].url: must be an absolute http(s) URL',
    ])
  })

  it('requires alt text on images in the body and warns about what the sanitiser removed', async () => {
    const body =
      'a ![](https://x.example/a.jpg) <script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">l</a>'
    expect(await problemsOf({ 'body.json': articleFile({ slug: 'body', body }) })).toEqual([
      'articles/body.json:6:14: body: image https://x.example/a.jpg has no alt text: describe it, e.g. ![what the photo shows](https://x.example/a.jpg)',
      'articles/body.json:6:43: warning: body: the sanitiser removed <script>',
      'articles/body.json:6:69: warning: body: the sanitiser removed onclick on <a>',
      'articles/body.json:6:69: warning: body: the sanitiser removed javascript: URL in href on <a>',
    ])
  })

  it('requires the slug to equal the file name', async () => {
    expect(await problemsOf({ 'name.json': articleFile({ slug: 'other-name' }) })).toEqual([
      'articles/name.json:3:11: slug: must equal the file name without .json ("name")',
    ])
  })

  it('rejects duplicate slugs and ids across files', async () => {
    const files = {
      'a/same.json': articleFile({ slug: 'same' }),
      'b/same.json': articleFile({ slug: 'same' }),
      'a/ida.json': articleFile({ slug: 'ida', id: 'shared' }),
      'b/idb.json': articleFile({ slug: 'idb', id: 'shared' }),
    }
    expect(await problemsOf(files, ['a', 'b'])).toEqual([
      'articles/b/idb.json:13:9: id: "shared" is also the id of articles/a/ida.json',
      'articles/b/same.json:3:11: slug: "same" is also the slug of articles/a/same.json',
    ])
  })

  it("rejects a redirectFrom that is a live slug, its own slug, or another article's", async () => {
    expect(
      await problemsOf({
        'redir.json': articleFile({ slug: 'redir', redirectFrom: ['live', 'redir', 'old', 'old'] }),
        'redir2.json': articleFile({ slug: 'redir2', redirectFrom: ['old'] }),
      }),
    ).toEqual([
      'articles/redir.json:14:5: redirectFrom[0]: "live" is the slug of articles/live.json: a live article\'s URL cannot redirect',
      'articles/redir.json:15:5: redirectFrom[1]: "redir" is this article\'s own slug',
      'articles/redir.json:17:5: redirectFrom[3]: "old" is listed twice',
      'articles/redir2.json:14:5: redirectFrom[0]: "old" is also in redirectFrom of articles/redir.json',
    ])
  })

  it('rejects a tag too long for its pages and KV keys', async () => {
    const tag = 'و'.repeat(260)
    expect(await problemsOf({ 'tag.json': articleFile({ slug: 'tag', tags: [tag] }) })).toEqual([
      'articles/tag.json:10:5: tags[0]: must be at most 100 characters',
    ])
  })

  it('reports every problem of every file in one run', async () => {
    const problems = await problemsOf({
      'one.json': articleFile({ slug: 'one', title: '' }),
      'two.json': articleFile({ slug: 'two', sumary: 'x' }),
      'three.json': '{',
    })
    expect(problems).toEqual([
      'articles/one.json:4:12: title: must not be empty',
      'articles/three.json:1:2: invalid JSON: close brace expected',
      'articles/two.json:13:3: sumary: unknown field (did you mean `summary`?)',
    ])
  })
})

describe('Workers KV size limits', () => {
  const rendered = { html: '', removed: [], imagesWithoutAlt: [], links: [] }
  const none = () => ({})

  it('warns when an article value passes 80% of 25 MiB and rejects one past it', () => {
    const near = makeArticle({ slug: 'near', html: 'x'.repeat(21 * 1024 * 1024) })
    expect(
      checkArticleContent(near, rendered, 'articles/near.json', none).map(formatProblem),
    ).toEqual([
      "articles/near.json: warning: the KV value is 21.0 MiB, 84% of Workers KV's 25.0 MiB limit",
    ])
    const over = makeArticle({ slug: 'over', html: 'x'.repeat(KV_LIMITS.valueBytes) })
    expect(
      checkArticleContent(over, rendered, 'articles/over.json', none).map(formatProblem),
    ).toEqual(['articles/over.json: the KV value would be 25.0 MiB; Workers KV allows 25.0 MiB'])
  })

  it('checks list keys and values that no single file owns', () => {
    const key = `v1:head:tag:${'x'.repeat(420)}`
    expect(checkEntrySizes([{ key, value: '{}' }]).map(formatProblem)).toEqual([
      `${key}: warning: the KV key is 432 bytes, 84% of Workers KV's 512 bytes limit`,
    ])
  })
})
