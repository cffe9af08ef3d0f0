// Publish step 10, a KV target over a Workers KV binding (a test's namespace, or anything with the
// binding's get/put/delete): one operation per key, a bounded number at once.
import { eachLimited } from '../pool'
import type { KvTarget } from './kv-target'

/** Minimal shape of a Workers KV binding (miniflare's). */
export interface KvBinding {
  get(key: string, type: 'text'): Promise<string | null>
  put(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** How many single-key operations a binding target runs at once. */
const BINDING_CONCURRENCY = 32

export function bindingTarget(
  name: string,
  kv: KvBinding,
  close: () => Promise<void> = async () => {},
): KvTarget {
  return {
    name,
    // A binding outside Cloudflare (miniflare) has no per-key rate limit.
    sameKeyIntervalMs: 0,
    strongConsistency: true,
    get: (key) => kv.get(key, 'text'),
    put: (entries) =>
      eachLimited(entries, BINDING_CONCURRENCY, (entry) => kv.put(entry.key, entry.value)),
    delete: (keys) => eachLimited(keys, BINDING_CONCURRENCY, (key) => kv.delete(key)),
    close,
  }
}
