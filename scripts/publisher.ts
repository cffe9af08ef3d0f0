// Publish step: one run from files to KV — validate everything, plan against what the last run
// wrote, then write in the safe order. The CLI (publish.ts) only parses flags and prints.
import * as z from 'zod'
import { StoredArticle } from '../src/article'
import { articleKey, MANIFEST_KEY } from '../src/keys'
import type { SiteConfig } from '../src/site'
import { loadArticles } from './articles'
import { buildState, EMPTY_MANIFEST, planPublish, type Manifest, type Plan } from './entries'
import type { KvTarget } from './kv'
import type { Problem } from './problems'

const ManifestSchema = z.object({ version: z.literal(1), keys: z.record(z.string(), z.string()) })

export interface PublishOptions {
  files: readonly string[]
  site: SiteConfig
  target: KvTarget
  dryRun: boolean
  /** The publish time: decides which articles are scheduled (publishedAt in the future). */
  now: number
  /** Progress lines for long runs. */
  progress?: (line: string) => void
}

export type PublishResult =
  | { status: 'invalid'; problems: Problem[] }
  | {
      status: 'published' | 'dry-run'
      problems: Problem[]
      plan: Plan
      /** Drafts skipped (never published). */
      drafts: string[]
      /** Articles stored now but visible only at their publishedAt. */
      scheduled: string[]
      keysWritten: number
      keysDeleted: number
    }

async function readManifest(target: KvTarget): Promise<Manifest> {
  const raw = await target.get(MANIFEST_KEY)
  if (raw === null) return EMPTY_MANIFEST
  const parsed = ManifestSchema.safeParse(JSON.parse(raw))
  if (!parsed.success) throw new Error(`${target.name}: ${MANIFEST_KEY} is corrupt; refusing to plan against it`)
  return parsed.data
}

/** Published articles whose files are not part of this run: kept as KV has them. */
async function carriedArticles(target: KvTarget, manifest: Manifest, inRun: ReadonlySet<string>) {
  const prefix = articleKey('')
  const carried: StoredArticle[] = []
  for (const key of Object.keys(manifest.keys)) {
    if (!key.startsWith(prefix) || inRun.has(key.slice(prefix.length))) continue
    const raw = await target.get(key)
    if (raw === null) continue
    carried.push(StoredArticle.parse(JSON.parse(raw)))
  }
  return carried
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { target } = options
  const loaded = await loadArticles(options.files, options.site)
  if (loaded.problems.some((problem) => problem.severity === 'error')) {
    return { status: 'invalid', problems: loaded.problems }
  }

  const manifest = await readManifest(target)
  // A file now marked as a draft takes its article off the site; any other file this run does
  // not name leaves its published article as it is.
  const inRun = new Set([...loaded.articles.map((article) => article.slug), ...loaded.drafts])
  const articles = [...loaded.articles, ...(await carriedArticles(target, manifest, inRun))]
  const plan = await planPublish(buildState(articles, options.now), manifest)
  const scheduled = loaded.articles
    .filter((article) => Date.parse(article.publishedAt) > options.now)
    .map((article) => article.slug)

  let keysWritten = 0
  let keysDeleted = 0
  if (!options.dryRun && plan.phases.length > 0) {
    for (const phase of plan.phases) {
      if ('put' in phase) {
        await target.put(phase.put)
        keysWritten += phase.put.length
      } else {
        await target.delete(phase.delete)
        keysDeleted += phase.delete.length
      }
      options.progress?.(`${keysWritten} keys written, ${keysDeleted} deleted`)
    }
    await target.put([plan.manifest])
  }
  return {
    status: options.dryRun ? 'dry-run' : 'published',
    problems: loaded.problems,
    plan,
    drafts: loaded.drafts,
    scheduled,
    keysWritten,
    keysDeleted,
  }
}
