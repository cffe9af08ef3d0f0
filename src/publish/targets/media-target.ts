// Publish step 10 (photos), where variants go: the MEDIA bucket (R2) through one small interface,
// so miniflare's local R2, a test's binding and Cloudflare's R2 API run through the same code —
// and the uploads and deletes a publish makes through it, in the order that keeps every page whole.
import type { MediaFile } from '../media-articles'
import { eachLimited } from '../pool'

export interface MediaTarget {
  /** For messages, e.g. "local R2 bucket sahifa-media (.wrangler/state)". */
  readonly name: string
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** Deleting a key that is not there is no error. */
  delete(keys: readonly string[]): Promise<void>
}

/** The part of an R2 binding the publisher writes through (miniflare's, or a worker test's). */
export interface R2Writer {
  put(
    key: string,
    value: ArrayBuffer,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>
  delete(keys: string | string[]): Promise<void>
}

/** An R2 binding deletes at most 1,000 keys per call. */
const DELETE_BATCH = 1000

export function bindingMediaTarget(name: string, bucket: R2Writer): MediaTarget {
  return {
    name,
    put: async (key, bytes, contentType) => {
      // A plain ArrayBuffer: miniflare's proxy from Node revives views only of global types (no Buffer).
      const body = new Uint8Array(bytes).buffer
      await bucket.put(key, body, { httpMetadata: { contentType } })
    },
    async delete(keys) {
      for (let from = 0; from < keys.length; from += DELETE_BATCH)
        await bucket.delete(keys.slice(from, from + DELETE_BATCH))
    },
  }
}

/** Uploads at once: each is a whole file, and R2 takes them in parallel. */
const UPLOAD_CONCURRENCY = 4

/** Every file, before the KV writes that name them (a page never shows a photo that is not there). */
export const uploadMedia = (files: readonly MediaFile[], target: MediaTarget) =>
  eachLimited(files, UPLOAD_CONCURRENCY, async (file) =>
    target.put(file.key, await file.read(), file.type),
  )
