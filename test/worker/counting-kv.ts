// A KV binding that counts the operations a request makes, around miniflare's real namespace,
// and a way to call the worker with it (and with other env overrides).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import app from '../../src/worker/index'

export interface CountingKv {
  kv: KVNamespace
  /** KV operations so far (a bulk get is one operation). */
  operations: () => number
  /** Every key read so far. */
  keys: () => string[]
}

export function countingKv(inner: KVNamespace = env.ARTICLES): CountingKv {
  let operations = 0
  const keys: string[] = []
  const kv = new Proxy(inner, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        operations++
        if (property === 'get' || property === 'getWithMetadata') keys.push(...[args[0] as string | string[]].flat())
        return value.apply(target, args)
      }
    },
  })
  return { kv, operations: () => operations, keys: () => [...keys] }
}

/** Call the worker directly with `overrides` on top of the test env; waits for waitUntil work. */
export async function fetchWith(request: Request, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await app.fetch(request, { ...env, ...overrides }, ctx)
  await waitOnExecutionContext(ctx)
  return response
}
