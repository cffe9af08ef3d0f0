// The site's settings, from wrangler.toml [vars]. Validated once: a typo in the config is an
// error at the first request, not a broken link in every feed.
import * as z from 'zod/mini'
import { canonicalLanguageTag } from './formats'
import { MAX_PAGE_SIZE } from './list-layout'

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })

const languageTag = z.pipe(
  z.string(),
  z.transform((tag, ctx) => {
    const canonical = canonicalLanguageTag(tag)
    if (canonical) return canonical
    ctx.issues.push({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag`, input: tag })
    return z.NEVER
  }),
)

// zod/mini (as the worker's read schemas): the worker parses these at its first request.
export const SiteVars = z.object({
  SITE_URL: z.pipe(httpUrl(), z.transform((url) => url.replace(/\/+$/, ''))),
  SITE_TITLE: z.string({ error: 'is required' }).check(z.minLength(1, 'must not be empty')),
  SITE_DESCRIPTION: z.string({ error: 'is required' }).check(z.minLength(1, 'must not be empty')),
  SITE_LANGUAGE: z._default(languageTag, 'ar'),
  SITE_RIGHTS: z._default(z.string(), ''),
  SITE_TIME_ZONE: z._default(
    z.string().check(z.refine(isTimeZone, 'must be an IANA time zone such as Asia/Jerusalem')),
    'UTC',
  ),
  FEED_SIZE: z._default(
    z.pipe(
      z.coerce.number(),
      z.int().check(z.minimum(1, 'must be at least 1'), z.maximum(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)),
    ),
    20,
  ),
  WEBSUB_HUBS: z._default(
    z.pipe(
      z.string(),
      z.pipe(
        z.transform((hubs: string) => hubs.split(/[\s,]+/).filter(Boolean)),
        z.array(httpUrl()),
      ),
    ),
    [],
  ),
  EDGE_CACHE: z._default(z.enum(['on', 'off']), 'on'),
})

/** The settings as the code uses them, named for what they are. */
const SiteSettings = z.pipe(
  SiteVars,
  z.transform((v) => ({
    /** Origin (and optional base path) without a trailing slash. */
    url: v.SITE_URL,
    title: v.SITE_TITLE,
    description: v.SITE_DESCRIPTION,
    language: v.SITE_LANGUAGE,
    rights: v.SITE_RIGHTS,
    timeZone: v.SITE_TIME_ZONE,
    feedSize: v.FEED_SIZE,
    /** WebSub hubs feeds advertise (rel="hub") and the publish script pings. */
    hubs: v.WEBSUB_HUBS,
    /** Whether rendered responses are kept in the edge cache. */
    edgeCache: v.EDGE_CACHE === 'on',
  })),
)
export type SiteConfig = z.output<typeof SiteSettings>

/** The settings from [vars] (the worker's env, or wrangler.toml as the publish script reads it). */
export function parseSiteConfig(vars: object): SiteConfig {
  const result = SiteSettings.safeParse(vars)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`wrangler.toml [vars] are invalid: ${problems.join('; ')}`)
  }
  return result.data
}
