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
}

/** Files read and prepared at once: enough to overlap reads, few enough texts held in memory. */
const LOAD_SLICE = 64

/** Read, validate and prepare each file on its own (steps 1–5 but the rules across files). */
export async function loadFiles(
  paths: readonly string[],
  site: SiteConfig,
  options: LoadOptions = {},
): Promise<FileLoad[]> {
  const root = options.root ?? process.cwd()
  // One store for the run: a photo two articles name is encoded once.
  const photos = options.photos ?? memoryPhotoStore()
  const { cache } = options
  const loads: FileLoad[] = []
  for (let start = 0; start < paths.length; start += LOAD_SLICE) {
    const slice = paths.slice(start, start + LOAD_SLICE)
    const cached = await Promise.all(
      slice.map((path) => cache?.byStat(path, relative(root, path) || path)),
    )
    const texts = await readArticleFiles(slice.filter((_, i) => cached[i] === undefined), root)
    let read = 0
    // Entries are written while the next files are prepared, all of them before the slice ends.
    const stores: Promise<FileLoad>[] = []
    for (const hit of cached) {
      if (hit) {
        loads.push(withDates(hit, options))
        continue
      }
      const text = texts[read++]!
      const touched =
        text.raw === undefined ? undefined : await cache?.byContent(text.path, text.file, text.raw)
      if (touched) {
        loads.push(withDates(touched, options))
        continue
      }
      const load = await loadText(text, site, photos, options)
      if (cache && text.raw !== undefined) stores.push(cache.store(load, text.raw))
      loads.push(withDates(load, options))
    }
    await Promise.all(stores)
  }
  await cache?.writeIndex()
  return loads
}

/** Step 5's date rules, against this run's clock (never cached: the clock moves). */
function withDates(load: FileLoad, options: LoadOptions): FileLoad {
  if (!load.loaded) return load
  const { article, file, locate } = load.loaded
  const dates = dateProblems(article, options.now ?? Date.now(), file, locate)
  return dates.length === 0 ? load : { ...load, problems: [...load.problems, ...dates] }
}

/** One file's text → its load: parsed, validated, rendered, checked, its photos prepared. */
async function loadText(
  { file, path, raw, problems }: ArticleText,
  site: SiteConfig,
  photos: PhotoStore,
  options: LoadOptions,
): Promise<FileLoad> {
  const load: FileLoad = { file, path, problems: [...problems] }
  if (raw === undefined) return load
  const parsed = parseArticleFile(file, raw)
  load.problems.push(...parsed.problems)
  if (!parsed.source) return load
  const { source, locate } = parsed
  if (source.draft && !options.prepareDrafts) {
    load.draft = { file, slug: source.slug }
    return load
  }
  const prepared = await prepareArticle(source, site, file, locate, options.render)
  load.problems.push(...prepared.problems)
  if (source.draft) {
    load.draft = { file, slug: source.slug, article: prepared.article }
    return load
  }
  // Step 5 (photos): the photo files the article names, made into variants.
  const media = await prepareMedia(
    {
      file,
      path,
      article: prepared.article,
      redirectFrom: source.redirectFrom ?? [],
      explicitId: source.id !== undefined,
      links: prepared.links,
      locate,
    },
    site,
    photos,
  )
  load.problems.push(...media.problems)
  load.loaded = media.loaded
  load.media = media.files
  load.photoPaths = media.photoPaths
  return load
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
