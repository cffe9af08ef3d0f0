// Memory soak (`npm run memory-soak -- [--minutes N]`): where workerd's memory goes under a long
// load. The deploy bundle runs in Miniflare (no wrangler, no dev tooling) with the real articles/
// in its KV; autocannon sends the load test's request mix for N minutes (default 5); every 15 s
// the worker isolate's live JS heap is measured with a heap snapshot (V8 collects garbage before it
// takes one; workerd's inspector does not answer HeapProfiler.collectGarbage) beside workerd's
// resident memory, and the snapshots after warm-up and at the end are summarised by constructor. If the live JS heap stays flat while
// RSS moves, the growth is the runtime's, not the worker's. Prints a Markdown report.
import { execFile } from 'node:child_process'
import { parseArgs, promisify } from 'node:util'
import autocannon from 'autocannon'
import WebSocket from 'ws'
import { findArticleFiles } from '../src/publish/article-files'
import { loadArticles } from '../src/publish/load-articles'
import { goOffline } from '../src/publish/offline-env'
import { parseSiteConfig } from '../src/model/site'
import { freePort } from './harness/free-port'
import { serveWorker } from './harness/miniflare-worker'
import { readRepoConfig } from './harness/repo-config'
import { harnessPhotoStore } from './harness/photo-store'
import { requestMix } from './harness/request-mix'

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' } } })
const MINUTES = Number(values.minutes)
const SAMPLE_SECONDS = 15
const CONNECTIONS = 10

/** workerd processes that are children of this process, and their resident memory in MiB. */
async function workerdRssMiB(): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'ppid=,rss=,comm='])
  let kib = 0
  for (const line of stdout.split('\n')) {
    const [ppid, rss, command] = line.trim().split(/\s+/)
    if (Number(ppid) === process.pid && command?.includes('workerd')) kib += Number(rss)
  }
  return kib / 1024
}

/** A Chrome DevTools Protocol session with the worker's isolate. */
async function inspect(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string; title: string }[]
  const target = targets.find((each) => each.title.includes('core:user')) ?? targets[0]
  if (!target) throw new Error('no inspector target')
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise<void>((resolve, reject) => {
    socket.on('open', resolve)
    socket.on('error', reject)
  })
  let id = 0
  const pending = new Map<number, (result: unknown) => void>()
  const chunks: string[] = []
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; method?: string; params?: { chunk: string } }
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params!.chunk)
    if (message.id !== undefined) pending.get(message.id)?.(message.result)
  })
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      pending.set(++id, resolve as (result: unknown) => void)
      socket.send(JSON.stringify({ id, method, params }))
    })
  await send('HeapProfiler.enable')
  return {
    /** A heap snapshot (taken after a full collection): live bytes, and self size by constructor. */
    async snapshot() {
      chunks.length = 0
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      const snapshot = JSON.parse(chunks.join('')) as {
        snapshot: { meta: { node_fields: string[] } }
        nodes: number[]
        strings: string[]
      }
      const fields = snapshot.snapshot.meta.node_fields
      const width = fields.length
      const nameAt = fields.indexOf('name')
      const sizeAt = fields.indexOf('self_size')
      const bySize = new Map<string, { count: number; bytes: number }>()
      let live = 0
      for (let i = 0; i < snapshot.nodes.length; i += width) {
        // A script's node is named by its source: its first line is enough to tell it.
        const name = (snapshot.strings[snapshot.nodes[i + nameAt]!] ?? '?').split('\n')[0]!
        const entry = bySize.get(name) ?? { count: 0, bytes: 0 }
        entry.count++
        entry.bytes += snapshot.nodes[i + sizeAt]!
        live += snapshot.nodes[i + sizeAt]!
        bySize.set(name, entry)
      }
      const usage = await send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage')
      return {
        liveMiB: live / 2 ** 20,
        totalMiB: usage.totalSize / 2 ** 20,
        top: [...bySize].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 12),
      }
    },
    close: () => socket.close(),
  }
}

goOffline()
const repo = await readRepoConfig()
const port = await freePort(9350, 9399)
const inspectorPort = await freePort(9350, 9399, [port])
const url = `http://127.0.0.1:${port}`
const site = parseSiteConfig({ ...repo.vars, SITE_URL: url })
const loaded = await loadArticles(await findArticleFiles(['articles']), site, {
  photos: harnessPhotoStore(),
})
const server = await serveWorker({
  port,
  inspectorPort,
  ownSiteUrl: true,
  articles: loaded.articles,
  media: loaded.media,
})
try {
  const specs = await requestMix(repo, url)
  const inspector = await inspect(inspectorPort)
  const rows: string[] = []
  let requests = 0
  const sample = async (label: string) => {
    const heap = await inspector.snapshot()
    rows.push(`| ${label} | ${requests} | ${(await workerdRssMiB()).toFixed(0)} | ${heap.liveMiB.toFixed(1)} | ${heap.totalMiB.toFixed(1)} |`)
    return heap.top
  }
  // Warm-up: JIT, first renders, cache fills.
  await autocannon({ url, connections: CONNECTIONS, duration: 10, requests: specs })
  const before = await sample('after warm-up')
  let after = before
  for (let elapsed = 0; elapsed < MINUTES * 60; elapsed += SAMPLE_SECONDS) {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SAMPLE_SECONDS, requests: specs })
    requests += result.requests.total
    if (result.errors + result['5xx'] > 0) throw new Error(`errors under load: ${result.errors} errors, ${result['5xx']} 5xx`)
    after = await sample(`${elapsed + SAMPLE_SECONDS} s`)
    console.error(rows.at(-1))
  }
  inspector.close()
  const table = (entries: typeof before) =>
    entries.map(([name, { count, bytes }]) => `| ${name.slice(0, 40).replace(/\|/g, '/')} | ${count} | ${(bytes / 1024).toFixed(0)} |`)
  console.log(
    [
      `Memory soak: the deploy bundle in Miniflare ${MINUTES} min, ${CONNECTIONS} connections, ${specs.length} requests in the mix.`,
      '',
      '| when | requests | workerd RSS MiB | live JS heap MiB (snapshot) | JS heap reserved MiB |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      'Heap snapshot after warm-up, self size by constructor (top 12):',
      '',
      '| constructor | objects | KiB |',
      '|---|---|---|',
      ...table(before),
      '',
      `After ${MINUTES} min:`,
      '',
      '| constructor | objects | KiB |',
      '|---|---|---|',
      ...table(after),
    ].join('\n'),
  )
} finally {
  await server.stop()
}
