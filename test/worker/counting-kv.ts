// A KV binding that counts the operations a request makes, around miniflare's real namespace
// (the harness's call log, tools/harness/kv-call-log.ts), and a way to call the worker with it
// (and with other env overrides).
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import app from '../../src/worker/index'
import { loggedKv } from '../../tools/harness/kv-call-log'

export interface CountingKv {
  kv: KVNamespace
  /** KV operations so far (a bulk get is one operation). */
  operations: () => number
  /** Every key read so far. */
  keys: () => string[]
}

export function countingKv(inner: KVNamespace = env.ARTICLES): CountingKv {
  const { kv, calls } = loggedKv(inner)
  return { kv, operations: () => calls.length, keys: () => calls.flatMap((call) => call.keys) }
}

/** Call the worker directly with `overrides` on top of the test env; waits for waitUntil work. */
export async function fetchWith(
  request: Request,
  overrides: Partial<Cloudflare.Env> = {},
): Promise<Response> {
  const ctx = createExecutionContext()
  const response = await app.fetch(request, { ...env, ...overrides }, ctx)
  await waitOnExecutionContext(ctx)
  return response
}
