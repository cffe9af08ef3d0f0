// The site's settings, from wrangler.toml [vars]. Validated once: a typo in the config is an
// error at the first request, not a broken link in every feed.
import * as z from 'zod'
import { LanguageTag } from './article'
import { MAX_PAGE_SIZE } from './lists'

export const SiteVars = z.object({
  SITE_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, '')),
  SITE_TITLE: z.string().min(1),
  SITE_DESCRIPTION: z.string().min(1),
  SITE_LANGUAGE: LanguageTag.default('ar'),
  SITE_RIGHTS: z.string().default(''),
  SITE_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'must be an IANA time zone such as Asia/Jerusalem'),
  FEED_SIZE: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  WEBSUB_HUBS: z
    .string()
    .default('')
    .transform((hubs) => hubs.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  EDGE_CACHE: z.enum(['on', 'off']).default('on'),
})

export interface SiteConfig {
  /** Origin (and optional base path) without a trailing slash. */
  url: string
  title: string
  description: string
  language: string
  rights: string
  timeZone: string
  feedSize: number
  /** WebSub hubs feeds advertise (rel="hub") and the publish script pings. */
  hubs: string[]
  /** Whether rendered responses are kept in the edge cache (off in tests that reseed KV). */
  edgeCache: boolean
}

export function parseSiteConfig(vars: Record<string, unknown>): SiteConfig {
  const result = SiteVars.safeParse(vars)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`wrangler.toml [vars] are invalid: ${problems.join('; ')}`)
  }
  const v = result.data
  return {
    url: v.SITE_URL,
    title: v.SITE_TITLE,
    description: v.SITE_DESCRIPTION,
    language: v.SITE_LANGUAGE,
    rights: v.SITE_RIGHTS,
    timeZone: v.SITE_TIME_ZONE,
    feedSize: v.FEED_SIZE,
    hubs: v.WEBSUB_HUBS,
    edgeCache: v.EDGE_CACHE === 'on',
  }
}
