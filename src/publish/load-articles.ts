// Publish steps 1–5 for every file: article files → validated, prepared articles — read, parse and
// validate each file, render its body, check it, make the photo files it names into variants, then
// the rules across files. Every file is checked and every problem collected before anything is
// written anywhere.
import { derivedArticleId, StoredArticle } from '../model/article'
import { type ParsedArticleSource } from '../model/article-source'
import type { SiteConfig } from '../model/site'
import { articlePath } from '../model/urls'
import { checkArticleContent, crossFileProblems, dateProblems } from './article-checks'
import { relative } from 'node:path'
import { readArticleFiles, type ArticleText } from './article-files'
import type { LoadCache } from './load-cache'
import { loaderThreads, loadPool } from './load-pool'
import { internalLinksOf, type InternalLink } from './link-checks'
import { prepareMedia, type MediaFiles } from './media-articles'
import { memoryPhotoStore, type PhotoStore } from './media-cache'
import { parseArticleFile, type Locate } from './parse-article'
import { byPlace, type Problem } from './problems'
import type { BodyLink, RenderBody } from './render-markdown'

export interface LoadedArticle {
  /** Path as shown to the editor (relative to the working directory). */
  file: string
  /** Path as read. */
  path: string
  article: StoredArticle
  /** Former slugs (`redirectFrom`), each to answer 301 to this article. */
  redirectFrom: string[]
  /** Whether the file sets `id` (else the id is derived, and a published one is kept). */
  explicitId: boolean
  /** The body's links and images, with their offsets in the body. */
  links: BodyLink[]
  /** Of those (and the photo), the ones to this site's articles and to files, classified once. */
  internalLinks?: InternalLink[]
  locate: Locate
  /** SHA-256 hex of the article's stored value (JSON), when known without serialising it. */
  valueHash?: string | undefined
}

export interface LoadedDraft {
  file: string
  slug: string
  /** The draft as it would be stored, when asked for (previews). */
  article?: StoredArticle
}

/** One file read, validated and prepared: an article, a draft, or neither (see `problems`). */
export interface FileLoad {
  file: string
  path: string
  loaded?: LoadedArticle
  draft?: LoadedDraft
  problems: Problem[]
  /** The variants of the photos the article names, by bucket key. */
  media?: MediaFiles
  /** The photo files it names (absolute paths), found or not. */
  photoPaths?: string[]
}

export interface LoadResult {
  /** Valid, non-draft articles ready for KV. */
  articles: StoredArticle[]
  /** The same articles with where they came from. */
  loaded: LoadedArticle[]
  /** Files marked `draft: true`. */
  drafts: LoadedDraft[]
  problems: Problem[]
  /** The variants of the photos these articles name, by bucket key (media-articles.ts). */
  media: MediaFiles
}

/** The stored form of a validated source: body rendered, language and id resolved. */
async function prepareArticle(
  source: ParsedArticleSource,
  site: SiteConfig,
  file: string,
  locate: Locate = () => ({}),
  render?: RenderBody,
): Promise<{ article: StoredArticle; links: BodyLink[]; problems: Problem[] }> {
  const renderWith = render ?? (await import('./render-markdown')).renderBody
  const rendered = await renderWith(source.body, site.url + articlePath(source.slug))
  const article = StoredArticle.parse({
    slug: source.slug,
    id: source.id ?? derivedArticleId(site.url, source.slug),
    title: source.title,
    summary: source.summary,
    html: rendered.html,
    publishedAt: source.publishedAt,
    updatedAt: source.updatedAt,
    language: source.language ?? site.language,
    section: source.section,
    tags: source.tags,
    authors: source.authors,
    image: source.image,
    // Stored only when set, so articles without it keep their bytes (and their KV writes).
    featured: source.featured ? true : undefined,
  })
  return {
    article,
    links: rendered.links,
    problems: checkArticleContent(article, rendered, file, locate),
  }
}

