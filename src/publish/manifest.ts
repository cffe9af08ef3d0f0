// Publish step 6: the manifest — what the publish script has written, read back
// from KV (MANIFEST_KEY), the record every plan is made against. Corrupt → refuse to plan.
import * as z from 'zod'
import { Gone } from '../model/article'
import { MANIFEST_KEY } from '../model/keys'
import type { KvTarget } from './targets/kv-target'

/**
 * What the publish script has written, stored at MANIFEST_KEY: each key with a SHA-256 of its value
 * as the last finished run left it. While a run is writing, `pending` lists the keys it may have
 * changed (their value is unknown until the run finishes) and the articles it is unpublishing; a
 * run that finds `pending` after a crash rewrites or deletes every one of those keys, so nothing
 * is orphaned and nothing is lost.
 */
export const Manifest = z.strictObject({
  version: z.literal(1),
  keys: z.record(z.string(), z.string()),
  /** Photo variants in the MEDIA bucket (R2), by key (media-plan.ts). */
  media: z.array(z.string()).optional(),
  pending: z
    .strictObject({
      /** Keys a run was writing or deleting when it stopped: their value is unknown. */
      unsure: z.array(z.string()),
      /** Articles a run was unpublishing, with the tombstone it was writing for each. */
      removing: z.array(Gone),
      /** Bucket keys a run was uploading or deleting: whether they are there is unknown. */
      media: z.array(z.string()).optional(),
    })
    .optional(),
})
export type Manifest = z.output<typeof Manifest>

export const EMPTY_MANIFEST: Manifest = { version: 1, keys: {} }

/** SHA-256 of a value, hex; equal hashes mean the key needs no write. */
export async function valueHash(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** The target's manifest, or the empty one before the first publish. */
export const readManifest = async (target: Pick<KvTarget, 'name' | 'get'>): Promise<Manifest> =>
  (await readManifestAsStored(target)).manifest

/** The manifest and its stored text (null before the first publish). */
export interface StoredManifest {
  manifest: Manifest
  raw: string | null
}

/**
 * The manifest and its stored text: a publish compares the text again once it holds the lease, to
 * know no other publish wrote since it planned. `known` is a manifest read or written before (a
 * watch session's last): found unchanged, it is returned as it is — not parsed again.
 */
export async function readManifestAsStored(
  target: Pick<KvTarget, 'name' | 'get'>,
  known?: StoredManifest,
): Promise<StoredManifest> {
  const raw = await target.get(MANIFEST_KEY)
  if (known && raw === known.raw) return known
  return { manifest: parseManifest(target, raw), raw }
}

/** A plain object of strings, as JSON.parse made it. */
function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false
  return true
}

/**
 * `keys` is checked by hand and kept as parsed: zod copying a record of 200,000 entries (100,000
 * articles) cost about 0.2 s of every run. The schema checks the rest.
 */
function parseManifest(target: Pick<KvTarget, 'name'>, raw: string | null): Manifest {
  if (raw === null) return EMPTY_MANIFEST
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    json = undefined
  }
  const keys = (json as { keys?: unknown } | null)?.keys
  const parsed = Manifest.safeParse({ ...(json as object), keys: {} })
  if (!isStringRecord(keys) || !parsed.success)
    throw new Error(`${target.name}: ${MANIFEST_KEY} is corrupt; refusing to plan against it`)
  return { ...parsed.data, keys }
}
