// What a publish checks against what KV holds, with real files and miniflare KV: links to other
// articles (missing, draft, unpublished, renamed) and to files beside the article, each at its
// line; external links only with --check-links, against a loopback server; and renames that keep
// the feed id and every former URL.
import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { derivedArticleId, Redirect, StoredArticle } from '../../src/model/article'
import { main as check } from '../../src/cli/check'
import { findArticleFiles } from '../../src/publish/article-files'
import { externalLinkProblems } from '../../src/publish/external-links'
import { loadArticles } from '../../src/publish/load-articles'
import { formatProblem } from '../../src/publish/problems'
import { freePort } from '../../tools/harness/free-port'
import { runInProject } from './support/cli'
import {
  articleFile,
  markdownFile,
  publishWith,
  SITE,
  TempProject,
  TestKv,
  wranglerToml,
} from './support/publishing'

let kv: TestKv
let project: TempProject
let server: Server
let origin: string

beforeAll(async () => {
  kv = await TestKv.create()
  // A loopback site for external links: /ok answers 200, /missing 404, /hang never.
  server = createServer((request, response) => {
    if (request.url === '/hang') return
    response.writeHead(request.url === '/ok' ? 200 : 404).end()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await kv.dispose()
})
beforeEach(async () => {
  await kv.restore({})
  project = await TempProject.create()
  return () => project.dispose()
})

const publishAll = (options: Parameters<typeof publishWith>[2] = {}) =>
  publishWith(project, kv.target(), { files: [project.articlesDir], ...options })

async function published(options: Parameters<typeof publishWith>[2] = {}) {
  const result = await publishAll(options)
  if (result.status === 'invalid') throw new Error(result.problems.map(formatProblem).join('\n'))
  return result
}

const stored = async (slug: string) => {
  const raw = await kv.binding.get(`v1:article:${slug}`, 'text')
  return raw === null ? null : StoredArticle.parse(JSON.parse(raw))
}
const redirectOf = async (slug: string) => {
  const raw = await kv.binding.get(`v1:redirect:${slug}`, 'text')
  return raw === null ? null : Redirect.parse(JSON.parse(raw)).slug
}

/** A .md article whose body is `lines`, one a line; returns the line number of the first. */
async function writeLinking(lines: string[], fields: Record<string, unknown> = {}) {
  const text = markdownFile(articleFile({ slug: 'links', body: lines.join('\n'), ...fields }))
  await project.write('links.md', text)
  return text.split('\n').indexOf(lines[0]!) + 1
}

describe('links to other articles and to files', () => {
  it('reports each broken internal link and relative path at its line, against the files and KV', async () => {
    await project.writeArticles([
      articleFile({ slug: 'target' }),
      articleFile({ slug: 'old-name' }),
      articleFile({ slug: 'gone-one' }),
    ])
    await published()
    await project.remove('gone-one.json')
    await published({ files: [], unpublish: ['gone-one'] })
    await project.remove('old-name.json')
    await project.writeArticles([
      articleFile({ slug: 'new-name', redirectFrom: ['old-name'] }),
      articleFile({ slug: 'draft-one', draft: true }),
    ])
    await project.write('files/ok.pdf', 'a document beside the article')
    const first = await writeLinking(
      [
        'رابط سليم إلى [مقال](/articles/target) و[نسخة مطلقة](https://sahifa.example/articles/target).',
        'رابط إلى [مقال غير موجود](/articles/targit).',
        'رابط إلى [مسودة](/articles/draft-one).',
        'رابط إلى [اسم قديم](/articles/old-name).',
        'رابط إلى [مقال مسحوب](https://sahifa.example/articles/gone-one).',
        'ملف [التقرير](files/report.pdf) غير موجود و[ملف](files/ok.pdf) موجود.',
        'ملف [خارج](../outside.pdf) خارج المجلد، و[بريد](mailto:desk@sahifa.example) و[قسم](/sections/x).',
      ],
      { image: { url: 'https://sahifa.example/articles/nope', alt: 'صورة' } },
    )
    const result = await publishAll()
    expect(result.status).toBe('invalid')
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^articles\/links\.md:\d+:8: image\.url: links to \/articles\/nope, which is no article$/,
      ),
      `articles/links.md:${first + 1}:10: body: links to /articles/targit, which is no article (did you mean "target"?)`,
      `articles/links.md:${first + 2}:10: body: links to /articles/draft-one, which is a draft: it is not published`,
      `articles/links.md:${first + 3}:10: body: links to /articles/old-name, a former slug of "new-name": link /articles/new-name instead`,
      `articles/links.md:${first + 4}:10: body: links to /articles/gone-one, which was unpublished (410 Gone)`,
      `articles/links.md:${first + 5}:5: body: files/report.pdf names no file (looked for it beside articles/links.md)`,
      `articles/links.md:${first + 6}:5: body: ../outside.pdf leaves the folder of articles/links.md: link files beside the article`,
    ])
  })

  it('articles:check of one file counts the article files beside it as articles; of the folder, it knows them all', async () => {
    await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('links-test'))
    await project.writeArticles([articleFile({ slug: 'beside', draft: true })])
    await writeLinking(['[بجانبه](/articles/beside) و[لا شيء](/articles/nothing-here).'])
    const one = await runInProject(check, project.root, ['articles/links.md'])
    expect(one.stderr).toMatch(
      /^articles\/links\.md:\d+:29: body: links to \/articles\/nothing-here, which is no article\n$/,
    )
    const all = await runInProject(check, project.root, [])
    expect(all.stderr).toContain(
      'body: links to /articles/beside, which is a draft: it is not published',
    )
  })

  it('fetches external links only with --check-links, and warns where one fails', async () => {
    const closedPort = await freePort(9500, 9519)
    await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('links-test'))
    const first = await writeLinking([
      `[يعمل](${origin}/ok)`,
      `[مفقود](${origin}/missing)`,
      `[لا أحد](http://127.0.0.1:${closedPort}/closed)`,
    ])
    expect((await runInProject(check, project.root, [])).stderr).toBe('')
    const checked = await runInProject(check, project.root, ['--check-links'])
    expect(checked.code).toBe(0)
    expect(checked.stderr.split('\n').filter(Boolean)).toEqual([
      `articles/links.md:${first + 1}:1: warning: body: ${origin}/missing answers 404`,
      expect.stringMatching(
        new RegExp(
          `^articles/links\\.md:${first + 2}:1: warning: body: http://127\\.0\\.0\\.1:${closedPort}/closed could not be reached \\(ECONNREFUSED\\)$`,
        ),
      ),
    ])
  })

  it('gives up on an external link after its time', async () => {
    await writeLinking([`[معلق](${origin}/hang)`])
    const loaded = await loadArticles(await findArticleFiles([project.articlesDir]), SITE, {
      root: project.root,
    })
    const problems = await externalLinkProblems(loaded.loaded, SITE, { timeoutMs: 100 })
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /: warning: body: http:\/\/127\.0\.0\.1:\d+\/hang did not answer within 0\.1 s$/,
      ),
    ])
  })
})

