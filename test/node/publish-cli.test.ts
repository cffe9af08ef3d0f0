// The CLIs as editors and CI run them, in a temp project: exit codes (0 published, 1 invalid
// input, 2 usage, 3 write failure), what they print, and the local KV state they leave. Each
// CLI's main runs in-process; cli-process.test.ts covers what only a real process shows.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as check } from '../../src/cli/check'
import { main as newArticle } from '../../src/cli/new'
import { main as publish } from '../../src/cli/publish'
import { main as unpublish } from '../../src/cli/unpublish'
import { parseArticleFile } from '../../src/publish/parse-article'
import { runInProject, type CliMain, type CliRun } from './support/cli'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

const NAMESPACE_ID = 'sahifa-articles-test'
const CLIS: Record<string, CliMain> = { publish, unpublish, check, new: newArticle }


let project: TempProject

/** Runs the `script` CLI in the temp project with `env` added (credentials removed unless given). */
const run = (script: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliRun> =>
  runInProject(CLIS[script]!, project.root, args, env)

/** The local KV state the CLI wrote (what `wrangler dev` would serve), key → value. */
async function localKv(
  change?: (kv: KVNamespace) => Promise<void>,
): Promise<Record<string, string>> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response() } }',
    kvNamespaces: { ARTICLES: NAMESPACE_ID },
    // The project's date: miniflare's old default makes each KV write about 3x slower.
    compatibilityDate: '2026-04-26',
    kvPersist: join(project.root, '.wrangler/state/v3/kv'),
    cf: false,
  })
  try {
    const kv = (await mf.getKVNamespace('ARTICLES')) as unknown as KVNamespace
    await change?.(kv)
    const { keys } = await kv.list()
    const values = await Promise.all(keys.map((key) => kv.get(key.name, 'text')))
    return Object.fromEntries(keys.map((key, i) => [key.name, values[i]!]))
  } finally {
    await mf.dispose()
  }
}

beforeAll(async () => {
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml(NAMESPACE_ID))
  await project.writeArticles([
    articleFile({ slug: 'first' }),
    articleFile({ slug: 'second', tags: ['x'] }),
  ])
})
afterAll(() => project.dispose())

// Each publish opens local KV (a workerd start); a loaded machine makes that slow.
const SLOW = { timeout: 180_000 }

