// Two editors publishing at once (issue #12, case 1): two real publish processes started together
// against one local KV, trial after trial — one adding a file in articles/, the other a file from
// another folder. Either both finish, or the one that lost the lease says so and exits 3; run
// again, it converges. Never do both say success while one article is missing.
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Manifest } from '../../src/publish/manifest'
import { offlineEnv } from '../../src/publish/offline-env'
import { main as publishInProcess } from '../../src/cli/publish'
import { REPO } from '../../tools/harness/repo-config'
import { runInProject } from './support/cli'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

const NAMESPACE = 'sahifa-race-test'
const TRIALS = 3
const TSX = join(REPO, 'node_modules/.bin/tsx')
const CLI = join(REPO, 'src/cli/publish.ts')

let project: TempProject

interface Exit {
  code: number
  stderr: string
}

/** `npm run articles:publish -- …` as a process of its own, in the project folder. */
function publish(...args: string[]): Promise<Exit> {
  return promisify(execFile)(TSX, [CLI, ...args], { cwd: project.root, env: offlineEnv() }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  )
}

/** The site list's slugs and the manifest's article keys, as local KV holds them. */
async function published(): Promise<{ listed: string[]; inManifest: string[]; articleKeys: string[] }> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response() } }',
    kvNamespaces: { ARTICLES: NAMESPACE },
    compatibilityDate: '2026-04-26',
    kvPersist: join(project.root, '.wrangler/state/v3/kv'),
    cf: false,
  })
  try {
    const kv = await mf.getKVNamespace('ARTICLES')
    const head = JSON.parse((await kv.get('v1:head:site', 'text'))!) as { articles: { slug: string }[] }
    const manifest = Manifest.parse(JSON.parse((await kv.get('v1:manifest', 'text'))!))
    const { keys } = await kv.list({ prefix: 'v1:article:' })
    return {
      listed: head.articles.map((article) => article.slug).sort(),
      inManifest: Object.keys(manifest.keys).filter((key) => key.startsWith('v1:article:')).sort(),
      articleKeys: keys.map((key) => key.name).sort(),
    }
  } finally {
    await mf.dispose()
  }
}

beforeAll(async () => {
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml(NAMESPACE))
  await mkdir(join(project.root, 'other'))
})
afterAll(() => project.dispose())

describe('two publishes at once', () => {
  it(`never lose an article, over ${TRIALS} trials`, { timeout: 120_000 }, async () => {
    await project.writeArticles([articleFile({ slug: 'base' })])
    expect((await runInProject(publishInProcess, project.root)).code).toBe(0)
    const outcomes: string[] = []
    const expected = ['base']
    for (let trial = 1; trial <= TRIALS; trial++) {
      // Each trial adds one article through each publish: one in articles/, one from elsewhere.
      const [x, y] = [`race-x-${trial}`, `race-y-${trial}`]
      await project.write(`${x}.json`, articleFile({ slug: x }))
      await writeFile(join(project.root, `other/${y}.json`), JSON.stringify(articleFile({ slug: y })))
      const [all, other] = await Promise.all([publish('articles'), publish(`other/${y}.json`)])
      outcomes.push(`${all.code}/${other.code}`)
      for (const exit of [all, other]) {
        expect([0, 3], exit.stderr).toContain(exit.code)
        if (exit.code === 3) expect(exit.stderr).toMatch(/another publish .*Nothing this run wrote is lost: run the same command again\./s)
      }
      // The one that lost runs again, as its message says.
      if (all.code === 3) expect((await runInProject(publishInProcess, project.root, ['articles'])).code).toBe(0)
      if (other.code === 3) expect((await runInProject(publishInProcess, project.root, [`other/${y}.json`])).code).toBe(0)

      expected.push(x, y)
      const state = await published()
      expect(state.listed, `trial ${trial} (${outcomes.at(-1)})`).toEqual([...expected].sort())
      expect(state.inManifest).toEqual(expected.map((slug) => `v1:article:${slug}`).sort())
      // Nothing orphaned: every article key is one the manifest knows.
      expect(state.articleKeys).toEqual(state.inManifest)
    }
    // The race was real: at least once, one of the two lost it.
    expect(outcomes.some((outcome) => outcome.includes('3'))).toBe(true)
  })
})
