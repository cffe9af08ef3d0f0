// Publish step 5 (links), run once the articles a link may point at are known — the files of the
// run, and for a publish what KV holds (step 7): links in bodies and `image.url`s to an article
// that does not exist, is a draft, was unpublished or renamed, and relative paths that name no
// file. Each at its line and column. External links are fetched only on request
// (external-links.ts).
import { basename, dirname } from 'node:path'
import { Redirect } from '../model/article'
import { isSlug } from '../model/formats'
import { goneKey, redirectKey } from '../model/keys'
import type { SiteConfig } from '../model/site'
import { articlePath } from '../model/urls'
import { articleFileFor, resolveArticlePath } from './content-paths'
import type { LiveState } from './live-state'
import type { LoadedArticle, LoadResult } from './load-articles'
import { nearest, type Problem } from './problems'

/** What a link to `/articles/<slug>` may meet, besides nothing. */
export interface LinkTargets {
  /** Published (or scheduled) after this run: slug → publishedAt. */
  live: ReadonlyMap<string, string>
  drafts: ReadonlySet<string>
  /** Former slug → the article's current slug. */
  renamed: ReadonlyMap<string, string>
  /** Unpublished: their URL answers 410. */
  gone: ReadonlySet<string>
  /**
   * Whether these are all the articles there are. A check of single files without KV does not
   * know the rest: a slug with a file beside the article's then counts as an article.
   */
  complete: boolean
}

/** The link targets of one run's files alone (`articles:check`, which opens no KV). */
export function runLinkTargets(result: LoadResult, complete: boolean): LinkTargets {
  return {
    live: new Map(result.loaded.map((entry) => [entry.article.slug, entry.article.publishedAt])),
    drafts: new Set(result.drafts.map((draft) => draft.slug)),
    renamed: new Map(
      result.loaded.flatMap((entry) =>
        entry.redirectFrom.map((from) => [from, entry.article.slug] as const),
      ),
    ),
    gone: new Set(),
    complete,
  }
}

/** The link targets of a publish: this run's files, and what stays live, moved or gone in KV. */
export function publishLinkTargets(result: LoadResult, live: LiveState): LinkTargets {
  const run = runLinkTargets(result, true)
  const pointed = (prefix: string) =>
    live.pointers.flatMap(({ key, value }) =>
      key.startsWith(prefix) ? [[key.slice(prefix.length), value] as const] : [],
    )
  const goneSlugs = [
    ...live.removing.map((gone) => gone.slug),
    ...pointed(goneKey('')).map(([slug]) => slug),
    ...live.kept.flatMap((key) =>
      key.startsWith(goneKey('')) ? [key.slice(goneKey('').length)] : [],
    ),
  ]
  return {
    ...run,
    live: new Map([
      ...live.carried.map((article) => [article.slug, article.publishedAt] as const),
      ...run.live,
    ]),
    renamed: new Map([
      ...pointed(redirectKey('')).map(
        ([from, value]) => [from, Redirect.parse(JSON.parse(value)).slug] as const,
      ),
      ...run.renamed,
    ]),
    gone: new Set(goneSlugs),
  }
}

/** A link of an article, with where it is written. */
export interface ArticleLink {
  url: string
  /** Where to report it: `['body', offset]`, `['image', 'url']`… */
  at: (string | number)[]
  /** An image's source: a file it names is a photo, which the photo step checks (media-articles.ts). */
  image: boolean
}

/** Every link an article has: its body's links and images, its photo. */
export const linksOf = (entry: Pick<LoadedArticle, 'links' | 'article'>): ArticleLink[] => [
  ...entry.links.map((link) => ({
    url: link.url,
    at: ['body', link.offset],
    image: link.tag === 'img',
  })),
  ...(entry.article.image?.url
    ? [{ url: entry.article.image.url, at: ['image', 'url'], image: true }]
    : []),
]

/** `%D8%A7` → `ا`, leaving what does not decode as it is. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** What a URL written in an article points at. */
export type LinkKind =
  | { kind: 'article'; slug: string }
  | { kind: 'file'; reference: string }
  | { kind: 'external'; url: string }
  | { kind: 'other' }

