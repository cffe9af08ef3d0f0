// Article files as editors write them: `.md` (YAML front matter, then the Markdown body) beside
// `.json`, one schema, and every problem at the line and column where it is — in the front
// matter, inside the body, inside a JSON string — read from real files by the publish core.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findArticleFiles } from '../../src/publish/article-files'
import { loadArticles } from '../../src/publish/load-articles'
import { formatProblem } from '../../src/publish/problems'
import { articleFile, markdownFile, SITE, TempProject } from './support/publishing'

const SEED = 'الانسحاب-الأميركي-من-العراق'
const projects: TempProject[] = []

afterAll(() => Promise.all(projects.map((project) => project.dispose())))

/** Writes `files` (name → content) into a fresh articles/ and loads it as a publish would. */
async function load(files: Record<string, string | Record<string, unknown>>) {
  const project = await TempProject.create()
  projects.push(project)
  for (const [name, content] of Object.entries(files)) await project.write(name, content)
  return loadArticles(await findArticleFiles([project.articlesDir]), SITE, { root: project.root })
}

const problemsOf = async (files: Record<string, string | Record<string, unknown>>) =>
  (await load(files)).problems.map(formatProblem)

describe('.md articles', () => {
  it('the seed article as .md is the same stored article as its JSON twin', async () => {
    const twin = await readFile(join('test/support/fixtures', `${SEED}.json`), 'utf8')
    const markdown = await readFile(join('articles', `${SEED}.md`), 'utf8')
    const [fromJson, fromMarkdown] = await Promise.all([
      load({ [`${SEED}.json`]: twin }),
      load({ [`${SEED}.md`]: markdown }),
    ])
    expect(fromMarkdown.problems).toEqual([])
    expect(fromMarkdown.articles).toEqual(fromJson.articles)
    expect(fromMarkdown.articles[0]!.html).toContain('<h2>خارج الحسابات</h2>')
    // README's editor's guide shows this very file as the complete example.
    expect(await readFile('README.md', 'utf8')).toContain(`\`\`\`markdown\n${markdown}\`\`\``)
  })

  it('round-trips every field: a .md file and its JSON twin store the same article', async () => {
    const fields = articleFile({
      slug: 'every-field',
      updatedAt: '2024-11-21T09:00:00+02:00',
      language: 'en',
      authors: [{ name: 'Desk', url: 'https://sahifa.example/desk' }],
      image: {
        url: 'https://x.example/a.jpg',
        alt: 'a photo',
        caption: 'c: d',
        credit: 'AFP',
        width: 800,
        height: 600,
      },
      id: 'tag:sahifa.example,2026:every-field',
      redirectFrom: ['every-old'],
      title: 'Title: with a colon, "quotes" and #hash',
      body: 'Intro with a [link](https://x.example/).\n\n## Heading\n\n- one\n- two\n',
    })
    const [json, markdown] = await Promise.all([
      load({ 'every-field.json': fields }),
      load({ 'every-field.md': markdownFile(fields) }),
    ])
    expect(markdown.problems).toEqual([])
    expect(markdown.loaded[0]!.redirectFrom).toEqual(['every-old'])
    expect(markdown.articles).toEqual(json.articles)
  })

  it('reports front matter problems at their line and column, with the same messages and suggestions as JSON', async () => {
    const text = [
      '---',
      'slug: typo',
      'titel: عنوان',
      'summary: ملخص',
      'publishedAt: 2024-11-20T08:30:00',
      'tags: [a, b]',
      'image:',
      '  url: /relative.jpg',
      '---',
      '',
      'فقرة أولى.',
    ].join('\n')
    expect(await problemsOf({ 'typo.md': text })).toEqual([
      'articles/typo.md:2:1: title: is required',
      'articles/typo.md:3:1: titel: unknown field (did you mean `title`?)',
      'articles/typo.md:5:14: publishedAt: must be an ISO 8601 date-time with a time zone offset, e.g. 2024-11-20T08:30:00+03:00',
      'articles/typo.md:8:3: image.alt: is required',
      'articles/typo.md:8:8: image.url: "/relative.jpg" is a path from the site\'s root: name the photo file relative to the article, e.g. media/photo.jpg',
    ])
  })

  it('reports YAML mistakes an editor makes with a hint, each at its place', async () => {
    const files = {
      'colon.md': '---\nslug: colon\ntitle: قال: نعم\n---\nنص\n',
      'quote.md': '---\nslug: quote\ntitle: "قال "نعم" اليوم"\n---\nنص\n',
      'unclosed.md': '---\nslug: unclosed\ntitle: "عنوان\nsummary: ملخص\n---\nنص\n',
      'twice.md': '---\nslug: twice\nslug: twice\n---\nنص\n',
      'tabs.md': '---\nslug: tabs\nimage:\n\talt: x\n---\nنص\n',
      'never-closed.md': '---\nslug: never-closed\ntitle: x\n\nنص\n',
      'tajriba.md': 'تجربة بلا حقول.\n',
      'body-field.md': markdownFile(articleFile({ slug: 'body-field' })).replace(
        'slug:',
        'body: x\nslug:',
      ),
    }
    expect(await problemsOf(files)).toEqual([
      'articles/body-field.md:2:1: body: the body is the Markdown after the closing ---, not a field of the front matter',
      'articles/colon.md:3:8: invalid YAML: a value with ": " in it needs quotes, e.g. title: "قال: نعم"',
      'articles/never-closed.md:1:1: the front matter that starts here is never closed: put a line --- after the fields, before the body',
      'articles/quote.md:3:13: invalid YAML: this " ends the value early — quote the value with the other kind of quote, or use “ ” or « » inside it',
      'articles/tabs.md:4:1: invalid YAML: indent with spaces, not tabs',
      'articles/tajriba.md:1:1: a .md article starts with its fields between two lines of three dashes: ---, then e.g. "title: …" on a line each, then ---, then the body in Markdown',
      'articles/twice.md:3:1: field "slug" appears more than once',
      'articles/unclosed.md:3:8: invalid YAML: the quoted value that starts here is never closed',
    ])
  })

  it('reports what is wrong inside a body on the line of the file it is on', async () => {
    const body = [
      'فقرة أولى فيها [رابط](https://x.example/).',
      '',
      '> اقتباس فيه صورة ![](https://x.example/a.jpg) بلا وصف.',
      '',
      '<div onclick="x()">',
      '  <script>alert(1)</script>',
      '</div>',
      '',
      '1. بند',
      '2. بند فيه <a href="javascript:alert(1)">رابط</a>',
    ].join('\n')
    const text = markdownFile(articleFile({ slug: 'body', body }))
    const bodyLine = text.split('\n').indexOf('فقرة أولى فيها [رابط](https://x.example/).') + 1
    expect(await problemsOf({ 'body.md': text })).toEqual([
      `articles/body.md:${bodyLine + 2}:19: body: image https://x.example/a.jpg has no alt text: describe it, e.g. ![what the photo shows](https://x.example/a.jpg)`,
      `articles/body.md:${bodyLine + 4}:1: warning: body: the sanitiser removed <div>`,
      `articles/body.md:${bodyLine + 5}:3: warning: body: the sanitiser removed <script>`,
      `articles/body.md:${bodyLine + 9}:12: warning: body: the sanitiser removed javascript: URL in href on <a>`,
    ])
  })
})

