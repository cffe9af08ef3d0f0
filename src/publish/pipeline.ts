// The publish pipeline, steps 1–10 in one run from files to KV and the MEDIA bucket: load and
// validate everything (photos made into variants), read the manifest and what is live, build the
// desired state, plan against the manifest, then write in the safe order (photos uploaded before
// the articles that show them, deleted after the lists that dropped them). Steps 11 and 12 (edge-cache purge, WebSub) follow once the run stands
// (src/cli/publish-and-report.ts); the CLIs only parse flags and print.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import type { StoredArticle } from '../model/article'
import { articleKey } from '../model/keys'
import type { SiteConfig } from '../model/site'
import { CONTENT_FOLDER } from './article-files'
import { ARTICLE_EXTENSIONS } from './content-paths'
import { buildState, type StateOptions } from './desired-state'
import { externalLinkProblems, type ExternalLinkOptions } from './external-links'
import { entrySizeProblems } from './kv-limits'
import { linkProblems, publishLinkTargets } from './link-checks'
import { liveState } from './live-state'
import type { LoadCache } from './load-cache'
import { loadArticles, type LoadedArticle, type LoadResult } from './load-articles'
import { changedState, rememberState, storedChanges, type StateMemory } from './incremental-state'
import { readManifestAsStored, type Manifest, type StoredManifest } from './manifest'
import { memoryPhotoStore, type PhotoStore } from './media-cache'
import { planMedia, type MediaPlan } from './media-plan'
import { SYSTEM_CLOCK, type Clock } from './pool'
import { byPlace, type Problem } from './problems'
import { planPublish, type Plan } from './publish-plan'
import { droppedFormerUrls, keptIds } from './renames'
import type { RenderBody } from './render-markdown'
import { nodeSha256, renderStamp } from './render-stamp'
import type { KvTarget } from './targets/kv-target'
import { uploadMedia, type MediaTarget } from './targets/media-target'
import { writePlan } from './write-plan'
import { clearStaleLease, takeLease } from './publish-lease'

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
  /** Markdown renderer (default: render-markdown.ts's). */
  render?: RenderBody
  /** Loads of unchanged files kept from earlier runs (the CLI passes load-cache.ts's). */
  cache?: LoadCache
  /** File names in problems are shown relative to this folder (default: the working directory). */
  root?: string
  /** Called after each batch of writes or deletes. */
  progress?: (done: number, total: number) => void
  /** Spaces the two manifest writes by the target's per-key interval (default: system clock). */
  clock?: Clock
  /** The MEDIA bucket photo variants are uploaded to and deleted from (none: no photo files). */
  media?: MediaTarget | undefined
  /** Where photos are encoded and kept (the CLI passes the cache on disk; default: memory). */
  photos?: PhotoStore
  /** Fetch the external links of this run's articles too (`--check-links`). */
  checkLinks?: ExternalLinkOptions | undefined
  /** Where the state memory waits between runs (the CLI passes state-memory.ts's; default none). */
  keeper?: StateKeeper | undefined
}

/** What a run did (or, in a dry run, would do) to the MEDIA bucket. */
export interface MediaOutcome {
  uploads: { key: string; bytes: number }[]
  deletes: string[]
  /** Photos encoded in this run, and photos whose variants were kept from an earlier one. */
  encoded: number
  reused: number
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
      media: MediaOutcome
    }

/** manifest.ts's valueHash (SHA-256 hex) without copying each value through TextEncoder. */
export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

/**
 * A former slug replaces the live article of that slug (a rename) only when its file is gone: a
 * partial run (`publish -- other/new.json`) must not take down an article whose file is merely not
 * part of the run — wherever that file lives, the content folder or the new file's own.
 */
