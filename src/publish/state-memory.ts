// Where the CLIs keep the last publish's state memory (incremental-state.ts) between runs: one file
// per target beside the load cache, valid only while KV's manifest is byte for byte the one that
// publish left, and only for the same layout code, site and rendering. With it, a run with one
// changed file lays out and hashes the lists and related links that file touches, not the archive.
import { readFile, mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import * as z from 'zod/mini'
import { StoredArticle } from '../model/article'
import { articleKey } from '../model/keys'
import type { ListRef } from '../model/keys'
import { readValues } from './live-state'
import { sha256Hex as sha256, type StateKeeper } from './pipeline'
import { sourceHash } from './source-hash'
import type { KvTarget } from './targets/kv-target'

/** Beside the load cache (node_modules/.cache is ignored by git and safe to delete). */
export const STATE_MEMORY_DIR = 'node_modules/.cache/sahifa/state'

/** More changed articles than this, and the whole state is built: reading each old version costs more. */
const MAX_RECALLED = 500

const StoredMemory = z.object({
  version: z.literal(1),
  /** The layout code (src/model, src/publish) and the run's settings (pipeline.ts's context). */
  context: z.string(),
  /** SHA-256 of KV's manifest as the publish left it. */
  manifest: z.string(),
  at: z.number(),
  sitemaps: z.optional(z.object({ keys: z.array(z.string()), published: z.number() })),
  /** [head key, list, chunk signatures] */
  lists: z.array(z.tuple([z.string(), z.unknown(), z.array(z.string())])),
})

/** The state memory of the CLI's publishes to `target`, in `dir`. */
export function diskStateKeeper(target: KvTarget, dir: string = STATE_MEMORY_DIR): StateKeeper {
  const file = join(dir, `${sha256(`${resolve('.')}\0${target.name}`)}.json`)
  const code = sourceHash(['model', 'publish'])
  const contextOf = (context: string) => sha256(`${code}\0${context}`)
  return {
    async recall(manifestRaw, context) {
      if (manifestRaw === null) return undefined
      let parsed
      try {
        parsed = StoredMemory.safeParse(JSON.parse(await readFile(file, 'utf8')))
      } catch {
        // None yet, or unreadable: the whole state is built.
        return undefined
      }
      if (!parsed.success) return undefined
      const stored = parsed.data
      if (stored.context !== contextOf(context) || stored.manifest !== sha256(manifestRaw))
        return undefined
      return {
        at: stored.at,
        ...(stored.sitemaps && { sitemaps: stored.sitemaps }),
        lists: new Map(stored.lists.map(([key, list, chunks]) => [key, { list: list as ListRef, chunks }])),
      }
    },
    async stored(slugs, hashes) {
      if (slugs.length > MAX_RECALLED) return undefined
      const keys = slugs.map(articleKey)
      const values = await readValues(target, keys)
      const articles = new Map<string, StoredArticle>()
      for (const [i, slug] of slugs.entries()) {
        const value = values.get(keys[i]!)
        // Not what the manifest says KV holds: build the whole state rather than guess.
        if (value == null || sha256(value) !== hashes[keys[i]!]) return undefined
        const article = StoredArticle.safeParse(JSON.parse(value))
        if (!article.success) return undefined
        articles.set(slug, article.data)
      }
      return articles
    },
    async keep(memory, manifestRaw, context) {
      const stored: z.infer<typeof StoredMemory> = {
        version: 1,
        context: contextOf(context),
        manifest: sha256(manifestRaw),
        at: memory.at,
        ...(memory.sitemaps && { sitemaps: memory.sitemaps }),
        lists: [...memory.lists].map(([key, { list, chunks }]) => [key, list, chunks]),
      }
      await mkdir(dirname(file), { recursive: true })
      const temporary = `${file}.${process.pid}.tmp`
      await writeFile(temporary, JSON.stringify(stored))
      await rename(temporary, file)
    },
  }
}