describe('renames', () => {
  it('keep the first published id without the editor copying it, and every former URL', async () => {
    await project.writeArticles([articleFile({ slug: 'first-name' })])
    await published()
    const id = derivedArticleId(SITE.url, 'first-name')

    await project.remove('first-name.json')
    await project.writeArticles([
      articleFile({ slug: 'second-name', redirectFrom: ['first-name'] }),
    ])
    await published()
    expect((await stored('second-name'))?.id).toBe(id)

    await project.remove('second-name.json')
    await project.writeArticles([
      articleFile({ slug: 'third-name', redirectFrom: ['first-name', 'second-name'] }),
    ])
    await published()
    expect((await stored('third-name'))?.id).toBe(id)
    expect([await redirectOf('first-name'), await redirectOf('second-name')]).toEqual([
      'third-name',
      'third-name',
    ])

    // A later edit keeps it too: the file still derives its id from its own slug.
    await project.writeArticles([
      articleFile({
        slug: 'third-name',
        title: 'عنوان معدل',
        redirectFrom: ['first-name', 'second-name'],
      }),
    ])
    const edit = await published()
    expect(edit.plan.updated).toEqual(['third-name'])
    expect((await stored('third-name'))?.id).toBe(id)
  })

  it('refuse a second rename that would drop an earlier former URL, saying which to add', async () => {
    await project.writeArticles([articleFile({ slug: 'one' })])
    await published()
    await project.remove('one.json')
    await project.writeArticles([articleFile({ slug: 'two', redirectFrom: ['one'] })])
    await published()
    await project.remove('two.json')
    await project.writeArticles([articleFile({ slug: 'three', redirectFrom: ['two'] })])
    const result = await publishAll()
    expect(result.status === 'invalid' && result.problems.map(formatProblem)).toEqual([
      'articles/three.json:14:5: redirectFrom[0]: /articles/one redirects to "two", which this publish renames: add "one" to redirectFrom too, or /articles/one stops answering',
    ])
  })

  it('take an explicit id written without percent-encoding as the published one, byte for byte', async () => {
    await project.writeArticles([articleFile({ slug: 'معرض-الكتاب-عينة' })])
    await published()
    const published_id = (await stored('معرض-الكتاب-عينة'))!.id
    expect(published_id).toContain('%D9%85')
    await project.remove('معرض-الكتاب-عينة.json')
    await project.writeArticles([
      articleFile({
        slug: 'معرض-الكتاب',
        id: 'tag:sahifa.example,2026:معرض-الكتاب-عينة',
        redirectFrom: ['معرض-الكتاب-عينة'],
      }),
    ])
    await published()
    expect((await stored('معرض-الكتاب'))?.id).toBe(published_id)
  })

  it('refuse a publish that would change the id of a live article, saying how to keep it', async () => {
    await project.writeArticles([articleFile({ slug: 'live' })])
    await published()
    const before = await kv.snapshot()
    await project.writeArticles([articleFile({ slug: 'live', id: 'urn:new-id' })])
    const result = await publishAll()
    expect(result.status === 'invalid' && result.problems.map(formatProblem)).toEqual([
      'articles/live.json:13:9: id: would change the feed id of this live article from "tag:sahifa.example,2026:live" to "urn:new-id", and every feed reader would show it again as a new item: remove id (the published one is kept) or set it to "tag:sahifa.example,2026:live"',
    ])
    expect(await kv.snapshot()).toEqual(before)
  })
})
