// Step 3 of the data path: every KV read the worker makes. Values are validated against the
// schema on the way in: absent is null, corrupt throws a StoreError naming the key.
import type * as z from 'zod'
import { StoredArticle } from './article'
import { articleKey, listChunkKey, listHeadKey, type ListRef } from './keys'
import {
  articlesInWindow,
  chunksForWindow,
  ListChunk,
  ListHead,
  pageWindow,
  type PageWindow,
} from './lists'

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

function decode<T extends z.ZodType>(key: string, raw: string, schema: T): z.output<T> {
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

async function read<T extends z.ZodType>(kv: KVNamespace, key: string, schema: T) {
  const raw = await kv.get(key, 'text')
  return raw === null ? null : decode(key, raw, schema)
}

export const getArticle = (kv: KVNamespace, slug: string) =>
  read(kv, articleKey(slug), StoredArticle)

export const getListHead = (kv: KVNamespace, list: ListRef) =>
  read(kv, listHeadKey(list), ListHead)

export interface ListPage {
  head: ListHead
  window: PageWindow
  /** Newest first. */
  articles: StoredArticle[]
}

/**
 * Page `page` of a list as visible at `now`: null when the list does not exist or the page is
 * past its end. One KV read for the first page; the head plus one bulk read for any other.
 */
export async function getListPage(
  kv: KVNamespace,
  list: ListRef,
  page: number,
  pageSize: number,
  now: number,
): Promise<ListPage | null> {
  const head = await getListHead(kv, list)
  if (!head) return null
  const window = pageWindow(head, page, pageSize, now)
  if (!window) return null
  const chunkNumbers = chunksForWindow(head, window)
  const chunks = new Map<number, ListChunk>()
  if (chunkNumbers.length > 0) {
    const keys = chunkNumbers.map((chunk) => listChunkKey(list, chunk))
    const values = await kv.get(keys, 'text')
    chunkNumbers.forEach((chunk, i) => {
      const key = keys[i]!
      const raw = values.get(key)
      if (raw == null) throw new StoreError(key, 'chunk named by the list head is missing')
      chunks.set(chunk, decode(key, raw, ListChunk))
    })
  }
  return { head, window, articles: articlesInWindow(head, window, chunks) }
}
