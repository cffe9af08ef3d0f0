// Request step 4: every KV read the worker makes. Values are validated against the
// schema on the way in: absent is null, corrupt throws a StoreError naming the key.
import * as z from 'zod/mini'
import { Gone, Redirect, RelatedArticle, StoredArticle } from '../model/article'
import {
  articleKey,
  goneKey,
  LATEST_KEY,
  listChunkKey,
  listHeadKey,
  listIndexKey,
  redirectKey,
  relatedKey,
  SITEMAP_INDEX_KEY,
  SITEMAP_LISTS_KEY,
  sitemapPageKey,
  type ListRef,
} from '../model/keys'
import {
  articlesInWindow,
  CHUNK_SIZE,
  chunksForWindow,
  IndexTeaser,
  Latest,
  ListChunk,
  ListHead,
  ListIndex,
  pageWindow,
  Teaser,
  type ListTop,
  type PageWindow,
} from '../model/list-layout'

import { SitemapIndex, SitemapLists, SitemapPage, type SitemapEntry } from '../model/sitemap-layout'
import { STORED_HEAD_END, StoredResponseHead } from '../model/stored-response'

const RelatedArticles = z.array(RelatedArticle)

/**
 * The part of a KV binding the worker reads through: one key, or several in one bulk get.
 * `KVNamespace` satisfies it; so does `RecordingReader`, which the edge cache puts in front.
 */
export interface KvReader {
  get(key: string, type: 'text'): Promise<string | null>
  get(keys: string[], type: 'text'): Promise<Map<string, string | null>>
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>
}

/**
 * A KvReader that remembers every key asked for, found or not, so the edge cache can tag the
 * response with what it was made from (a 404 depends on the key it did not find, too).
 */
export class RecordingReader implements KvReader {
  readonly keys = new Set<string>()

  constructor(private readonly kv: KvReader) {}

  get(key: string, type: 'text'): Promise<string | null>
  get(keys: string[], type: 'text'): Promise<Map<string, string | null>>
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>
  get(keys: string | string[], type: 'text' | 'arrayBuffer') {
    for (const key of [keys].flat()) this.keys.add(key)
    if (typeof keys !== 'string') return this.kv.get(keys, 'text')
    return type === 'arrayBuffer' ? this.kv.get(keys, 'arrayBuffer') : this.kv.get(keys, 'text')
  }
}

export class StoreError extends Error {
  constructor(
    readonly key: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`KV ${key}: ${message}`, options)
    this.name = 'StoreError'
  }
}

