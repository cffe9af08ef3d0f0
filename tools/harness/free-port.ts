// Harness: a loopback port nothing listens on. Each suite and tool keeps to its own range (browser
// tests 9200–9299, load test and npm start's test 9300–9349, hostile page and Miniflare workers
// 9350–9399, bench 9400–9499, a closed port for the link checks 9500–9519, npm start as a process
// 9520–9539), and 8787 is left to `npm start`.
import { createServer } from 'node:net'

export async function freePort(from: number, to: number, exclude: number[] = []): Promise<number> {
  for (let port = from; port <= to; port++) {
    if (exclude.includes(port)) continue
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error(`no free port in ${from}-${to}`)
}