describe('articles:publish', SLOW, () => {
  it('publishes (exit 0), then a re-run writes no key', async () => {
    const first = await run('publish')
    expect(first.stdout).toContain('2 added, 0 updated, 0 unchanged, 0 removed')
    expect(first.code).toBe(0)
    const state = await localKv()
    expect(Object.keys(state)).toContain('v1:article:first')

    const again = await run('publish')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(
      '0 added, 0 updated, 2 unchanged, 0 removed; skipped 0 draft(s); 0 scheduled',
    )
    expect(again.stdout).toContain('wrote 0 keys, deleted 0.')
    expect(await localKv()).toEqual(state)
  })

  it('exits 1 naming file and field when an article is invalid, and KV stays unchanged', async () => {
    const state = await localKv()
    await project.write('first.json', articleFile({ slug: 'first', title: 'تغيير' }))
    await project.write('broken.json', articleFile({ slug: 'broken', publishedAt: 'yesterday' }))
    const result = await run('publish')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'articles/broken.json:7:18: publishedAt: must be an ISO 8601 date-time',
    )
    expect(result.stderr).toContain('1 error(s) in 3 file(s); nothing was written.')
    expect(await localKv()).toEqual(state)
    await project.remove('broken.json')
  })

  it('--dry-run prints each key it would write and writes nothing', async () => {
    const state = await localKv()
    const result = await run('publish', ['--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^put {4}v1:article:first \(\d+ bytes\)$/m)
    expect(result.stdout).toContain('0 added, 1 updated, 1 unchanged')
    expect(result.stdout).toContain('nothing was written')
    expect(await localKv()).toEqual(state)
  })

  it('--json prints one machine-readable report', async () => {
    const result = await run('publish', ['--json'])
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as Record<string, unknown>
    expect(report).toMatchObject({
      status: 'published',
      updated: ['first'],
      unchanged: ['second'],
      problems: [],
    })
    expect(report.writes).toContain('v1:article:first')
  })

  it('exits 2 on usage mistakes', async () => {
    expect((await run('publish', ['--frobnicate'])).code).toBe(2)
    expect((await run('publish', ['--local', '--remote'])).code).toBe(2)
    expect((await run('publish', ['no-such-folder'])).code).toBe(2)
    const prune = await run('publish', ['--prune', 'articles/first.json'])
    expect([prune.code, prune.stderr]).toEqual([
      2,
      expect.stringContaining('--prune needs folders'),
    ])
  })

  it('--remote without credentials says what is missing and how to set it, exit 2, never echoing a token', async () => {
    const none = await run('publish', ['--remote'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('CLOUDFLARE_API_TOKEN')
    expect(none.stderr).toContain('CLOUDFLARE_ACCOUNT_ID')
    expect(none.stderr).toContain('never stored or printed')

    const tokenOnly = await run('publish', ['--remote'], {
      CLOUDFLARE_API_TOKEN: 'secret-token-value',
    })
    expect(tokenOnly.code).toBe(2)
    expect(tokenOnly.stderr).not.toContain('CLOUDFLARE_API_TOKEN ')
    expect(tokenOnly.stderr + tokenOnly.stdout).not.toContain('secret-token-value')
  })

  it('exits 3 when KV cannot be written or read safely', async () => {
    await localKv((kv) => kv.put('v1:manifest', 'not json'))
    const result = await run('publish')
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('v1:manifest is corrupt')
    await localKv((kv) => kv.delete('v1:manifest'))
  })
})

describe('articles:unpublish', SLOW, () => {
  it('writes the tombstone and notes that the file would bring the article back', async () => {
    await run('publish')
    const result = await run('unpublish', ['second'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('1 removed')
    expect(result.stderr).toContain('articles/second.json still exists')
    const state = await localKv()
    expect(JSON.parse(state['v1:gone:second']!)).toMatchObject({ slug: 'second' })
    expect(state).not.toHaveProperty('v1:article:second')
  })

  it('exits 2 without a slug and 1 for a slug that is not published', async () => {
    expect((await run('unpublish')).code).toBe(2)
    const unknown = await run('unpublish', ['no-such-article'])
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringContaining('no-such-article: is not published'),
    ])
  })
})

describe('articles:check and articles:new', SLOW, () => {
  it('articles:new scaffolds a valid .md draft dated now (--json: a .json one), and refuses to overwrite either', async () => {
    const created = await run('new', ['new-article'])
    expect([created.code, created.stdout]).toEqual([0, expect.stringContaining('created articles/new-article.md')])
    const markdown = await readFile(join(project.articlesDir, 'new-article.md'), 'utf8')
    const parsed = parseArticleFile('articles/new-article.md', markdown)
    expect(parsed.problems).toEqual([])
    expect(parsed.source?.draft).toBe(true)
    expect(Math.abs(Date.parse(parsed.source!.publishedAt) - Date.now())).toBeLessThan(60_000)

    const json = await run('new', ['json-article', '--json'])
    expect(json.code).toBe(0)
    const text = await readFile(join(project.articlesDir, 'json-article.json'), 'utf8')
    expect(parseArticleFile('articles/json-article.json', text).problems).toEqual([])
    const article = JSON.parse(text) as { draft: boolean; publishedAt: string; $schema: string }
    expect(article).toMatchObject({ draft: true, $schema: '../schema/article.schema.json' })

    const again = await run('new', ['new-article', '--json'])
    expect([again.code, again.stderr]).toEqual([1, 'articles/new-article.md already exists; nothing was written.\n'])
    expect((await run('new', ['Not A Slug'])).code).toBe(1)
    expect((await run('new')).code).toBe(2)
    await project.remove('new-article.md')
    await project.remove('json-article.json')
  })

  it('articles:check validates without KV: exit 0 when valid, 1 with every problem', async () => {
    const valid = await run('check')
    expect([valid.code, valid.stdout]).toEqual([0, expect.stringContaining('0 error(s)')])
    await project.write('typo.json', articleFile({ slug: 'typo', titel: 'x' }))
    const invalid = await run('check', ['--json'])
    expect(invalid.code).toBe(1)
    expect(JSON.parse(invalid.stdout)).toMatchObject({
      valid: false,
      problems: [
        {
          file: 'articles/typo.json',
          path: 'titel',
          message: 'unknown field (did you mean `title`?)',
        },
      ],
    })
    await project.remove('typo.json')
  })
})