export interface LoadOptions {
  /** Markdown renderer (a cached one in the CLI). */
  render?: RenderBody
  /** File names in problems are shown relative to this folder (default: the working directory). */
  root?: string | undefined
  /** The publish time, which dates are checked against (default: the clock). */
  now?: number | undefined
  /** Render drafts too, and check their content (for previews). */
  prepareDrafts?: boolean
  /** Where photos are encoded and kept (default: in memory, for this run). */
  photos?: PhotoStore | undefined
  /** Loads of unchanged files kept from earlier runs (load-cache.ts; default: none). */
  cache?: LoadCache | undefined
  /** Loader threads to prepare files on (default: by the number of files to load anew, load-pool.ts). */
  threads?: number | undefined
}

/** Files read and prepared at once: enough to overlap reads, few enough texts held in memory. */
const LOAD_SLICE = 64
/** Slices read and sent to the loader threads ahead of the one being finished. */
const SLICES_AHEAD = 4

/**
 * Read, validate and prepare each file on its own (steps 1–5 but the rules across files). First
 * every file's cached load (a stat each); then the others are read and prepared in slices — on
 * loader threads when there are many (load-pool.ts) — and finished in order on this thread:
 * photos, then the cache entry.
 */
export async function loadFiles(
  paths: readonly string[],
  site: SiteConfig,
  options: LoadOptions = {},
): Promise<FileLoad[]> {
  const root = options.root ?? process.cwd()
  // One store for the run: a photo two articles name is encoded once.
  const photos = options.photos ?? memoryPhotoStore()
  const { cache } = options
  const loads: (FileLoad | undefined)[] = []
  for (const path of paths) {
    const hit = await cache?.byStat(path, relative(root, path) || path)
    loads.push(hit && withDates(hit, options))
  }
  const misses = paths.flatMap((path, i) => (loads[i] === undefined ? [i] : []))
  // A renderer of the caller's own cannot be sent to another thread.
  const threads = options.render ? 0 : (options.threads ?? loaderThreads(misses.length))
  const pool = threads > 0 ? loadPool(site, { prepareDrafts: options.prepareDrafts ?? false, threads }) : undefined
  const prepareOptions = { prepareDrafts: options.prepareDrafts, render: options.render }
  let finished = false
  /** The file's text prepared: on a loader thread, or here (also when the threads fail). */
  const prepare = (text: ArticleText & { raw: string }): Promise<Prepared> => {
    const here = () => prepareText(text, site, prepareOptions)
    if (!pool) return here()
    return pool.prepare(text).then(
      (prepared) => ({ prepared, locate: locateLater(text.file, text.raw) }),
      // Once the run stopped (an error), what was sent ahead is not loaded after all.
      (error: unknown) => (finished ? Promise.reject(error) : here()),
    )
  }

  /** A slice's files read, and (with threads) sent to be prepared; here they wait to be asked. */
  async function readSlice(slice: readonly number[]) {
    const texts = await readArticleFiles(slice.map((i) => paths[i]!), root)
    return Promise.all(
      texts.map(async (text) => {
        if (text.raw === undefined) return { load: { file: text.file, path: text.path, problems: text.problems } }
        const touched = await cache?.byContent(text.path, text.file, text.raw)
        if (touched) return { load: touched }
        const raw = text.raw
        const prepared = pool ? prepare({ ...text, raw }) : undefined
        prepared?.catch(() => {})
        return { raw, prepared: () => prepared ?? prepare({ ...text, raw }) }
      }),
    )
  }
  const started: ReturnType<typeof readSlice>[] = []
  const slices: number[][] = []
  for (let start = 0; start < misses.length; start += LOAD_SLICE)
    slices.push(misses.slice(start, start + LOAD_SLICE))
  const start = (slice: readonly number[]) => {
    const read = readSlice(slice)
    // A failure is thrown where the slice is awaited; one read ahead must not also go unhandled.
    read.catch(() => {})
    started.push(read)
  }
  slices.slice(0, SLICES_AHEAD).forEach(start)
  try {
    for (let s = 0; s < slices.length; s++) {
      const files = await started[s]!
      if (s + SLICES_AHEAD < slices.length) start(slices[s + SLICES_AHEAD]!)
      // Entries are written while the next files are prepared, all of them before the slice ends.
      const stores: Promise<FileLoad>[] = []
      for (const [j, file] of files.entries()) {
        let load = file.load
        if (!load) {
          load = await withPhotos(await file.prepared!(), site, photos)
          if (cache) stores.push(cache.store(load, file.raw!))
        }
        loads[slices[s]![j]!] = withDates(load, options)
      }
      await Promise.all(stores)
    }
  } finally {
    finished = true
    await pool?.close()
  }
  await cache?.writeIndex()
  return loads as FileLoad[]
}

