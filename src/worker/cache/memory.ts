// Request step 2 (edge cache, first layer): rendered responses kept for a moment in the isolate's own memory.
// A hit there saves a round trip to the Cache API, which reads the whole body even for a 304
// (bench/FINDINGS.md measured +12–28 % req/s on cached feeds, +35–45 % on 304s). A publish purges
// the Cache API but cannot reach any isolate's memory, so entries live one second at most: that
// bounds how long a purged response can still be served.

/** Bounds of the layer: entries, bytes (bodies, headers and keys), and one entry's bytes. */
export interface MemoryLimits {
  ttlMs: number
  maxEntries: number
  maxBytes: number
  maxEntryBytes: number
}

export const MEMORY_LIMITS: MemoryLimits = {
  ttlMs: 1_000,
  maxEntries: 512,
  maxBytes: 16 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
}

export interface Remembered {
  status: number
  headers: [string, string][]
  body: ArrayBuffer
  /** When the response was made (epoch ms), for its Age. */
  storedAt: number
  /** When it stops being served (epoch ms). */
  expires: number
}

interface Entry extends Remembered {
  bytes: number
}

/** Bytes an entry holds: UTF-16 strings count two per code unit. */
function entryBytes(key: string, value: Remembered): number {
  let bytes = value.body.byteLength + key.length * 2
  for (const [name, text] of value.headers) bytes += (name.length + text.length) * 2
  return bytes
}

/**
 * A map from canonical URL to response, bounded in entries and bytes. Entries go in insertion
 * order; since they all live about as long, the oldest are the first to expire, and every insert
 * first drops expired ones from the front — so a flood of distinct URLs never accumulates.
 */
export class MemoryCache {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0

  constructor(private readonly limits: MemoryLimits = MEMORY_LIMITS) {}

  get size() {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  get ttlMs() {
    return this.limits.ttlMs
  }

  get(key: string, now: number): Remembered | null {
    const entry = this.entries.get(key)
    if (!entry) return null
    if (entry.expires <= now) {
      this.delete(key)
      return null
    }
    return entry
  }

  set(key: string, value: Remembered, now: number): void {
    this.delete(key)
    const bytes = entryBytes(key, value)
    if (bytes > this.limits.maxEntryBytes || value.expires <= now) return
    for (const [oldest, entry] of this.entries) {
      const full = this.entries.size >= this.limits.maxEntries || this.bytes + bytes > this.limits.maxBytes
      if (!full && entry.expires > now) break
      this.delete(oldest)
    }
    this.entries.set(key, { ...value, bytes })
    this.bytes += bytes
  }

  private delete(key: string) {
    const entry = this.entries.get(key)
    if (!entry) return
    this.bytes -= entry.bytes
    this.entries.delete(key)
  }
}
