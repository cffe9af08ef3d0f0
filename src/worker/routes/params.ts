// Request step 3 (routes): the parameters list routes read from the canonical request — the
// section or tag a URL names, and `?page=N`.
import { listChunkKey, type NamedList, type NamedListKind } from '../../model/keys'

/** Longest section, tag or author name a URL may carry (KV keys are at most 512 bytes). */
const MAX_NAME_LENGTH = 200
const MAX_KEY_BYTES = 512

/**
 * The list a `/sections/:name`, `/tags/:name` or `/authors/:name` URL names, or null for an impossible name: one
 * whose keys would pass KV's limit (folding can lengthen a name: `İ` → `i̇`), which the publish
 * script never writes and KV refuses to read.
 */
export function listFromParams(kind: NamedListKind, raw: string): NamedList | null {
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
