// The watch session behind `npm start`: the content folder loaded once and kept loaded; each save
// republished in-process — the saved files read again (steps 1–5), the rest as they were, the
// state changed incrementally (incremental-state.ts), the local edge cache emptied, previews written.
// A file with errors keeps its last good version on the site, and nothing a file holds ends the
// session: problems are reported, the site goes on serving.
import { lstat } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import type { StoredArticle } from '../model/article'
import type { StoredPreview } from '../model/preview'
import type { SiteConfig } from '../model/site'
import { findArticleFiles } from './article-files'
import { isEditorLeftover, isMediaFile } from './content-paths'
import { combineLoads, loadFiles, type FileLoad } from './load-articles'
import { publishLoaded, type StateKeeper } from './pipeline'
import type { PhotoStore } from './media-cache'
import type { Clock } from './pool'
import { writePreviews, type WrittenPreviews } from './previews'
import type { Problem } from './problems'
import type { Plan } from './publish-plan'
import type { LoadCache } from './load-cache'
import { readManifestAsStored, type StoredManifest } from './manifest'
import type { RenderBody } from './render-markdown'
import type { LocalTarget } from './targets/local-target'
import type { StateMemory } from './incremental-state'

export interface SessionOptions {
  /** The content folder, e.g. `articles`. */
  folder: string
  /** File names in reports are relative to this folder. */
  root: string
  site: SiteConfig
  target: LocalTarget
  /** Markdown renderer (default: render-markdown.ts's). */
  render?: RenderBody | undefined
  /** Loads of unchanged files kept across sessions (load-cache.ts, made with prepareDrafts). */
  cache?: LoadCache | undefined
  clock: Clock
  /** Where photos are encoded and kept (the cache on disk under `npm start`). */
  photos: PhotoStore
}

export interface UpdateReport {
  /** `invalid`: some saved file has errors (its last good version stays published). */
  status: 'published' | 'invalid' | 'failed'
  /** The article files read again (or found deleted), as names in reports. */
  saved: string[]
  /** Files of published articles found deleted: the articles stay published until unpublished. */
  deleted: string[]
  /** Problems of the files saved, and of the publish. */
  problems: Problem[]
  /** Files whose last good version stays published (or that stay out) because of errors. */
  kept: string[]
  plan?: Plan | undefined
  keysWritten: number
  /** What failed, for `failed` (KV could not be read or written). */
  error?: string
  ms: number
}


const hasErrors = (problems: readonly Problem[]) => problems.some((p) => p.severity === 'error')

/** A file the session reads as an article (or reports): directly in the folder, not media. */
function isArticleCandidate(path: string, folder: string): boolean {
  const name = path.slice(folder.length + 1)
  return dirname(path) === folder && !isMediaFile(name) && !isEditorLeftover(name)
}

export class WatchSession {
  private readonly folder: string
  /** Each file as last read, and as last read without errors. */
  private readonly loads = new Map<string, FileLoad>()
  private readonly good = new Map<string, FileLoad>()
  /**
   * The state the last publish left (its memory, its articles) and the manifest it wrote: found
   * otherwise (a CLI publish), the next save builds the whole state.
   */
  private memory: { memory: StateMemory; raw: string; context: string; articles: Map<string, StoredArticle> } | undefined
  private manifestSeen: StoredManifest | undefined
  /** The session's state keeper (pipeline.ts): the last publish's memory, held here. */
  private readonly keeper: StateKeeper = {
    recall: async (raw, context) =>
      this.memory?.raw === raw && this.memory.context === context ? this.memory.memory : undefined,
    stored: async (slugs) => {
      const articles = new Map<string, StoredArticle>()
      for (const slug of slugs) {
        const article = this.memory?.articles.get(slug)
        if (!article) return undefined
        articles.set(slug, article)
      }
      return articles
    },
    keep: async (memory, raw, context, articles) => {
      this.memory = { memory, raw, context, articles: new Map(articles.map((a) => [a.slug, a])) }
    },
  }
  private previews: WrittenPreviews | undefined

  private constructor(private readonly options: SessionOptions) {
    this.folder = resolve(options.folder)
  }

  /** Loads and publishes the whole folder. */
  static async open(
    options: SessionOptions,
  ): Promise<{ session: WatchSession; report: UpdateReport }> {
    const session = new WatchSession(options)
    const report = await session.update(await findArticleFiles([session.folder]))
    return { session, report }
  }

