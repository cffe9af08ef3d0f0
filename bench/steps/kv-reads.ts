// Measure 3: KV reads per request on each route, counted by the bench worker's wrapped binding
// (one `get`, of one key or of an array of keys, is one operation). Each route is asked cold (edge
// cache off: what a cache miss costs), cold with a matching If-None-Match, and hot (the same URL
// again with the edge cache on).
import { slugOf, storedArticle } from '../data'
import { median, sleep } from '../lib/stats'
import type { RunningWorker } from '../lib/workers'

export interface RouteReads {
  /** What the route is, the same at every site size (paths of last pages differ). */
  name: string
  route: string
  status: number
  coldOps: number
  coldKeys: number
  cold304Status: number | null
  cold304Ops: number | null
  hotOps: number
  hot304Ops: number | null
  /** Median wall time of a cold request from the client, ms (KV through miniflare included). */
  coldMs: number
  bytes: number
}

export function routesFor(count: number, feedSize: number): { name: string; path: string }[] {
  const newest = storedArticle(count - 1, count, 'x')
  const section = encodeURIComponent(newest.section!)
  const tag = encodeURIComponent(newest.tags[0]!)
  const author = encodeURIComponent(newest.authors[0]!.name)
  const lastPage = Math.max(1, Math.ceil(count / feedSize))
  const routes: [string, string][] = [
    ['home', '/'],
    ['home, page 2', '/?page=2'],
    ['home, last page', `/?page=${lastPage}`],
    ['RSS', '/rss.xml'],
    ['Atom', '/atom.xml'],
    ['JSON Feed', '/feed.json'],
    ['RSS, page 2', '/rss.xml?page=2'],
    ['Atom, last page', `/atom.xml?page=${lastPage}`],
    ['article, newest', `/articles/${encodeURIComponent(slugOf(count - 1))}`],
    ['article, oldest', `/articles/${encodeURIComponent(slugOf(0))}`],
    ['article, unknown slug (404)', '/articles/missing-article'],
    ['section page', `/sections/${section}`],
    ['section RSS', `/sections/${section}/rss.xml`],
    ['tag page', `/tags/${tag}`],
    ['tag Atom', `/tags/${tag}/atom.xml`],
    ['tag JSON Feed, page 2', `/tags/${tag}/feed.json?page=2`],
    ['author page', `/authors/${author}`],
    ['author JSON Feed', `/authors/${author}/feed.json`],
    ['feed alias /feed (301)', '/feed'],
    ['sitemap index', '/sitemap.xml'],
    ['sitemap page 1', '/sitemaps/articles-1.xml'],
    ['sitemap of lists', '/sitemaps/lists.xml'],
    ['news sitemap', '/news-sitemap.xml'],
    ['robots.txt', '/robots.txt'],
  ]
  return routes.map(([name, path]) => ({ name, path }))
}

async function ask(worker: RunningWorker, route: string, headers: Record<string, string>) {
  const started = performance.now()
  const response = await fetch(worker.url + route, { headers, redirect: 'manual' })
  const body = await response.arrayBuffer()
  return {
    ms: performance.now() - started,
    status: response.status,
    ops: Number(response.headers.get('x-bench-kv-ops') ?? Number.NaN),
    keys: Number(response.headers.get('x-bench-kv-keys') ?? Number.NaN),
    etag: response.headers.get('etag'),
    bytes: body.byteLength,
  }
}

export async function countReads(
  worker: RunningWorker,
  count: number,
  feedSize: number,
): Promise<RouteReads[]> {
  const results: RouteReads[] = []
  const off = { 'x-bench-edge-cache': 'off' }
  for (const { name, path: route } of routesFor(count, feedSize)) {
    const cold = await ask(worker, route, off)
    const times = [cold.ms]
    for (let i = 0; i < 4; i++) times.push((await ask(worker, route, off)).ms)
    const cold304 = cold.etag
      ? await ask(worker, route, { ...off, 'If-None-Match': cold.etag })
      : null
    await ask(worker, route, {})
    await sleep(150) // the edge cache is filled in waitUntil
    const hot = await ask(worker, route, {})
    const hot304 = cold.etag ? await ask(worker, route, { 'If-None-Match': cold.etag }) : null
    results.push({
      name,
      route,
      status: cold.status,
      coldOps: cold.ops,
      coldKeys: cold.keys,
      cold304Status: cold304?.status ?? null,
      cold304Ops: cold304?.ops ?? null,
      hotOps: hot.ops,
      hot304Ops: hot304?.ops ?? null,
      coldMs: median(times),
      bytes: cold.bytes,
    })
  }
  return results
}