function renameProblems(loaded: readonly LoadedArticle[], renamed: ReadonlySet<string>, root: string): Problem[] {
  const contentFolder = resolve(root, CONTENT_FOLDER)
  return loaded.flatMap(({ file, path, redirectFrom, locate }) =>
    redirectFrom.flatMap((old, i) => {
      if (!renamed.has(old)) return []
      const folders = [...new Set([dirname(path), contentFolder])]
      const existing = folders
        .flatMap((folder) => ARTICLE_EXTENSIONS.map((extension) => join(folder, `${old}${extension}`)))
        .find((candidate) => existsSync(candidate))
      if (!existing) return []
      return [
        {
          file,
          severity: 'error' as const,
          path: `redirectFrom[${i}]`,
          message: `"${old}" is a live article and ${relative(root, existing)} still exists: delete or rename that file to rename the article`,
          ...locate(['redirectFrom', i]),
        },
      ]
    }),
  )
}

/**
 * Where the last publish's state memory waits for the next (incremental-state.ts): a watch session
 * keeps it in memory between saves, the CLIs on disk between runs (state-memory.ts). With it, step 8
 * builds only the entries a change touches and keeps the rest as the manifest has them; without
 * it (the first run, or KV changed since), the whole state.
 */
export interface StateKeeper {
  /**
   * The memory of the publish that left KV's manifest as `manifestRaw`, made with the same
   * `context` (the site and how the state is laid out); undefined when there is none.
   */
  recall(manifestRaw: string | null, context: string): Promise<StateMemory | undefined>
  /**
   * The articles of `slugs` as KV holds them (each hashes as `hashes` records), for what a change
   * changes from; undefined when they cannot all be had cheaply.
   */
  stored(
    slugs: readonly string[],
    hashes: Readonly<Record<string, string>>,
  ): Promise<ReadonlyMap<string, StoredArticle> | undefined>
  /** Keeps the memory of a publish that left the manifest as `manifestRaw` and KV with `articles`. */
  keep(
    memory: StateMemory,
    manifestRaw: string,
    context: string,
    articles: readonly StoredArticle[],
  ): Promise<void>
}

/** Options of publishLoaded: a publish's, without the files, and where its state memory waits. */
export type LoadedPublishOptions = Omit<PublishOptions, 'files' | 'render' | 'cache'> & {
  keeper?: StateKeeper | undefined
  /** The manifest as the caller has just read it (default: read here). */
  manifest?: StoredManifest | undefined
  /**
   * Store the responses rendered ahead (prerender.ts; the default). `npm start` leaves them out:
   * its worker renders each feed and sitemap on request — the same bytes — and a save then
   * renders no list's feeds three times over.
   */
  prerender?: boolean | undefined
}

/** Steps 1–10: load and validate the files, then publish them. */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const photos = options.photos ?? memoryPhotoStore()
  const loaded = await loadArticles(options.files, options.site, {
    render: options.render,
    cache: options.cache,
    root: options.root,
    now: options.now,
    photos,
  })
  return publishLoaded(loaded, { ...options, photos })
}

/** Steps 6–10 for files already loaded (a watch session keeps them loaded between saves). */
export async function publishLoaded(
  loaded: LoadResult,
  options: LoadedPublishOptions,
): Promise<PublishResult> {
  const { target } = options
  const problems = [...loaded.problems]
  if (loaded.media.size > 0 && !options.media) {
    problems.push({
      file: 'wrangler.toml',
      severity: 'error',
      message:
        'articles name photo files, and there is no MEDIA bucket to put them in: add [[r2_buckets]] with binding = "MEDIA"',
    })
  }
  const invalid = () => problems.some((problem) => problem.severity === 'error')
  if (invalid()) return { status: 'invalid', problems }

  const counts = options.photos?.counts ?? { encoded: 0, reused: 0 }
  const planned = await planRun(options, loaded, problems, counts)
  if (planned.status === 'invalid') return planned
  const { result, manifestAsStored, crashedBefore, mediaPlan, remember } = planned
  if (options.dryRun) return { status: 'dry-run', ...result }
  const clock = options.clock ?? SYSTEM_CLOCK
  // Nothing to write, and no crashed run to finish: the namespace stays as it is.
  const mediaWork = mediaPlan.uploads.length + mediaPlan.deletes.length
  if (result.plan.phases.length === 0 && !crashedBefore && mediaWork === 0) {
    await clearStaleLease(target, clock)
    if (manifestAsStored !== null) await remember(manifestAsStored)
    return { status: 'published', ...result }
  }
  const { media } = options
  // One publish writes at a time. The plan was made against `manifestAsStored`: once the lease is
  // held, that must still be the manifest, or another publish wrote in between.
  const lease = await takeLease(target, { clock })
  try {
    await lease.check(manifestAsStored)
    const written = await writePlan(result.plan, target, {
      progress: options.progress,
      clock,
      beforePhase: () => lease.check(result.plan.pending.value),
      // Photos go up before the articles that show them, and away after the last list drops them.
      beforePhases: media && (() => uploadMedia(mediaPlan.uploads, media)),
      afterPhases: media && (() => media.delete(mediaPlan.deletes)),
    })
    await remember(result.plan.manifest.value)
    return { status: 'published', ...result, ...written }
  } finally {
    await lease.release()
  }
}