describe('.json articles an editor can fix', () => {
  it('reports a line break pasted into a JSON string once, at its line', async () => {
    const pasted = 'فقرة أولى\n\n## عنوان فرعي\n\n' + 'سطر آخر\n'.repeat(200)
    const text = `{\n  "slug": "pasted",\n  "title": "عنوان",\n  "body": "${pasted}"\n}\n`
    expect(await problemsOf({ 'pasted.json': text })).toEqual([
      'articles/pasted.json:4:21: a JSON string cannot contain a line break — write \\n, or use a .md file',
    ])
  })

  it('points at a quote that ends a string early, with a hint', async () => {
    const text = '{\n  "slug": "quote",\n  "title": "قال "نعم" اليوم",\n  "summary": "x"\n}\n'
    expect(await problemsOf({ 'quote.json': text })).toEqual([
      'articles/quote.json:3:17: invalid JSON: this " ends the string early — inside a JSON string write \\" (or use “ ” or « »)',
    ])
  })

  it('places a finding inside a JSON body at its character, escapes counted', async () => {
    const body = 'سطر\n\n"اقتباس"\n\n![](https://x.example/a.jpg)'
    const problems = await problemsOf({ 'escaped.json': articleFile({ slug: 'escaped', body }) })
    // `  "body": "سطر\n\n\"اقتباس\"\n\n![`: the quote opens at column 11, `!` is at 33.
    expect(problems).toEqual([
      expect.stringMatching(
        /^articles\/escaped\.json:6:33: body: image https:\/\/x\.example\/a\.jpg has no alt text/,
      ),
    ])
  })
})

describe('a folder of articles', () => {
  it('reads .md and .json side by side, and reports what is neither instead of skipping it', async () => {
    const loaded = await load({
      'one.md': markdownFile(articleFile({ slug: 'one' })),
      'two.json': articleFile({ slug: 'two' }),
      'tajriba.txt': 'تجربة',
      'photo.jpg': 'not an article: media beside articles are not reported',
      '.one.md.swp': 'an editor swap file',
    })
    expect(loaded.articles.map((article) => article.slug).sort()).toEqual(['one', 'two'])
    expect(loaded.problems.map(formatProblem)).toEqual([
      'articles/tajriba.txt: warning: is not an article file (articles end in .md or .json): not published',
    ])
  })

  it('refuses the same slug in a .md and a .json file, naming both', async () => {
    expect(
      await problemsOf({
        'same.md': markdownFile(articleFile({ slug: 'same' })),
        'same.json': articleFile({ slug: 'same' }),
      }),
    ).toEqual(['articles/same.md:2:7: slug: "same" is also the slug of articles/same.json'])
  })
})
