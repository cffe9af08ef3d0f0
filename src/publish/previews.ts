// Publish step 10 for `npm start` only (watch-session.ts): previews of drafts and scheduled
// articles in local KV, for the dev entry's `/preview/<slug>` (src/dev/). Outside the manifest,
// so no publish plans them and `--remote` can never write one; an index key lets a restarted
// session remove the previews no longer wanted.
import { PREVIEW_INDEX_KEY, PreviewIndex, previewKey, type StoredPreview } from '../model/preview'
import type { KvTarget } from './targets/kv-target'

/** Each previewed slug with the value written for it. */
export type WrittenPreviews = ReadonlyMap<string, string>

/**
 * Makes local KV hold exactly the `wanted` previews, writing only what differs from `written`
 * (what this session wrote before; when absent, the index KV holds says what to remove).
 */
export async function writePreviews(
  target: Pick<KvTarget, 'get' | 'put' | 'delete'>,
  wanted: ReadonlyMap<string, StoredPreview>,
  written?: WrittenPreviews,
): Promise<WrittenPreviews> {
  let before = written
  if (!before) {
    const raw = await target.get(PREVIEW_INDEX_KEY)
    const slugs = raw === null ? [] : PreviewIndex.parse(JSON.parse(raw))
    before = new Map(slugs.map((slug) => [slug, '']))
  }
  const next = new Map([...wanted].map(([slug, preview]) => [slug, JSON.stringify(preview)]))
  const puts = [...next]
    .filter(([slug, value]) => before.get(slug) !== value)
    .map(([slug, value]) => ({ key: previewKey(slug), value }))
  const gone = [...before.keys()].filter((slug) => !next.has(slug))
  const indexChanged = gone.length > 0 || [...next.keys()].some((slug) => !before.has(slug))
  if (indexChanged)
    puts.push({ key: PREVIEW_INDEX_KEY, value: JSON.stringify([...next.keys()].sort()) })
  if (puts.length > 0) await target.put(puts)
  if (gone.length > 0) await target.delete(gone.map(previewKey))
  return next
}