const ARTICLE_PATH = /^\/articles\/([^/]+)\/?$/
const origins = new Map<string, string>()
/** The site's origin, parsed once per site URL (every link of every article is compared to it). */
const originOf = (siteUrl: string) => {
  let origin = origins.get(siteUrl)
  if (origin === undefined) origins.set(siteUrl, (origin = new URL(siteUrl).origin))
  return origin
}
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * An article page of this site (absolute, root-relative or relative to the article's own URL), a
 * path relative to the article file (a photo beside it: `images/hall.jpg`), an external http(s)
 * URL, or something else (a section page, `mailto:`, a `#fragment`).
 */
export function classifyLink(url: string, site: SiteConfig, slug: string): LinkKind {
  let resolved: URL
  try {
    resolved = new URL(url, site.url + articlePath(slug))
  } catch {
    return { kind: 'other' }
  }
  if (resolved.origin === originOf(site.url)) {
    const match = ARTICLE_PATH.exec(resolved.pathname)
    const target = match ? decoded(match[1]!).normalize('NFC') : undefined
    if (target !== undefined && isSlug(target)) return { kind: 'article', slug: target }
    const relative = !HAS_SCHEME.test(url) && !/^[/?#]/.test(url)
    if (relative) return { kind: 'file', reference: decoded(url.split(/[?#]/)[0]!) }
    return { kind: 'other' }
  }
  return /^https?:$/.test(resolved.protocol)
    ? { kind: 'external', url: resolved.href }
    : { kind: 'other' }
}

/** The problem with a link to the article `target`, if there is one. */
function articleLinkProblem(
  target: string,
  targets: LinkTargets,
  entry: LoadedArticle,
  now: number,
): { severity: 'error' | 'warning'; message: string } | undefined {
  const shown = `/articles/${target}`
  const publishedAt = targets.live.get(target)
  if (publishedAt !== undefined) {
    const time = Date.parse(publishedAt)
    if (time > now && time > Date.parse(entry.article.publishedAt))
      return {
        severity: 'warning',
        message: `links to ${shown}, which is scheduled for ${publishedAt}: until then the link answers 404`,
      }
    return undefined
  }
  const current = targets.renamed.get(target)
  if (current !== undefined)
    return {
      severity: 'error',
      message: `links to ${shown}, a former slug of "${current}": link /articles/${current} instead`,
    }
  if (targets.drafts.has(target))
    return {
      severity: 'error',
      message: `links to ${shown}, which is a draft: it is not published`,
    }
  if (targets.gone.has(target))
    return { severity: 'error', message: `links to ${shown}, which was unpublished (410 Gone)` }
  const sibling = articleFileFor(dirname(entry.path), target)
  if (sibling && !targets.complete) return undefined
  if (sibling)
    return {
      severity: 'error',
      message: `links to ${shown}, which is not published (${basename(sibling)} is not part of this run)`,
    }
  const suggestion = nearest(target, [...targets.live.keys()])
  return {
    severity: 'error',
    message: `links to ${shown}, which is no article${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
  }
}

/** A link the publish checks each run: to an article of this site, or to a file beside the article. */
export interface InternalLink {
  at: ArticleLink['at']
  link: Extract<LinkKind, { kind: 'article' | 'file' }>
}

/**
 * The article's links to this site's articles and to files (a photo named in an image is the
 * photo step's), classified when the file is loaded: the load keeps them (load-articles.ts, and
 * the load cache with it), so a run over 100,000 cached articles parses no URL to check links.
 */
export function internalLinksOf(entry: Pick<LoadedArticle, 'links' | 'article'>, site: SiteConfig): InternalLink[] {
  return linksOf(entry).flatMap(({ url, at, image }) => {
    const link = classifyLink(url, site, entry.article.slug)
    if (link.kind === 'article' || (link.kind === 'file' && !image)) return [{ at, link }]
    return []
  })
}

/** Loads made without their links classified, classified once per site. */
const classified = new WeakMap<LoadedArticle, { site: string; links: InternalLink[] }>()

function classifiedLinks(entry: LoadedArticle, site: SiteConfig): InternalLink[] {
  if (entry.internalLinks) return entry.internalLinks
  const known = classified.get(entry)
  if (known?.site === site.url) return known.links
  const links = internalLinksOf(entry, site)
  classified.set(entry, { site: site.url, links })
  return links
}

/** Problems with the internal links and relative paths of `loaded`, each at its place. */
export async function linkProblems(
  loaded: readonly LoadedArticle[],
  targets: LinkTargets,
  site: SiteConfig,
  now: number,
): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const entry of loaded) {
    for (const { at, link } of classifiedLinks(entry, site)) {
      // Placed only when there is something to report: placing costs more than checking.
      const where = () => ({
        file: entry.file,
        path: at[0] === 'body' ? 'body' : at.join('.'),
        ...entry.locate(at),
      })
      if (link.kind === 'article') {
        const problem = articleLinkProblem(link.slug, targets, entry, now)
        if (problem) problems.push({ ...where(), ...problem })
      } else if (link.kind === 'file') {
        const resolved = await resolveArticlePath(entry.path, link.reference)
        if (resolved.status !== 'found')
          problems.push({
            ...where(),
            severity: 'error',
            message:
              resolved.status === 'missing'
                ? `${link.reference} names no file (looked for it beside ${entry.file})`
                : `${link.reference} leaves the folder of ${entry.file}: link files beside the article`,
          })
      }
    }
  }
  return problems
}