/** Step 5's date rules, against this run's clock (never cached: the clock moves). */
function withDates(load: FileLoad, options: LoadOptions): FileLoad {
  if (!load.loaded) return load
  const { article, file, locate } = load.loaded
  const dates = dateProblems(article, options.now ?? Date.now(), file, locate)
  return dates.length === 0 ? load : { ...load, problems: [...load.problems, ...dates] }
}

/**
 * A file's load before its photos, as plain data (a loader thread sends it back): the article
 * without its locator, which stays with the parse.
 */
export type PreparedLoad = Omit<FileLoad, 'loaded' | 'media' | 'photoPaths'> & {
  loaded?: Omit<LoadedArticle, 'locate'>
}

/** A prepared load, with where its problems are in the file. */
interface Prepared {
  prepared: PreparedLoad
  locate: Locate
}

/**
 * Where a problem is in `raw`, parsed only if one must be placed: a thread's load comes without
 * its parse (the cache entry, once written, gives it lazyLocate, which holds no text).
 */
function locateLater(file: string, raw: string): Locate {
  let locate: Locate | undefined
  return (at) => (locate ??= parseArticleFile(file, raw).locate)(at)
}

/** One file's text → its load before photos: parsed, validated, rendered, checked. */
export async function prepareText(
  { file, path, raw, problems }: ArticleText & { raw: string },
  site: SiteConfig,
  options: Pick<LoadOptions, 'prepareDrafts' | 'render'>,
): Promise<Prepared> {
  const load: PreparedLoad = { file, path, problems: [...problems] }
  const parsed = parseArticleFile(file, raw)
  const { source, locate } = parsed
  load.problems.push(...parsed.problems)
  if (!source) return { prepared: load, locate }
  if (source.draft && !options.prepareDrafts) {
    load.draft = { file, slug: source.slug }
    return { prepared: load, locate }
  }
  const prepared = await prepareArticle(source, site, file, locate, options.render)
  load.problems.push(...prepared.problems)
  if (source.draft) load.draft = { file, slug: source.slug, article: prepared.article }
  else
    load.loaded = {
      file,
      path,
      article: prepared.article,
      redirectFrom: source.redirectFrom ?? [],
      explicitId: source.id !== undefined,
      links: prepared.links,
      internalLinks: internalLinksOf(prepared, site),
    }
  return { prepared: load, locate }
}

/** Step 5 (photos): the photo files a prepared article names, made into variants. */
async function withPhotos({ prepared, locate }: Prepared, site: SiteConfig, photos: PhotoStore): Promise<FileLoad> {
  // Nothing left to prepare: no article (a draft, or an invalid file).
  if (!prepared.loaded) return prepared as FileLoad
  const media = await prepareMedia({ ...prepared.loaded, locate }, site, photos)
  return {
    ...prepared,
    problems: [...prepared.problems, ...media.problems],
    loaded: media.loaded,
    media: media.files,
    photoPaths: media.photoPaths,
  }
}

/** Files loaded one by one, with the rules across files (unique slugs, ids, redirects). */
export function combineLoads(loads: readonly FileLoad[]): LoadResult {
  const loaded = loads.flatMap((load) => (load.loaded ? [load.loaded] : []))
  const drafts = loads.flatMap((load) => (load.draft ? [load.draft] : []))
  const problems = [
    ...loads.flatMap((load) => load.problems),
    ...crossFileProblems(loaded, drafts),
  ].sort(byPlace)
  const media = new Map(loads.flatMap((load) => [...(load.media ?? [])]))
  return { articles: loaded.map((entry) => entry.article), loaded, drafts, problems, media }
}

/** Read, validate and prepare every file; cross-file rules (unique slugs, ids, redirects) included. */
export async function loadArticles(
  files: readonly string[],
  site: SiteConfig,
  options: LoadOptions = {},
): Promise<LoadResult> {
  return combineLoads(await loadFiles(files, site, options))
}
