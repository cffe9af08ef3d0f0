// The benchmark worker (never deployed): the real app behind a KV binding that logs reads, plus
// /__bench/* endpoints that time the real renderers, the `feed` reference and whole cold requests
// inside workerd, and seed KV in bulk.
import type { Bindings } from '../src/worker/env'
import app from '../src/worker/index'
import { ListHead } from '../src/model/list-layout'
import { SITE_LIST, listHeadKey } from '../src/model/keys'
import { feedContentHtml, type FeedDocument } from '../src/worker/render/feed'
import { cdata, xml } from '../src/worker/render/xml'
import { renderAtom } from '../src/worker/render/atom'
import { renderJsonFeed } from '../src/worker/render/json-feed'
import { renderRss } from '../src/worker/render/rss'
import { strongEtag } from '../src/worker/http'
import { parseSiteConfig } from '../src/model/site'
import { buildState } from '../src/publish/desired-state'
import { loggedKv } from '../tools/harness/kv-call-log'
import { storedArticle } from './data'
import { renderHome } from './home-page'
import { renderWithFeedPackage, type FeedFormat } from './feed-reference'

/** The bench worker gets the app's bindings (wrangler.toml's vars and the namespace). */
type Env = Bindings

/** A KV binding served from memory: whole requests without I/O, so their time is CPU. */
function memoryKv(values: ReadonlyMap<string, string>): KVNamespace {
  const get = async (key: string | string[]) =>
    Array.isArray(key)
      ? new Map(key.map((k) => [k, values.get(k) ?? null]))
      : (values.get(key) ?? null)
  return { get } as unknown as KVNamespace
}

const liveValues = new Map<string, string | null>()
const liveBytes = new Map<string, ArrayBuffer | null>()
/** The worker's KV, each key read once (as text or as bytes) and then answered from memory (null included). */
function readThrough(kv: KVNamespace): KVNamespace {
  const one = async (key: string) => {
    if (!liveValues.has(key)) liveValues.set(key, await kv.get(key))
    return liveValues.get(key)!
  }
  const bytes = async (key: string) => {
    if (!liveBytes.has(key)) liveBytes.set(key, await kv.get(key, 'arrayBuffer'))
    return liveBytes.get(key)!
  }
  const get = async (key: string | string[], type?: string) =>
    Array.isArray(key)
      ? new Map(await Promise.all(key.map(async (k) => [k, await one(k)] as const)))
      : type === 'arrayBuffer'
        ? bytes(key)
        : one(key)
  return { get } as unknown as KVNamespace
}

const SITE_ARTICLES = 200
/** When the in-memory site is laid out and its feeds rendered: after every generated article. */
const SITE_NOW = Date.parse('2026-06-01T00:00:00Z')
let memoryState: Map<string, string> | undefined
function memoryValues(host: string): Map<string, string> {
  if (!memoryState) {
    const articles = Array.from({ length: SITE_ARTICLES }, (_, i) =>
      storedArticle(i, SITE_ARTICLES, host),
    )
    const state = buildState(articles, SITE_NOW)
    memoryState = new Map(
      [...state.articles, ...state.chunks, ...state.heads].map((e) => [e.key, e.value]),
    )
  }
  return memoryState
}

const documents = new Map<string, FeedDocument>()
function feedDocumentOf(env: Env, n: number): FeedDocument {
  let doc = documents.get(String(n))
  if (!doc) {
    const site = parseSiteConfig(env)
    const head = ListHead.parse(
      JSON.parse(memoryValues(new URL(site.url).hostname).get(listHeadKey(SITE_LIST))!),
    )
    doc = {
      site,
      title: site.title,
      description: site.description,
      id: `${site.url}/`,
      links: {
        self: `${site.url}/rss.xml`,
        alternate: `${site.url}/`,
        next: `${site.url}/rss.xml?page=2`,
      },
      hubs: site.hubs,
      articles: head.articles.slice(-n).reverse(),
      now: SITE_NOW,
    }
    documents.set(String(n), doc)
  }
  return doc
}

const RENDERERS: Record<FeedFormat, (doc: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
}

/** Run `task` `iters` times; the time inside the isolate (local workerd lets timers advance). */
async function timed(iters: number, task: () => unknown) {
  let bytes = 0
  const start = performance.now()
  for (let i = 0; i < iters; i++) {
    const out = await task()
    if (typeof out === 'string') bytes = out.length
    else if (typeof out === 'number') bytes = out
  }
  return Response.json({ iters, ms: performance.now() - start, bytes })
}

const noCtx = {
  waitUntil() {},
  passThroughOnException() {},
  props: {},
} as unknown as ExecutionContext

