// Model (shared by the local publish of `npm start` and its dev-only worker entry, src/dev/):
// previews of drafts and scheduled articles in local KV. Never written by a remote publish, and
// never read by the deployed worker, which has no preview route and none of this code.
import * as z from 'zod/mini'
import { StoredArticle } from './article'

/** One article's preview: `v1:preview:<slug>`. */
export const previewKey = (slug: string) => `v1:preview:${slug}`
/** The slugs that have a preview, so a restarted session can remove the ones no longer wanted. */
export const PREVIEW_INDEX_KEY = 'v1:previews'

export const StoredPreview = z.strictObject({
  /** A draft is never published as it is; a scheduled article goes live at its publishedAt. */
  status: z.enum(['draft', 'scheduled']),
  article: StoredArticle,
})
export type StoredPreview = z.output<typeof StoredPreview>

export const PreviewIndex = z.array(z.string())