function decode<T extends z.ZodMiniType>(key: string, raw: string, schema: T): z.output<T> {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (cause) {
    throw new StoreError(key, 'value is not JSON', { cause })
  }
  const result = schema.safeParse(json)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new StoreError(key, `value does not match the schema: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  return result.data
}

/**
 * How long one KV operation may take before the request answers 503 rather than waiting on. KV
 * answers in milliseconds (a cold read from a distant region in well under a second); a read
 * this slow is an outage, and a feed reader retries after Retry-After.
 */
export const KV_TIMEOUT_MS = 3_000

/** A KV operation that throws or outlasts KV_TIMEOUT_MS, as a StoreError naming the key(s). */
async function guarded<T>(key: string, operation: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(key, `no answer within ${KV_TIMEOUT_MS} ms`)), KV_TIMEOUT_MS)
  })
  try {
    return await Promise.race([operation(), deadline])
  } catch (cause) {
    throw cause instanceof StoreError ? cause : new StoreError(key, 'read failed', { cause })
  } finally {
    clearTimeout(timer)
  }
}

async function read<T extends z.ZodMiniType>(kv: KvReader, key: string, schema: T) {
  const raw = await guarded(key, () => kv.get(key, 'text'))
  return raw === null ? null : decode(key, raw, schema)
}

/** Several keys in one KV operation (bulk get), each decoded with its schema; absent ones null. */
async function readMany<T extends readonly { key: string; schema: z.ZodMiniType }[]>(
  kv: KvReader,
  reads: T,
): Promise<{ [I in keyof T]: z.output<T[I]['schema']> | null }> {
  const keys = reads.map((read) => read.key)
  const values = await guarded(keys.join(', '), () => kv.get(keys, 'text'))
  return reads.map(({ key, schema }) => {
    const raw = values.get(key)
    return raw == null ? null : decode(key, raw, schema)
  }) as { [I in keyof T]: z.output<T[I]['schema']> | null }
}

/** The chunks of `list` numbered `numbers`, each read as `schema`, in one bulk read; all must exist. */
async function readChunks<S extends z.ZodMiniType>(
  kv: KvReader,
  list: ListRef,
  numbers: readonly number[],
  schema: S,
): Promise<Map<number, z.output<S>>> {
  const chunks = new Map<number, z.output<S>>()
  if (numbers.length === 0) return chunks
  const values = await readMany(kv, numbers.map((chunk) => ({ key: listChunkKey(list, chunk), schema })))
  numbers.forEach((chunk, i) => {
    const value = values[i]
    if (!value) throw new StoreError(listChunkKey(list, chunk), 'chunk named by the list head is missing')
    chunks.set(chunk, value)
  })
  return chunks
}

const HEAD_END_BYTE = STORED_HEAD_END.charCodeAt(0)

/**
 * A response the publisher rendered (src/model/stored-response.ts), its bytes as KV holds them —
 * never decoded or encoded again — after its head line; null when the key is absent.
 */
export async function getStoredResponse(
  kv: KvReader,
  key: string,
): Promise<{ head: StoredResponseHead; body: Uint8Array } | null> {
  const raw = await guarded(key, () => kv.get(key, 'arrayBuffer'))
  if (raw === null) return null
  const bytes = new Uint8Array(raw)
  const end = bytes.indexOf(HEAD_END_BYTE)
  if (end < 0) throw new StoreError(key, 'stored response has no head line')
  const head = decode(key, new TextDecoder().decode(bytes.subarray(0, end)), StoredResponseHead)
  return { head, body: bytes.subarray(end + 1) }
}

export const getListHead = (kv: KvReader, list: ListRef) =>
  read(kv, listHeadKey(list), ListHead)

/**
 * Everything an article page needs, in one KV operation: the article, what its slug may have
 * become instead (renamed: redirect; unpublished: gone), its related articles and the site's
 * latest (the latest-news box and the masthead) — so a missing article costs no extra read.
 */
export async function getArticlePage(kv: KvReader, slug: string) {
  const [article, redirect, gone, related, latest] = await readMany(kv, [
    { key: articleKey(slug), schema: StoredArticle },
    { key: redirectKey(slug), schema: Redirect },
    { key: goneKey(slug), schema: Gone },
    { key: relatedKey(slug), schema: RelatedArticles },
    { key: LATEST_KEY, schema: Latest },
  ] as const)
  return { article, redirect, gone, related: related ?? [], latest }
}

export const getSitemapIndex = (kv: KvReader) => read(kv, SITEMAP_INDEX_KEY, SitemapIndex)
export const getSitemapPage = (kv: KvReader, page: number) => read(kv, sitemapPageKey(page), SitemapPage)
export const getSitemapLists = (kv: KvReader) => read(kv, SITEMAP_LISTS_KEY, SitemapLists)

/** The index and its newest two pages (where recent articles are), in two KV operations. */
export async function getRecentSitemapEntries(kv: KvReader): Promise<SitemapEntry[]> {
  const index = await getSitemapIndex(kv)
  if (!index || index.pages.length === 0) return []
  const last = index.pages.length - 1
  const pages = last === 0 ? [0] : [last - 1, last]
  const values = await readMany(
    kv,
    pages.map((page) => ({ key: sitemapPageKey(page), schema: SitemapPage })),
  )
  return values.flatMap((page) => page ?? [])
}

/** A list's head (bodies in full) or its index (the same articles as teasers with authors). */
export type HeadOrIndex = ListHead | ListIndex

export interface ListPage<Top extends HeadOrIndex = HeadOrIndex> {
  head: Top
  /** The site's latest articles (masthead, latest box), when asked for; null before a publish wrote them. */
  latest?: Latest | null
  window: PageWindow
  /** Newest first: from the head or index, as teasers past it. */
  articles: (Top['articles'][number] | Teaser)[]
}

/**
 * The list's index, or its head where no index is stored yet (KV written by a publish from before
 * indexes: the head holds the same articles, in full).
 */
async function indexOrHead(kv: KvReader, list: ListRef, index: ListIndex | null): Promise<HeadOrIndex | null> {
  return index ?? (await getListHead(kv, list))
}

/** A list's index (its head without bodies): one KV read. */
export const getListIndex = async (kv: KvReader, list: ListRef) =>
  indexOrHead(kv, list, await read(kv, listIndexKey(list), ListIndex))

/** Page `page` of the list whose head or index is `top`, with the chunks it needs read. */
async function pageOf<Top extends HeadOrIndex>(
  kv: KvReader,
  list: ListRef,
  top: Top,
  page: number,
  pageSize: number,
  now: number,
): Promise<ListPage<Top> | null> {
  const window = pageWindow(top, page, pageSize, now)
  if (!window) return null
  const chunkNumbers = chunksForWindow(top, window)
  const chunks = await readChunks(kv, list, chunkNumbers, ListChunk)
  const articles: (Top['articles'][number] | Teaser)[] = articlesInWindow<Top['articles'][number]>(top, window, chunks)
  return { head: top, window, articles }
}

/**
 * Page `page` of a list as visible at `now`, from its index: null when the list does not exist or
 * the page is past its end. One KV read for the first page; the index plus one bulk read for any
 * other. With `withLatest`, the site's latest articles (for the masthead) come in the same first read.
 */
export async function getListPage(
  kv: KvReader,
  list: ListRef,
  page: number,
  pageSize: number,
  now: number,
  { withLatest = false }: { withLatest?: boolean } = {},
): Promise<ListPage | null> {
  const [index, latest] = withLatest
    ? await readMany(kv, [
        { key: listIndexKey(list), schema: ListIndex },
        { key: LATEST_KEY, schema: Latest },
      ] as const)
    : [await read(kv, listIndexKey(list), ListIndex), undefined]
  const top = await indexOrHead(kv, list, index)
  if (!top) return null
  const listPage = await pageOf(kv, list, top, page, pageSize, now)
  return listPage && { ...listPage, ...(withLatest ? { latest } : {}) }
}

/**
 * What a feed page past the first reads of a list's index and chunks: which articles are on the
 * page, and when they go live — nothing it renders. Everything rendered comes from each article's
 * own key, validated in full against StoredArticle. So the index is checked for the fields paging
 * computes with (counts, and each article's publication date, which Date.parse must understand)
 * and each chunk for its slugs; a teaser's title or photo, which only the list's HTML pages show
 * (and validate in full), is not checked here. Skipping it halves the CPU of these reads (zod
 * checks a chunk's 50 teasers field by field); a value that is not JSON, or a slug or date that is
 * malformed, is still a StoreError, as is an article a slug names that is missing or corrupt.
 * `z.object` drops the fields it does not name, so new fields in the layout still read.
 */
const FeedIndex = z.object({
  name: ListIndex.shape.name,
  count: ListIndex.shape.count,
  start: ListIndex.shape.start,
  articles: z.array(z.pick(IndexTeaser, { slug: true, publishedAt: true })),
})
type FeedIndex = z.output<typeof FeedIndex>
const ChunkSlugs = z.array(z.pick(Teaser, { slug: true }))
type Named = z.output<typeof ChunkSlugs>[number]

const isFull = (article: StoredArticle | Named): article is StoredArticle => 'html' in article

/**
 * The window's articles newest first — in full where the head holds them, else only their slugs
 * — from the top (head or index) and the chunks chunksForWindow named: articlesInWindow's walk,
 * over chunks read as slugs.
 */
function windowEntries<A extends ListTop['articles'][number]>(
  list: ListRef,
  top: ListTop<A>,
  window: PageWindow,
  chunks: ReadonlyMap<number, readonly Named[]>,
): (A | Named)[] {
  const picked: (A | Named)[] = []
  for (let ordinal = window.to - 1; ordinal >= window.from; ordinal--) {
    const chunk = Math.floor(ordinal / CHUNK_SIZE)
    const entry = ordinal >= top.start ? top.articles[ordinal - top.start] : chunks.get(chunk)?.[ordinal % CHUNK_SIZE]
    if (!entry) throw new StoreError(listChunkKey(list, chunk), `list has no article at ordinal ${ordinal}`)
    picked.push(entry)
  }
  return picked
}

/**
 * A page of a list with every article in full, as a feed needs it: the first page from the head
 * alone; a later one from the index (no bodies to decode), its chunks' slugs, and one bulk read of
 * the articles they name (at most a page, under KV's 100 keys a bulk read).
 */
export async function getFeedPage(
  kv: KvReader,
  list: ListRef,
  page: number,
  pageSize: number,
  now: number,
): Promise<{ head: ListTop; window: PageWindow; articles: StoredArticle[] } | null> {
  const top: ListTop<StoredArticle | FeedIndex['articles'][number]> | null =
    page === 1
      ? await getListHead(kv, list)
      : ((await read(kv, listIndexKey(list), FeedIndex)) ?? (await getListHead(kv, list)))
  const window = top && pageWindow(top, page, pageSize, now)
  if (!top || !window) return null
  const chunkNumbers = chunksForWindow(top, window)
  const chunks = await readChunks(kv, list, chunkNumbers, ChunkSlugs)
  const entries = windowEntries(list, top, window, chunks)
  const named = entries.filter((entry) => !isFull(entry))
  if (named.length === 0) return { head: top, window, articles: entries.filter(isFull) }
  const full = await readMany(
    kv,
    named.map((entry) => ({ key: articleKey(entry.slug), schema: StoredArticle })),
  )
  const bySlug = new Map(full.flatMap((article) => (article ? [[article.slug, article] as const] : [])))
  const articles = entries.map((entry) => {
    if (isFull(entry)) return entry
    const found = bySlug.get(entry.slug)
    if (!found) throw new StoreError(articleKey(entry.slug), 'article named by the list is missing')
    return found
  })
  return { head: top, window, articles }
}