async function bench(url: URL, env: Env, ctx: ExecutionContext): Promise<Response> {
  const q = url.searchParams
  const iters = Number(q.get('iters') ?? 1)
  const n = Number(q.get('n') ?? 50)
  switch (url.pathname) {
    case '/__bench/render': {
      const doc = feedDocumentOf(env, n)
      if (q.get('format') === 'home') return timed(iters, () => renderHome(doc.site, doc.articles))
      const format = q.get('format') as FeedFormat
      const render =
        q.get('impl') === 'feed'
          ? () => renderWithFeedPackage(doc, format)
          : () => RENDERERS[format](doc)
      return timed(iters, render)
    }
    case '/__bench/decode': {
      // What a cold request does before rendering: parse and validate the list head.
      const raw = memoryValues(new URL(parseSiteConfig(env).url).hostname).get(
        listHeadKey(SITE_LIST),
      )!
      return timed(
        iters,
        () =>
          (q.get('zod') === 'off' ? JSON.parse(raw) : ListHead.parse(JSON.parse(raw))) &&
          raw.length,
      )
    }
    case '/__bench/escape': {
      // Where RSS/Atom time went: the items' content HTML through the entity escaper `xml()`, and
      // through `cdata()`, which the renderers use for it since 2504c9d.
      const doc = feedDocumentOf(env, n)
      const contents = doc.articles.map((article) => feedContentHtml(article, doc))
      const escape = q.get('mode') === 'cdata' ? cdata : xml
      return timed(iters, () => contents.reduce((size, html) => size + escape(html).length, 0))
    }
    case '/__bench/etag': {
      // The validator every cold response computes: SHA-256 over the UTF-8 body.
      const body = RENDERERS.rss(feedDocumentOf(env, n))
      const bytes = new TextEncoder().encode(body).length
      return timed(iters, async () =>
        q.get('step') === 'encode'
          ? new TextEncoder().encode(body).length
          : (await strongEtag(new TextEncoder().encode(body)), bytes),
      )
    }
    case '/__bench/route': {
      // A whole cold request (edge cache off) through the real app, KV served from memory: the
      // generated in-memory site, or (kv=live) the keys of this worker's KV as the route reads
      // them, each fetched once and then answered from memory.
      const live = q.get('kv') === 'live'
      const routeEnv = {
        ...env,
        ...(live ? {} : { FEED_SIZE: String(n) }),
        EDGE_CACHE: 'off',
        ARTICLES: live
          ? readThrough(env.ARTICLES)
          : memoryKv(memoryValues(new URL(parseSiteConfig(env).url).hostname)),
      }
      const expected = Number(q.get('status') ?? 200)
      const request = new Request(new URL(q.get('path') ?? '/', url.origin))
      return timed(iters, async () => {
        const response = await app.fetch(request, routeEnv, noCtx)
        // Another status (a 503, a 404 for a page that should exist) would time the wrong thing.
        if (response.status !== expected)
          throw new Error(`${request.url}: HTTP ${response.status}, expected ${expected}`)
        return (await response.arrayBuffer()).byteLength
      })
    }
    case '/__bench/seed': {
      return new Response('POST only', { status: 405 })
    }
  }
  void ctx
  return new Response('unknown bench endpoint', { status: 404 })
}

/** One batch from bench/steps/seed.ts, all in flight at once as the local target's writer does. */
async function seed(request: Request, env: Env): Promise<Response> {
  const entries = (await request.json()) as { key: string; value: string }[]
  await Promise.all(entries.map((entry) => env.ARTICLES.put(entry.key, entry.value)))
  return Response.json({ written: entries.length })
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/__bench/seed' && request.method === 'POST') return seed(request, env)
    // The readiness probe: must not go through the app, whose edge cache would keep an empty page.
    if (url.pathname === '/__bench/ping') return new Response('ok')
    if (url.pathname.startsWith('/__bench/')) return bench(url, env, ctx)
    const logged = loggedKv(env.ARTICLES)
    const cacheOff = request.headers.get('x-bench-edge-cache') === 'off'
    const appEnv = { ...env, ARTICLES: logged.kv, ...(cacheOff ? { EDGE_CACHE: 'off' } : {}) }
    const response = await app.fetch(request, appEnv, ctx)
    // Reads counted as operations (a bulk get is one) and as keys; anything else is named.
    const reads = logged.calls.filter((call) => call.read)
    const other = logged.calls.filter((call) => !call.read).map((call) => call.method)
    const counted = new Response(response.body, response)
    counted.headers.set('x-bench-kv-ops', String(reads.length))
    counted.headers.set(
      'x-bench-kv-keys',
      String(reads.reduce((n, call) => n + call.keys.length, 0)),
    )
    if (other.length > 0) counted.headers.set('x-bench-kv-other', other.join(','))
    return counted
  },
}
