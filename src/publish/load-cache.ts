// Publish steps 1–5, in front: what each article file loaded to last time, kept on disk by path and
// checked by the file's stat signature, then by its content hash — so an unchanged file is not
// read, parsed, rendered, sanitised or checked again. The key covers the publisher's own source,
// the libraries that render and parse, and the site's settings: a change to any of them misses.
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import * as z from 'zod/mini'
import type { SiteConfig } from '../model/site'
import { INPUT_LIMITS } from './input-limits'
import type { FileLoad } from './load-articles'
import { packageVersion } from './package-version'
import { parseArticleFile, type Locate } from './parse-article'

/** Where the CLIs keep the cache (node_modules/.cache is ignored by git and safe to delete). */
export const LOAD_CACHE_DIR = 'node_modules/.cache/sahifa/loads'

/** The source of every module a file's load runs through (src/model, src/publish). */
function engineSources(): string[] {
  return [new URL('../model/', import.meta.url), new URL('./', import.meta.url)].flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => readFileSync(new URL(name, folder), 'utf8')),
  )
}

let engineVersion: string | undefined
/** A hash of the publisher's code and of the libraries that parse, render and sanitise. */
function engine(): string {
  if (engineVersion !== undefined) return engineVersion
  const hash = createHash('sha256')
  for (const source of engineSources()) hash.update(source).update('\0')
  const libraries = ['markdown-it', 'sanitize-html', 'htmlparser2', 'yaml', 'jsonc-parser', 'zod']
  hash.update(libraries.map((name) => `${name}@${packageVersion(name)}`).join())
  return (engineVersion = hash.digest('hex'))
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** What a cache entry holds: the load as it was, without its locator (rebuilt on demand). */
const CachedEntry = z.object({
  version: z.literal(1),
  /** Size, mtime, ctime and inode: equal means the file was not written since. */
  signature: z.string(),
  contentHash: z.string(),
  /** The engine, the site, the options, the file's path and shown name (cacheKey). */
  key: z.string(),
  /** The FileLoad minus `locate`, and the date problems (they depend on the publish time). */
  load: z.looseObject({ file: z.string(), path: z.string(), problems: z.array(z.unknown()) }),
})
type CachedEntry = z.infer<typeof CachedEntry>

export interface LoadCacheOptions {
  site: SiteConfig
  /** Whether drafts are rendered too (a watch session's previews): their loads differ. */
  prepareDrafts: boolean
  /** The code that loads (default: a hash of src/model, src/publish and the parsing libraries). */
  engine?: string
}

/**
 * Re-parses the file when a problem must be placed: a cached load keeps no parse tree in memory.
 * The file must still hash as it did; if it changed since, the place is unknown.
 */
export function lazyLocate(path: string, file: string, contentHash: string): Locate {
  let locate: Locate | undefined
  return (at) => {
    if (!locate) {
      let raw: string | undefined
      try {
        raw = readFileSync(path, 'utf8')
      } catch {
        raw = undefined
      }
      locate =
        raw !== undefined && sha256(raw) === contentHash
          ? parseArticleFile(file, raw).locate
          : () => ({})
    }
    return locate(at)
  }
}

const signatureOf = (info: { size: number; mtimeMs: number; ctimeMs: number; ino: number }) =>
  `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`

/** A load as stored: everything but the functions (links, problems and articles are plain data). */
function storedLoad(load: FileLoad): CachedEntry['load'] {
  const { loaded, ...rest } = load
  const stored: Record<string, unknown> = { ...rest, media: undefined, photoPaths: undefined }
  if (loaded) {
    const { locate: _locate, ...data } = loaded
    stored.loaded = data
  }
  return JSON.parse(JSON.stringify(stored)) as CachedEntry['load']
}

export interface LoadCache {
  /** The cached load of `path` when its stat signature is unchanged (no byte of it read). */
  byStat(path: string, file: string): Promise<FileLoad | undefined>
  /** The cached load for the text just read, when the file was only touched, not changed. */
  byContent(path: string, file: string, raw: string): Promise<FileLoad | undefined>
  /**
   * Keeps a fresh load of the text `raw`. Before it first waits, it gives the load a locator that
   * holds no parse tree (and its value's hash): the same object, ready to use while it is written.
   */
  store(load: FileLoad, raw: string): Promise<FileLoad>
  /** Loads served from the cache and loads stored in this run. */
  readonly counts: { hits: number; stored: number }
}

/** The cache of file loads in `dir`, for loads made with `options`. */
export function loadCache(options: LoadCacheOptions, dir: string = LOAD_CACHE_DIR): LoadCache {
  const drafts = options.prepareDrafts ? 'drafts' : ''
  const context = sha256(`${options.engine ?? engine()}\0${JSON.stringify(options.site)}\0${drafts}`)
  const keyOf = (path: string, file: string) => sha256(`${context}\0${resolve(path)}\0${file}`)
  const entryFile = (path: string) => {
    const name = sha256(resolve(path))
    return join(dir, name.slice(0, 2), `${name}.json`)
  }
  const counts = { hits: 0, stored: 0 }
  /**
   * Signatures taken in this run before the file was read, by path (a file written during the read
   * then differs next time), with the entry found under an older signature.
   */
  const pending = new Map<string, { signature: string; entry?: CachedEntry | undefined }>()

  // Synchronous: for 100,000 small files one system call each beats a round trip through libuv's
  // thread pool (open, stat, read, close) — the cache's whole point is that a hit costs little.
  function signature(path: string): string | undefined {
    const info = lstatSync(path, { throwIfNoEntry: false })
    // Regular files only: a symbolic link or anything else goes through every check again.
    if (!info?.isFile() || info.size > INPUT_LIMITS.fileBytes) return undefined
    return signatureOf(info)
  }

  function readEntry(path: string, file: string): CachedEntry | undefined {
    let text: string
    try {
      text = readFileSync(entryFile(path), 'utf8')
    } catch {
      // No entry yet (or an unreadable one): the file is loaded anew.
      return undefined
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return undefined
    }
    // An entry of another shape, engine, site or file is never trusted: the file is loaded anew.
    const parsed = CachedEntry.safeParse(json)
    if (!parsed.success || parsed.data.key !== keyOf(path, file)) return undefined
    return parsed.data
  }

  function restore(path: string, file: string, entry: CachedEntry): FileLoad {
    counts.hits++
    const load = entry.load as unknown as FileLoad
    if (load.loaded) load.loaded.locate = lazyLocate(path, file, entry.contentHash)
    return load
  }

  /** Sub-folders made in this run (256 at most): one mkdir each, not one per entry. */
  const folders = new Set<string>()
  async function write(path: string, entry: CachedEntry) {
    const target = entryFile(path)
    if (!folders.has(dirname(target))) {
      await mkdir(dirname(target), { recursive: true })
      folders.add(dirname(target))
    }
    const temporary = `${target}.${process.pid}.tmp`
    await writeFile(temporary, JSON.stringify(entry))
    await rename(temporary, target)
  }

  return {
    counts,
    async byStat(path, file) {
      const now = signature(path)
      if (now === undefined) return undefined
      const entry = readEntry(path, file)
      if (entry?.signature === now) return restore(path, file, entry)
      pending.set(resolve(path), { signature: now, entry })
      return undefined
    },
    async byContent(path, file, raw) {
      const seen = pending.get(resolve(path))
      if (!seen?.entry || seen.entry.contentHash !== sha256(raw)) return undefined
      pending.delete(resolve(path))
      // Touched, not changed: the same load, under the file's new signature.
      const entry = { ...seen.entry, signature: seen.signature }
      await write(path, entry)
      return restore(path, file, entry)
    },
    async store(load, raw) {
      const { path, file } = load
      const contentHash = sha256(raw)
      if (load.loaded) load.loaded.locate = lazyLocate(path, file, contentHash)
      // Photo files change apart from the article: an article naming one is prepared every run
      // (its variants come from the photo cache).
      if ((load.photoPaths?.length ?? 0) > 0 || (load.media?.size ?? 0) > 0) return load
      const now = pending.get(resolve(path))?.signature
      pending.delete(resolve(path))
      if (now === undefined) return load
      // A hit's article is this one through JSON and back: the same value, the same hash.
      if (load.loaded) load.loaded.valueHash = sha256(JSON.stringify(load.loaded.article))
      await write(path, {
        version: 1,
        signature: now,
        contentHash,
        key: keyOf(path, file),
        load: storedLoad(load),
      })
      counts.stored++
      return load
    },
  }
}
