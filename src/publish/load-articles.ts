// Publish steps 1–5 for every file: article files → validated, prepared articles — read, parse and
// validate each file, render its body, check it, make the photo files it names into variants, then
// the rules across files. Every file is checked and every problem collected before anything is
// written anywhere.
import { derivedArticleId, StoredArticle } from '../model/article'
import { type ParsedArticleSource } from '../model/article-source'
import type { SiteConfig } from '../model/site'
import { articlePath } from '../model/urls'
import { checkArticleContent, crossFileProblems, dateProblems } from './article-checks'
import { readArticleFiles } from './article-files'
import type { LocateInBody } from './body-positions'
import { prepareMedia, type MediaFiles } from './media-articles'
import type { PhotoStore } from './media-cache'
import { parseArticleFile, type Locate } from './parse-article'
import type { Problem } from './problems'
import type { RenderBody } from './render-markdown'

export interface LoadedArticle {
  /** Path as shown to the editor (relative to the working directory). */
  file: string
  /** Path as read. */
  path: string
  article: StoredArticle
  /** Former slugs (`redirectFrom`), each to answer 301 to this article. */
  redirectFrom: string[]
  locate: Locate
  locateInBody?: LocateInBody | undefined
}

export interface LoadedDraft {
  file: string
  slug: string
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
): Promise<{ article: StoredArticle; problems: Problem[] }> {
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
  return { article, problems: checkArticleContent(article, rendered, file, locate) }
}

/** Problems in file order, then by line and column, so an editor can work down the list. */
const byPlace = (a: Problem, b: Problem) =>
  (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  (a.column ?? 0) - (b.column ?? 0)

export interface LoadOptions {
  /** Markdown renderer (a cached one in the CLI). */
  render?: RenderBody
  /** File names in problems are shown relative to this folder (default: the working directory). */
  root?: string | undefined
  /** The publish time, which dates are checked against (default: the clock). */
  now?: number | undefined
  /** Where photos are encoded and kept (default: in memory, for this run). */
  photos?: PhotoStore | undefined
}

/** Read, validate and prepare every file; cross-file rules (unique slugs, ids, redirects) included. */
export async function loadArticles(
  files: readonly string[],
  site: SiteConfig,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const { texts, problems } = await readArticleFiles(files, options.root ?? process.cwd())
  const loaded: LoadedArticle[] = []
  const drafts: LoadedDraft[] = []
  for (const { file, path, raw } of texts) {
    const parsed = parseArticleFile(file, raw)
    problems.push(...parsed.problems)
    if (!parsed.source) continue
    const { source, locate } = parsed
    if (source.draft) {
      drafts.push({ file, slug: source.slug })
      continue
    }
    const prepared = await prepareArticle(source, site, file, locate, options.render)
    problems.push(...prepared.problems, ...dateProblems(prepared.article, options.now ?? Date.now(), file, locate))
    loaded.push({
      file,
      path,
      article: prepared.article,
      redirectFrom: source.redirectFrom ?? [],
      locate,
      locateInBody: parsed.locateInBody,
    })
  }
  // Step 5 (photos): the photo files the articles name, made into variants.
  const media = await prepareMedia(loaded, site, options.photos)
  problems.push(...media.problems, ...crossFileProblems(media.loaded, drafts))
  problems.sort(byPlace)
  return {
    articles: media.loaded.map((entry) => entry.article),
    loaded: media.loaded,
    drafts,
    problems,
    media: media.files,
  }
}
