// Harness: a KV binding that logs every call a request makes, around a real namespace — for the
// worker tests' and the bench's KV-read counts. No Node APIs: it runs inside workerd.

export interface KvCall {
  method: string
  /** `get` or `getWithMetadata`. */
  read: boolean
  /** The keys a read asked for (one bulk `get` of several keys is one call). */
  keys: string[]
}

const READS = new Set<PropertyKey>(['get', 'getWithMetadata'])

/** `inner` with each method call appended to `calls` before it runs. */
export function loggedKv(inner: KVNamespace): { kv: KVNamespace; calls: KvCall[] } {
  const calls: KvCall[] = []
  const kv = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const read = READS.has(property)
        calls.push({
          method: String(property),
          read,
          keys: read ? [args[0] as string | string[]].flat() : [],
        })
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return { kv, calls }
}
