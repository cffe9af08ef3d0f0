// Publish step: one run from files to KV — validate everything, plan against what the manifest
// says KV holds, then write in the safe order. The CLIs (publish.ts, unpublish.ts) only parse
// flags and print.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { MANIFEST_KEY } from '../src/model/keys'
import type { SiteConfig } from '../src/model/site'
import { loadArticles, type LoadedArticle } from './articles'
import { checkEntrySizes } from './checks'
import { buildState } from './entries'
import type { KvTarget } from './kv'
import { liveState } from './live'
import type { RenderBody } from './markdown'
import { EMPTY_MANIFEST, Manifest, planPublish, type Plan } from './plan'
import type { Problem } from './problems'

export interface PublishOptions {
  files: readonly string[]
  site: SiteConfig
  target: KvTarget
  dryRun: boolean
  /** The publish time: decides which articles are scheduled (publishedAt in the future). */
  now: number
  /** Remove live articles that have no file in this run (tombstone, then off every list). */
  prune?: boolean
  /** Slugs to take off the site (tombstone, then off every list). */
  unpublish?: readonly string[]
  /** Markdown renderer (the CLI passes a cached one). */
  render?: RenderBody
  /** File names in problems are shown relative to this folder (default: the working directory). */
  root?: string
  /** Called after each batch of writes or deletes. */
  progress?: (done: number, total: number) => void
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

/** Keys per write call: small enough to report progress, large enough for bulk writes to pay. */
const BATCH_SIZE = 1000

async function readManifest(target: KvTarget): Promise<Manifest> {
  const raw = await target.get(MANIFEST_KEY)
  if (raw === null) return EMPTY_MANIFEST
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  const parsed = Manifest.safeParse(json)
  if (!parsed.success)
    throw new Error(`${target.name}: ${MANIFEST_KEY} is corrupt; refusing to plan against it`)
  return parsed.data
}

/** The same SHA-256 hex as plan.ts's valueHash, without copying each value through TextEncoder. */
const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

/**
 * A former slug replaces the live article of that slug (a rename) only when its file is gone: a
 * partial run must not take down an article whose file is merely not part of the run.
 */
function renameProblems(loaded: readonly LoadedArticle[], renamed: ReadonlySet<string>): Problem[] {
  return loaded.flatMap(({ file, path, redirectFrom, locate }) =>
    redirectFrom.flatMap((old, i) => {
      if (!renamed.has(old) || !existsSync(join(dirname(path), `${old}.json`))) return []
      return [
        {
          file,
          severity: 'error' as const,
          path: `redirectFrom[${i}]`,
          message: `"${old}" is a live article and ${join(dirname(file), `${old}.json`)} still exists: delete or rename that file to rename the article`,
          ...locate(['redirectFrom', i]),
        },
      ]
    }),
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs a plan: the pending manifest, each phase in order and in batches, the final manifest. */
async function writePlan(plan: Plan, target: KvTarget, progress: PublishOptions['progress']) {
  const counts = { keysWritten: 0, keysDeleted: 0 }
  // The pending manifest first: if the run stops anywhere, the next one knows which keys to redo.
  await target.put([plan.pending])
  const pendingWrittenAt = Date.now()
  const total = plan.phases.reduce(
    (n, phase) => n + ('put' in phase ? phase.put : phase.delete).length,
    0,
  )
  for (const phase of plan.phases) {
    if ('put' in phase) {
      for (let from = 0; from < phase.put.length; from += BATCH_SIZE) {
        const batch = phase.put.slice(from, from + BATCH_SIZE)
        await target.put(batch)
        counts.keysWritten += batch.length
        progress?.(counts.keysWritten + counts.keysDeleted, total)
      }
    } else {
      for (let from = 0; from < phase.delete.length; from += BATCH_SIZE) {
        const batch = phase.delete.slice(from, from + BATCH_SIZE)
        await target.delete(batch)
        counts.keysDeleted += batch.length
        progress?.(counts.keysWritten + counts.keysDeleted, total)
      }
    }
  }
  // The manifest is the one key written twice in a run: keep KV's one write per second per key.
  await sleep(pendingWrittenAt + target.sameKeyIntervalMs - Date.now())
  await target.put([plan.manifest])
  return counts
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const { target, now } = options
  const loaded = await loadArticles(options.files, options.site, {
    render: options.render,
    root: options.root,
  })
  const problems = [...loaded.problems]
  const invalid = () => problems.some((problem) => problem.severity === 'error')
  if (invalid()) return { status: 'invalid', problems }

  const manifest = await readManifest(target)
  const runRedirects = new Map(
    loaded.loaded.flatMap((entry) =>
      entry.redirectFrom.map((from) => [from, entry.article.slug] as const),
    ),
  )
  const live = await liveState(
    {
      manifest,
      runSlugs: new Set(loaded.articles.map((article) => article.slug)),
      draftSlugs: new Set(loaded.drafts.map((draft) => draft.slug)),
      runRedirects,
      prune: options.prune ?? false,
      unpublish: options.unpublish ?? [],
      now,
    },
    target,
  )
  problems.push(...renameProblems(loaded.loaded, new Set(live.renamed)))
  for (const slug of live.notPublished) {
    problems.push({ file: slug, severity: 'error', message: `is not published in ${target.name}` })
  }
  const articles = [...loaded.articles, ...live.carried]
  const desired = buildState(articles, now)
  problems.push(...checkEntrySizes([...desired.chunks, ...desired.heads, ...live.pointers]))
  if (invalid()) return { status: 'invalid', problems }

  const plan = await planPublish(desired, manifest, {
    pointers: live.pointers,
    kept: live.kept,
    removing: live.removing,
    hash: sha256Hex,
  })
  const scheduled = articles
    .filter((article) => Date.parse(article.publishedAt) > now)
    .map((article) => article.slug)
  const result = {
    problems,
    plan,
    drafts: loaded.drafts.map((draft) => draft.slug),
    scheduled,
    keysWritten: 0,
    keysDeleted: 0,
  }
  if (options.dryRun) return { status: 'dry-run', ...result }
  if (plan.phases.length === 0 && !manifest.pending) return { status: 'published', ...result }

  return { status: 'published', ...result, ...(await writePlan(plan, target, options.progress)) }
}
