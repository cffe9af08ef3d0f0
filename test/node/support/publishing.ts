// Node-test helpers for the publish pipeline: article files in temp folders, real miniflare KV
// (and R2 for photos) written through the local target's own writer, byte-for-byte snapshots of
// it, and a KV target that fails on its Nth key operation.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Miniflare } from 'miniflare'
import { stringify } from 'yaml'
import type { ArticleSource } from '../../../src/model/article-source'
import { findArticleFiles } from '../../../src/publish/article-files'
import type { KvEntry } from '../../../src/publish/desired-state'
import { publish, type PublishOptions } from '../../../src/publish/pipeline'
import {
  renderBody,
  type RenderBody,
  type RenderedBody,
} from '../../../src/publish/render-markdown'
import type { KvTarget } from '../../../src/publish/targets/kv-target'
import { KV_WRITER_SCRIPT, writerTarget } from '../../../src/publish/targets/local-target'
import {
  bindingMediaTarget,
  type MediaTarget,
  type R2Writer,
} from '../../../src/publish/targets/media-target'
import { parseSiteConfig } from '../../../src/model/site'
import { manualClock } from './clock'

export const SITE = parseSiteConfig({
  SITE_URL: 'https://sahifa.example',
  SITE_TITLE: 'صحيفة',
  SITE_DESCRIPTION: 'صحيفة إخبارية',
})

/**
 * A temp project's wrangler.toml: the ARTICLES namespace `id`, with `mediaBucket` the MEDIA bucket,
 * and the test site's [vars].
 */
export const wranglerToml = (namespaceId: string, mediaBucket?: string) => `name = "sahifa-test"
compatibility_date = "2026-04-26"

[[kv_namespaces]]
binding = "ARTICLES"
id = "${namespaceId}"
${mediaBucket ? `\n[[r2_buckets]]\nbinding = "MEDIA"\nbucket_name = "${mediaBucket}"\n` : ''}
[vars]
SITE_URL = "https://sahifa.example"
SITE_TITLE = "صحيفة"
SITE_DESCRIPTION = "صحيفة إخبارية"
`

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

