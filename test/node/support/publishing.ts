// Node-test helpers for the publish script: article files in temp folders, real miniflare KV,
// byte-for-byte snapshots of it, and a KV target that fails on its Nth key operation.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Miniflare } from 'miniflare'
import type { ArticleSource } from '../../../src/model/article-source'
import { parseSiteConfig } from '../../../src/model/site'
import type { KvEntry } from '../../../scripts/entries'
import { bindingTarget, type KvBinding, type KvTarget } from '../../../scripts/kv'
import { publish, type PublishOptions } from '../../../scripts/publisher'
import { findArticleFiles } from '../../../scripts/articles'

export const SITE = parseSiteConfig({
  SITE_URL: 'https://sahifa.example',
  SITE_TITLE: 'صحيفة',
  SITE_DESCRIPTION: 'صحيفة إخبارية',
})

/** The publish time every test uses (never the clock). */
export const NOW = Date.parse('2024-12-01T12:00:00Z')

let counter = 0

/**
 * A valid article file's content, fixed dates; every field can be overridden or removed
 * (undefined), and unknown ones added (to test typos).
 */
export function articleFile(
  overrides: Partial<Record<keyof ArticleSource | (string & {}), unknown>> = {},
): Record<string, unknown> {
  counter++
  const article: Record<string, unknown> = {
    $schema: '../schema/article.schema.json',
    slug: `خبر-${counter}`,
    title: `عنوان الخبر ${counter}`,
    summary: `ملخص الخبر ${counter}.`,
    body: `نص الخبر ${counter}.\n\n## عنوان فرعي\n\nفقرة.`,
    publishedAt: '2024-11-20T08:30:00+02:00',
    section: 'سياسة',
    tags: ['العراق', 'عينة'],
    ...overrides,
  }
  for (const key of Object.keys(article)) if (article[key] === undefined) delete article[key]
  return article
}

/** A project folder with `articles/`; files are written as given (strings verbatim, objects as JSON). */
export class TempProject {
  private constructor(readonly root: string) {}

  static async create(): Promise<TempProject> {
    const root = await mkdtemp(join(tmpdir(), 'sahifa-publish-'))
    await mkdir(join(root, 'articles'))
    return new TempProject(root)
  }

  get articlesDir() {
    return join(this.root, 'articles')
  }

  /** Writes `articles/<name>` (name may include sub-folders); returns its path. */
  async write(name: string, content: string | Record<string, unknown>): Promise<string> {
    const path = join(this.articlesDir, name)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(
      path,
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    )
    return path
  }

  /** Writes each article as `articles/<slug>.json`. */
  async writeArticles(articles: readonly Record<string, unknown>[]): Promise<string[]> {
    return Promise.all(
      articles.map((article) => this.write(`${String(article.slug)}.json`, article)),
    )
  }

  async remove(name: string) {
    await rm(join(this.articlesDir, name))
  }

  async dispose() {
    await rm(this.root, { recursive: true, force: true })
  }
}

/** Real Workers KV (miniflare) in memory, with a publish target over it. */
export class TestKv {
  private constructor(
    private readonly mf: Miniflare,
    readonly binding: KvBinding & {
      list(options?: {
        cursor?: string
      }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>
      delete(key: string): Promise<void>
    },
  ) {}

  static async create(): Promise<TestKv> {
    const mf = new Miniflare({
      modules: true,
      script: 'export default { fetch() { return new Response() } }',
      kvNamespaces: ['ARTICLES'],
      // The project's date: miniflare's old default makes each KV write about 3x slower.
      compatibilityDate: '2026-04-26',
      cf: false,
    })
    return new TestKv(mf, (await mf.getKVNamespace('ARTICLES')) as unknown as TestKv['binding'])
  }

  target(): KvTarget {
    return bindingTarget('test KV', this.binding)
  }

  /** Every key and value, for byte-for-byte comparisons. */
  async snapshot(): Promise<Record<string, string>> {
    const keys: string[] = []
    let cursor: string | undefined
    do {
      const page = await this.binding.list(cursor ? { cursor } : {})
      keys.push(...page.keys.map((key) => key.name))
      cursor = page.list_complete ? undefined : page.cursor
    } while (cursor)
    const values = await Promise.all(keys.sort().map((key) => this.binding.get(key, 'text')))
    return Object.fromEntries(keys.map((key, i) => [key, values[i]!]))
  }

  /** Makes KV hold exactly `snapshot`, touching only the keys that differ. */
  async restore(snapshot: Record<string, string>) {
    const current = await this.snapshot()
    await Promise.all([
      ...Object.keys(current)
        .filter((key) => !(key in snapshot))
        .map((key) => this.binding.delete(key)),
      ...Object.entries(snapshot)
        .filter(([key, value]) => current[key] !== value)
        .map(([key, value]) => this.binding.put(key, value)),
    ])
  }

  async dispose() {
    await this.mf.dispose()
  }
}

/** publish() with the test site, time and file-name root; `files` may name folders. */
export async function publishWith(
  project: TempProject,
  target: KvTarget,
  options: Partial<PublishOptions> = {},
) {
  return publish({
    site: SITE,
    target,
    dryRun: false,
    now: NOW,
    root: project.root,
    ...options,
    files: await findArticleFiles(options.files ?? []),
  })
}

export class InjectedFailure extends Error {}

/**
 * A target that performs key operations one at a time and throws instead of performing the
 * `failAt`-th (1-based); reads always work. `operations` counts what was performed.
 */
export function failingTarget(inner: KvTarget, failAt: number) {
  let operations = 0
  const step = async (run: () => Promise<void>) => {
    if (operations + 1 === failAt)
      throw new InjectedFailure(`injected failure at operation ${failAt}`)
    await run()
    operations++
  }
  const target: KvTarget = {
    ...inner,
    async put(entries: readonly KvEntry[]) {
      for (const entry of entries) await step(() => inner.put([entry]))
    },
    async delete(keys: readonly string[]) {
      for (const key of keys) await step(() => inner.delete([key]))
    },
  }
  return { target, operations: () => operations }
}

/**
 * What a reader could trip over in a KV snapshot: a list entry (head, chunk, sitemap page) or a redirect
 * naming an article that is missing. Empty when KV is consistent.
 */
export function danglingReferences(snapshot: Record<string, string>): string[] {
  const missing: string[] = []
  const exists = (slug: string) => snapshot[`v1:article:${slug}`] !== undefined
  for (const [key, value] of Object.entries(snapshot)) {
    if (
      key.startsWith('v1:head:') ||
      key.startsWith('v1:chunk:') ||
      key.startsWith('v1:sitemap:page:')
    ) {
      const parsed = JSON.parse(value) as { articles?: { slug: string }[] } | { slug: string }[]
      const articles = Array.isArray(parsed) ? parsed : (parsed.articles ?? [])
      for (const { slug } of articles) if (!exists(slug)) missing.push(`${key} → ${slug}`)
    } else if (key.startsWith('v1:redirect:')) {
      const { slug } = JSON.parse(value) as { slug: string }
      if (!exists(slug)) missing.push(`${key} → ${slug}`)
    }
  }
  return missing
}