type Planned = Omit<Extract<PublishResult, { plan: Plan }>, 'status'>

/**
 * Step 8 for a run: the entries a change touches when the keeper remembers the publish KV's
 * manifest comes from, else the whole state; either way with the memory to keep once it stands.
 */
function stateBuilder(
  options: LoadedPublishOptions,
  manifest: Manifest,
  manifestAsStored: string | null,
  stateOptions: StateOptions,
  /** The run's articles' value hashes by key, as they are when the builder is called. */
  articleHashes: ReadonlyMap<string, string>,
) {
  const { keeper, now } = options
  // What the memory depends on besides the layout code: the site and what the state holds.
  const context = JSON.stringify([options.site, stateOptions.headSize, stateOptions.prerender?.stamp ?? null])
  const hashed = new WeakMap<StoredArticle, string>()
  const articleHash = (article: StoredArticle) => {
    let hash = articleHashes.get(articleKey(article.slug)) ?? hashed.get(article)
    if (hash === undefined) hashed.set(article, (hash = sha256Hex(JSON.stringify(article))))
    return hash
  }
  // A crashed run's manifest says what may be there, not what is: all of it, then.
  const recalled =
    keeper && !manifest.pending ? keeper.recall(manifestAsStored, context) : Promise.resolve(undefined)
  const build = async (articles: readonly StoredArticle[]) => {
    const memory = await recalled
    if (memory) {
      const stored = { hashes: manifest.keys, hash: sha256Hex, articleHash }
      const changes = storedChanges(stored, articles)
      const asked = [...changes.changed, ...changes.removed].filter((slug) => articleKey(slug) in manifest.keys)
      const previous = await keeper!.stored(asked, manifest.keys)
      if (previous) {
        const change = changedState(memory, { ...stored, previous, changes }, articles, now, stateOptions)
        return { ...change, memory: () => change.memory }
      }
    }
    return {
      desired: buildState(articles, now, stateOptions),
      unchangedKeys: undefined,
      memory: () => rememberState(articles, now),
    }
  }
  return { build, context }
}

/** Steps 6–9: the manifest, what is live, the desired state and the plan (photos too); no writes. */
async function planRun(
  options: LoadedPublishOptions,
  loaded: LoadResult,
  problems: Problem[],
  counts: PhotoStore['counts'],
): Promise<
  | { status: 'invalid'; problems: Problem[] }
  | {
      status: 'planned'
      result: Planned
      manifestAsStored: string | null
      crashedBefore: boolean
      mediaPlan: MediaPlan
      /** Keeps the state memory of this plan once KV's manifest is `manifestRaw`. */
      remember: (manifestRaw: string) => Promise<void>
    }