/** `articleFile`'s fields as a `.md` file: the fields as YAML front matter, then the body. */
export function markdownFile(article: Record<string, unknown>): string {
  const { body, $schema: _schema, ...fields } = article
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n\n${String(body ?? '')}\n`
}

/** A project folder with `articles/`; files are written as given (strings and bytes verbatim, objects as JSON). */
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
  async write(
    name: string,
    content: string | Uint8Array | Record<string, unknown>,
  ): Promise<string> {
    const path = join(this.articlesDir, name)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(
      path,
      typeof content === 'string' || content instanceof Uint8Array
        ? content
        : `${JSON.stringify(content, null, 2)}\n`,
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

/** The part of miniflare's KV binding the tests use directly. */
interface ReadingKv {
  get(key: string, type: 'text'): Promise<string | null>
  put(key: string, value: string): Promise<void>
}

/**
 * The tests' own view of the namespace, a second worker bound to the same one: a snapshot or a
 * restore is one round trip to workerd, its list, bulk gets, deletes and puts made inside it
 * (from Node each was a round trip of its own, most of the crash tests' time).
 */
const INSPECTOR = 'kv-inspector'
type Inspector = Awaited<ReturnType<Miniflare['getWorker']>>
const INSPECTOR_SCRIPT = `
async function snapshot(kv) {
  const keys = []
  let cursor
  do {
    const page = await kv.list(cursor ? { cursor } : {})
    keys.push(...page.keys.map((key) => key.name))
    cursor = page.list_complete ? undefined : page.cursor
  } while (cursor)
  keys.sort()
  const values = new Map()
  // Workers KV's bulk get takes up to 100 keys.
  for (let from = 0; from < keys.length; from += 100) {
    const got = await kv.get(keys.slice(from, from + 100), 'text')
    for (const [key, value] of got) values.set(key, value)
  }
  return Object.fromEntries(keys.map((key) => [key, values.get(key)]))
}
export default {
  async fetch(request, env) {
    const current = await snapshot(env.ARTICLES)
    if (request.method === 'GET') return Response.json(current)
    const wanted = await request.json()
    await Promise.all([
      ...Object.keys(current)
        .filter((key) => !(key in wanted))
        .map((key) => env.ARTICLES.delete(key)),
      ...Object.entries(wanted)
        .filter(([key, value]) => current[key] !== value)
        .map(([key, value]) => env.ARTICLES.put(key, value)),
    ])
    return new Response(null, { status: 204 })
  },
}`

/** The part of miniflare's R2 binding the photo tests read through. */
export interface ListingBucket extends R2Writer {
  list(): Promise<{ objects: { key: string; size: number; uploaded: Date; httpEtag: string }[] }>
  get(
    key: string,
  ): Promise<{
    arrayBuffer(): Promise<ArrayBuffer>
    httpMetadata?: { contentType?: string }
  } | null>
}

/**
 * Real Workers KV (miniflare) in memory, one per test file, with the local target's writer in
 * front of it: a batch of writes is one round trip to workerd, as a local publish makes them.
 */
export class TestKv {
  private constructor(
    private readonly mf: Miniflare,
    readonly binding: ReadingKv,
    private readonly inspector: Inspector,
    private readonly writer: KvTarget,
    private readonly mediaBucket?: ListingBucket,
  ) {}

  /** With `media`, a MEDIA bucket (R2) beside the namespace, as wrangler.toml binds one. */
  static async create(options: { media?: boolean } = {}): Promise<TestKv> {
    const mf = new Miniflare({
      // The project's date: miniflare's old default makes each KV write about 3x slower.
      compatibilityDate: '2026-04-26',
      cf: false,
      workers: [
        {
          modules: true,
          script: KV_WRITER_SCRIPT,
          kvNamespaces: ['ARTICLES'],
          ...(options.media ? { r2Buckets: ['MEDIA'] } : {}),
        },
        { name: INSPECTOR, modules: true, script: INSPECTOR_SCRIPT, kvNamespaces: ['ARTICLES'] },
      ],
    })
    const binding = (await mf.getKVNamespace('ARTICLES')) as unknown as ReadingKv
    const bucket = options.media
      ? ((await mf.getR2Bucket('MEDIA')) as unknown as ListingBucket)
      : undefined
    const inspector = await mf.getWorker(INSPECTOR)
    return new TestKv(mf, binding, inspector, writerTarget(mf, 'test KV'), bucket)
  }

  /** The MEDIA bucket (a TestKv made with `media`). */
  get bucket(): ListingBucket {
    if (!this.mediaBucket) throw new Error('TestKv.create({ media: true }) has the MEDIA bucket')
    return this.mediaBucket
  }

  /** A publish's media target over the MEDIA bucket. */
  media(): MediaTarget {
    return bindingMediaTarget('test R2', this.bucket)
  }

  /** Every object in the MEDIA bucket with its size and ETag. */
  async mediaSnapshot(): Promise<Record<string, { size: number; etag: string; uploaded: number }>> {
    const { objects } = await this.bucket.list()
    return Object.fromEntries(
      objects.map((object) => [
        object.key,
        { size: object.size, etag: object.httpEtag, uploaded: object.uploaded.getTime() },
      ]),
    )
  }

  /** A publish target over this KV; closing it leaves the KV open (dispose() ends it). */
  target(): KvTarget {
    return { ...this.writer, close: async () => {} }
  }

  /** Every key and value, for byte-for-byte comparisons. */
  async snapshot(): Promise<Record<string, string>> {
    const response = await this.inspector.fetch('http://inspector/')
    if (!response.ok) throw new Error(`snapshot failed: HTTP ${response.status}`)
    return (await response.json()) as Record<string, string>
  }

  /** Makes KV hold exactly `snapshot`, touching only the keys that differ. */
  async restore(snapshot: Record<string, string>) {
    const response = await this.inspector.fetch('http://inspector/', {
      method: 'PUT',
      body: JSON.stringify(snapshot),
    })
    if (response.status !== 204) throw new Error(`restore failed: HTTP ${response.status}`)
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
    render: renderOnce,
    // Waits (the lease's settle, KV's per-key spacing) advance the clock instead of sleeping.
    clock: manualClock(NOW),
    ...options,
    files: await findArticleFiles(options.files ?? []),
  })
}

/**
 * renderBody, each body rendered once per test file: the crash tests publish the same files a few
 * hundred times. The CLI keeps whole loads across runs instead (load-cache.ts).
 */
const rendered = new Map<string, RenderedBody>()
const renderOnce: RenderBody = (source, baseUrl) => {
  const key = `${baseUrl}\0${source}`
  let body = rendered.get(key)
  if (!body) rendered.set(key, (body = renderBody(source, baseUrl)))
  return body
}

export class InjectedFailure extends Error {}

/**
 * A target that performs key operations in order and throws instead of performing the
 * `failAt`-th (1-based), after performing every one before it; reads always work. A batch that
 * reaches the failure is cut: its first part is written in one call, as a run that stopped
 * mid-batch leaves it.
 */
export function failingTarget(inner: KvTarget, failAt: number): KvTarget {
  let operations = 0
  const step = async <T>(items: readonly T[], run: (some: T[]) => Promise<void>) => {
    const room = failAt - 1 - operations
    if (room > 0) await run(items.slice(0, room))
    operations += Math.min(Math.max(room, 0), items.length)
    if (room < items.length) throw new InjectedFailure(`injected failure at operation ${failAt}`)
  }
  return {
    ...inner,
    put: (entries: readonly KvEntry[]) => step(entries, (some) => inner.put(some)),
    delete: (keys: readonly string[]) => step(keys, (some) => inner.delete(some)),
  }
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
