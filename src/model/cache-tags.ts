// How cached responses are named for invalidation. Shared by the worker (which tags every response
// it keeps in the edge cache with the KV keys it read to make it) and the publish script (which
// purges the tags of the keys it wrote or deleted). A publish therefore cannot forget a URL: any
// response built from a changed key — a list page, a feed, an article page showing the latest
// headlines, a 404 for a slug that now exists — carries that key's tag.
import { contentHash } from './hash'

/**
 * Carried by every cached response, so one tag purges the whole site when a publish changes too
 * many keys to name them one by one.
 */
export const SITE_TAG = 'sahifa'

/**
 * The cache tag of a KV key: short, ASCII and case-insensitive as Cloudflare's Cache-Tag wants
 * (keys hold Arabic slugs and names). A collision only purges one more response.
 */
export const cacheTag = (kvKey: string) => `k${contentHash(kvKey)}`

/** Tags to purge after `changedKeys` were written or deleted, each once. */
export const purgeTagsFor = (changedKeys: Iterable<string>): string[] =>
  [...new Set(Array.from(changedKeys, cacheTag))].sort()
