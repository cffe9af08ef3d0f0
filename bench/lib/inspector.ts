// A Chrome DevTools Protocol session with the worker's isolate through `wrangler dev`'s inspector,
// reached with `ws`, the WebSocket client wrangler and miniflare install (the inspector proxy of
// `wrangler dev` turns away Node's built-in WebSocket).
import WebSocket from 'ws'

export interface Inspector {
  send<T>(method: string, params?: object): Promise<T>
  close(): void
}

export async function openInspector(port: number): Promise<Inspector> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`)
  await new Promise((resolve, reject) => {
    socket.on('open', () => resolve(undefined))
    socket.on('error', reject)
  })
  let nextId = 0
  const pending = new Map<number, (result: unknown) => void>()
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown }
    if (message.id !== undefined) pending.get(message.id)?.(message.result)
  })
  return {
    send: <T>(method: string, params = {}) =>
      new Promise<T>((resolve) => {
        const id = ++nextId
        pending.set(id, resolve as (result: unknown) => void)
        socket.send(JSON.stringify({ id, method, params }))
      }),
    close: () => socket.close(),
  }
}

/** The isolate's JS heap now (V8's used and allocated bytes, garbage not yet collected included). */
export async function isolateHeap(port: number): Promise<{ usedSize: number; totalSize: number }> {
  const inspector = await openInspector(port)
  try {
    return await inspector.send('Runtime.getHeapUsage')
  } finally {
    inspector.close()
  }
}
