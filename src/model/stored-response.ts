// Model (shared with the publisher): a response the publisher rendered ahead of the request — the
// first feed page of each list, each sitemap page, the news sitemap — as one KV value: a line of
// JSON saying what the bytes are and when they stop being the answer, then the bytes to send.
// The worker sends them only when they are what it would render itself (src/worker/prerendered.ts).
import * as z from 'zod/mini'
import { contentHash } from './hash'
import type { SiteConfig } from './site'

export const StoredResponseHead = z.strictObject({
  /** The site settings the bytes were rendered with: siteStamp(). */
  site: z.string(),
  /** The render code they were rendered with: src/publish/render-stamp.ts. */
  renderer: z.string(),
  /** Epoch ms from which they may be stale (a scheduled article comes due, an article ages out). */
  validUntil: z.optional(z.number()),
  contentType: z.string(),
  cacheControl: z.string(),
  etag: z.string(),
  lastModified: z.optional(z.string()),
  headers: z.optional(z.record(z.string(), z.string())),
})
export type StoredResponseHead = z.output<typeof StoredResponseHead>

/** The line break ending the head line: JSON.stringify never writes one, so the first is it. */
export const STORED_HEAD_END = '\n'

export const storedResponseValue = (head: StoredResponseHead, body: string) =>
  JSON.stringify(head) + STORED_HEAD_END + body

/**
 * The site settings as far as they change a response's bytes or headers: all of them but
 * `edgeCache`, which only says whether responses are kept. Computed on both sides from the
 * SiteConfig each runs with, so bytes rendered under other settings are never sent.
 */
export function siteStamp(site: SiteConfig): string {
  const { edgeCache: _edgeCache, ...rendering } = site
  return contentHash(JSON.stringify(rendering))
}
