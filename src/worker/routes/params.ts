// Request step 3 (routes): the parameters list routes read from the canonical request — the
// section or tag a URL names, and `?page=N`.
import { listChunkKey, type ListRef } from '../../model/keys'

/** Longest section or tag name a URL may carry (KV keys are at most 512 bytes). */
const MAX_NAME_LENGTH = 200
const MAX_KEY_BYTES = 512

/**
 * The list a `/sections/:name` or `/tags/:name` URL names, or null for an impossible name: one
 * whose keys would pass KV's limit (folding can lengthen a name: `İ` → `i̇`), which the publish
 * script never writes and KV refuses to read.
 */
export function listFromParams(kind: 'section' | 'tag', raw: string): Exclude<ListRef, { kind: 'site' }> | null {
  const name = raw.normalize('NFC').trim()
  if (!name || name.length > MAX_NAME_LENGTH) return null
  const list = { kind, name }
  return new TextEncoder().encode(listChunkKey(list, 999_999)).length <= MAX_KEY_BYTES ? list : null
}

/** `?page=N`: absent is page 1; anything but a plain positive integer is null (a 404). */
export function parsePage(value: string | undefined): number | null {
  if (value === undefined) return 1
  return /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : null
}