> {
  const { target, now } = options
  const invalid = () => problems.some((problem) => problem.severity === 'error')
  const { manifest, raw: manifestAsStored } =
    options.manifest ?? (await readManifestAsStored(target))
  const runRedirects = new Map(
    loaded.loaded.flatMap((entry) =>
      entry.redirectFrom.map((from) => [from, entry.article.slug] as const),
    ),
  )
  const live = await liveState(
    {
      manifest,
      runSlugs: new Set(loaded.articles.map((article) => article.slug)),
      runPublishedAt: new Map(loaded.articles.map((article) => [article.slug, article.publishedAt])),
      draftSlugs: new Set(loaded.drafts.map((draft) => draft.slug)),
      runRedirects,
      prune: options.prune ?? false,
      unpublish: options.unpublish ?? [],
      now,
    },
    target,
  )
  problems.push(...renameProblems(loaded.loaded, new Set(live.renamed), options.root ?? process.cwd()))
  problems.push(
    ...(await linkProblems(loaded.loaded, publishLinkTargets(loaded, live), options.site, now)),
  )
  if (options.checkLinks)
    problems.push(...(await externalLinkProblems(loaded.loaded, options.site, options.checkLinks)))
  problems.sort(byPlace)
  for (const slug of live.notPublished) {
    problems.push({ file: slug, severity: 'error', message: `is not published in ${target.name}` })
  }
  problems.push(...(await droppedFormerUrls(loaded.loaded, live, manifest, sha256Hex, target)))
  let articles = [...loaded.articles, ...live.carried]
  const stateOptions = {
    headSize: options.site.feedSize,
    prerender:
      options.prerender === false
        ? undefined
        : { site: options.site, stamp: renderStamp(), sha256: nodeSha256 },
  }
  // Each run article's value hashed once (or known from the load cache), for the ids step and
  // the plan: values are not kept.
  const articleHashes = new Map(
    loaded.loaded.map(({ article, valueHash }) => [
      articleKey(article.slug),
      valueHash ?? sha256Hex(JSON.stringify(article)),
    ]),
  )
  const { build, context } = stateBuilder(options, manifest, manifestAsStored, stateOptions, articleHashes)
  let state = await build(articles)
  const ids = await keptIds({ loaded: loaded.loaded, live, manifest, articleHashes, target })
  problems.push(...ids.problems)
  if (ids.ids.size > 0) {
    // Only the articles whose id is kept change.
    for (const slug of ids.ids.keys()) articleHashes.delete(articleKey(slug))
    articles = articles.map((article) => {
      const id = ids.ids.get(article.slug)
      return id === undefined ? article : { ...article, id }
    })
    state = await build(articles)
  }
  const { desired } = state
  const mediaPlan = planMedia(articles, manifest, loaded.media)
  problems.push(...mediaPlan.problems)
  if (invalid()) return { status: 'invalid', problems }

  const plan = await planPublish(desired, manifest, {
    pointers: live.pointers,
    keep: [...(state.unchangedKeys ?? []), ...live.kept],
    removing: live.removing,
    hash: sha256Hex,
    hashes: articleHashes,
    media: mediaPlan.record,
    // The size checks of what no file owns (lists, related, redirects): each value made once.
    inspect: (key, value) => problems.push(...entrySizeProblems(key, value)),
  })
  if (invalid()) return { status: 'invalid', problems }
  const scheduled = articles
    .filter((article) => Date.parse(article.publishedAt) > now)
    .map((article) => article.slug)
  return {
    status: 'planned',
    manifestAsStored,
    crashedBefore: manifest.pending !== undefined,
    mediaPlan,
    remember: async (manifestRaw) => {
      const { keeper } = options
      if (keeper) await keeper.keep(state.memory(), manifestRaw, context, articles)
    },
    result: {
      problems,
      plan,
      drafts: loaded.drafts.map((draft) => draft.slug),
      scheduled,
      keysWritten: 0,
      keysDeleted: 0,
      media: {
        uploads: mediaPlan.uploads.map(({ key, bytes }) => ({ key, bytes })),
        deletes: mediaPlan.deletes,
        ...counts,
      },
    },
  }
}
