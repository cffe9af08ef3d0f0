// Publish step 5 (links, on request): external links fetched with `--check-links` — each URL once,
// a few at a time, each request and the whole check bounded in time. An answer of 400 or more, or
// none, is a warning at every place the URL is written: another site's outage never stops a
// publish.
import type { SiteConfig } from '../model/site'
import { classifyLink, linksOf } from './link-checks'
import type { LoadedArticle } from './load-articles'
import { eachLimited } from './pool'
import type { Problem } from './problems'

export interface ExternalLinkOptions {
  /** Requests in flight at once. */
  concurrency?: number
  /** How long one URL may take (each redirect included). */
  timeoutMs?: number
  /** How long the whole check may take; URLs not reached by then are reported as unchecked. */
  budgetMs?: number
  fetch?: typeof fetch
}

const EXTERNAL_LINK_DEFAULTS = { concurrency: 8, timeoutMs: 10_000, budgetMs: 60_000 }

/** Servers that refuse HEAD (or answer it wrongly) get a GET, whose body is never read. */
const RETRY_WITH_GET = new Set([403, 405, 501])

async function probe(
  url: string,
  fetcher: typeof fetch,
  timeoutMs: number,
): Promise<string | undefined> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    let response = await fetcher(url, { method: 'HEAD', redirect: 'follow', signal })
    if (RETRY_WITH_GET.has(response.status)) {
      response = await fetcher(url, { method: 'GET', redirect: 'follow', signal })
      await response.body?.cancel()
    }
    return response.status >= 400 ? `answers ${response.status}` : undefined
  } catch (error) {
    if (signal.aborted) return `did not answer within ${timeoutMs / 1000} s`
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return `could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`
  }
}

/** Warnings for the external links of `loaded` that fail, at every place each is written. */
export async function externalLinkProblems(
  loaded: readonly LoadedArticle[],
  site: SiteConfig,
  options: ExternalLinkOptions = {},
): Promise<Problem[]> {
  const { concurrency, timeoutMs, budgetMs } = { ...EXTERNAL_LINK_DEFAULTS, ...options }
  const fetcher = options.fetch ?? fetch
  const places = new Map<string, Omit<Problem, 'severity' | 'message'>[]>()
  for (const entry of loaded) {
    for (const { url, at } of linksOf(entry)) {
      const link = classifyLink(url, site, entry.article.slug)
      if (link.kind !== 'external') continue
      const where = {
        file: entry.file,
        path: at[0] === 'body' ? 'body' : at.join('.'),
        ...entry.locate(at),
      }
      places.set(link.url, [...(places.get(link.url) ?? []), where])
    }
  }
  const outcomes = new Map<string, string>()
  const deadline = Date.now() + budgetMs
  await eachLimited(places.keys(), concurrency, async (url) => {
    const left = deadline - Date.now()
    const outcome =
      left <= 0
        ? `was not checked: the link check ran out of its ${budgetMs / 1000} s`
        : await probe(url, fetcher, Math.min(timeoutMs, left))
    if (outcome) outcomes.set(url, outcome)
  })
  return [...places].flatMap(([url, wheres]) => {
    const outcome = outcomes.get(url)
    return outcome
      ? wheres.map((where) => ({
          ...where,
          severity: 'warning' as const,
          message: `${url} ${outcome}`,
        }))
      : []
  })
}