  /** Reads `paths` again (files saved, created or deleted; media too) and publishes the result. */
  async update(paths: readonly string[]): Promise<UpdateReport> {
    const started = performance.now()
    const { saved, deleted } = await this.reload(paths.map((path) => resolve(path)))
    const savedFiles = new Set(
      saved.map((path) => this.loads.get(path)?.file ?? relative(this.options.root, path)),
    )
    const savedProblems = saved.flatMap((path) => this.loads.get(path)?.problems ?? [])
    const erring = (problems: readonly Problem[]) =>
      saved.filter((path) =>
        hasErrors(problems.filter((p) => p.file === this.loads.get(path)?.file)),
      )
    const report = (
      status: UpdateReport['status'],
      extra: Partial<UpdateReport>,
    ): UpdateReport => ({
      status,
      saved: [...savedFiles],
      deleted: deleted.map((path) => relative(this.options.root, path)),
      problems: savedProblems,
      kept: [],
      keysWritten: 0,
      ms: performance.now() - started,
      ...extra,
    })
    try {
      let kept = erring(savedProblems)
      let result = await this.publish(new Set(kept))
      // Errors only the whole run finds (a broken link, an id that would change): those files
      // keep their last good version too, and the rest is published.
      const runProblems = result.problems
      const more =
        result.status === 'invalid' ? erring(runProblems).filter((p) => !kept.includes(p)) : []
      if (more.length > 0) {
        kept = [...kept, ...more]
        result = await this.publish(new Set(kept))
      }
      // What concerns the saved files, and any error the change causes elsewhere.
      const problems = [
        ...savedProblems,
        ...runProblems.filter(
          (p) => !savedProblems.includes(p) && (savedFiles.has(p.file) || p.severity === 'error'),
        ),
      ]
      const keptFiles = kept.map((path) => this.loads.get(path)?.file ?? path)
      if (result.status !== 'published') return report('invalid', { problems, kept: keptFiles })
      return report(keptFiles.length > 0 ? 'invalid' : 'published', {
        problems,
        kept: keptFiles,
        plan: result.plan,
        keysWritten: result.keysWritten + result.keysDeleted,
      })
    } catch (error) {
      // KV could not be read or written: the next save (or a restart) tries again, in full.
      this.memory = undefined
      return report('failed', { error: (error as Error).message })
    }
  }

  /** Reads the article files among `paths`; returns those it read or found deleted. */
  private async reload(paths: readonly string[]): Promise<{ saved: string[]; deleted: string[] }> {
    const present: string[] = []
    const deleted: string[] = []
    // A photo saved, replaced or deleted: the articles that name it are read again.
    const photos = new Set(paths.filter((path) => isMediaFile(path)))
    const naming =
      photos.size === 0
        ? []
        : [...this.loads.values(), ...this.good.values()].flatMap((load) =>
            load.photoPaths?.some((photo) => photos.has(photo)) ? [load.path] : [],
          )
    const candidates = [...paths.filter((path) => isArticleCandidate(path, this.folder)), ...naming]
    for (const path of new Set(candidates)) {
      const info = await lstat(path).catch(() => undefined)
      if (info && !info.isDirectory()) present.push(path)
      // A file that came and went between two looks (an editor's temporary file) was never read.
      else if (this.loads.has(path)) deleted.push(path)
    }
    // Deleting the file of a published article leaves it published (as a publish does).
    const unpublishedFiles = deleted.filter((path) => this.good.get(path)?.loaded)
    for (const path of deleted) {
      this.loads.delete(path)
      this.good.delete(path)
    }
    const { site, render, root, photos: photoStore, cache } = this.options
    const options = { render, root, prepareDrafts: true, photos: photoStore, cache }
    for (const load of await loadFiles(present, site, options)) {
      this.loads.set(load.path, load)
      if (!hasErrors(load.problems)) this.good.set(load.path, load)
    }
    return { saved: [...present, ...deleted], deleted: unpublishedFiles }
  }

  /** Publishes every file's current version, or its last good one for the paths in `keepGood`. */
  private async publish(keepGood: ReadonlySet<string>) {
    const { target, site, clock } = this.options
    const files = [...new Set([...this.loads.keys(), ...this.good.keys()])].sort()
    const candidates = files.flatMap((path) => {
      const load = keepGood.has(path) ? this.good.get(path) : this.loads.get(path)
      if (!load || hasErrors(load.problems)) return []
      // A draft's problems are reported when it is saved; they never hold up the others.
      return [load.draft ? { ...load, problems: [] } : load]
    })
    const loaded = combineLoads(candidates)
    // Read once for the whole save; found as the last save left it, it is not parsed again.
    const manifest = await readManifestAsStored(target, this.manifestSeen)
    const now = clock.now()
    const result = await publishLoaded(loaded, {
      site,
      target,
      dryRun: false,
      now,
      clock,
      keeper: this.keeper,
      root: this.options.root,
      media: target.media,
      photos: this.options.photos,
      manifest,
      prerender: false,
    })
    if (result.status !== 'published') return result
    const wrote = result.plan.phases.length > 0 || result.keysWritten > 0
    const { plan } = result
    this.manifestSeen = wrote ? { raw: plan.manifest.value, manifest: plan.next } : manifest
    if (wrote) await target.purgeCache()
    this.previews = await writePreviews(target, this.wantedPreviews(loaded, now), this.previews)
    return result
  }

  /** Drafts and scheduled articles of the files, as their previews show them. */
  private wantedPreviews(loaded: ReturnType<typeof combineLoads>, now: number) {
    const wanted = new Map<string, StoredPreview>()
    for (const draft of loaded.drafts)
      if (draft.article) wanted.set(draft.slug, { status: 'draft', article: draft.article })
    for (const article of loaded.articles)
      if (Date.parse(article.publishedAt) > now)
        wanted.set(article.slug, { status: 'scheduled', article })
    return wanted
  }
}
