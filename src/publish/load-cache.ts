// Publish steps 1–5, in front: what each article file loaded to last time, kept on disk by path and
// checked by the file's stat signature, then by its content hash — so an unchanged file is not
// read, parsed, rendered, sanitised or checked again. The key covers the publisher's own source,
// the libraries that render and parse, and the site's settings: a change to any of them misses.
// An entry is its load as JSON on one line, then the article's rendered body: a CLI run reads the
// line and leaves the body on disk until something asks for it (the article is written, or is in
// a list's head), so 100,000 bodies are neither read nor held. The CLIs also keep every entry's
// line in one index file, read start to end instead of opening 100,000 entries.
import { createHash } from 'node:crypto'
import { closeSync, lstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import * as z from 'zod/mini'
import type { SiteConfig } from '../model/site'
import { INPUT_LIMITS } from './input-limits'
import type { FileLoad } from './load-articles'
import { knownMediaKeys, mediaKeysOnce } from './media-plan'
import { packageVersion } from './package-version'
import { parseArticleFile, type Locate } from './parse-article'
import { sourceHash } from './source-hash'

/** Where the CLIs keep the cache (node_modules/.cache is ignored by git and safe to delete). */
export const LOAD_CACHE_DIR = 'node_modules/.cache/sahifa/loads'

let engineVersion: string | undefined
/**
 * A hash of the code a file's load runs through (src/model, src/publish) and of the libraries
 * that parse, render and sanitise.
 */
function engine(): string {
  if (engineVersion !== undefined) return engineVersion
  const hash = createHash('sha256').update(sourceHash(['model', 'publish']))
  const libraries = ['markdown-it', 'sanitize-html', 'htmlparser2', 'yaml', 'jsonc-parser', 'zod']
  hash.update(libraries.map((name) => `${name}@${packageVersion(name)}`).join())
  return (engineVersion = hash.digest('hex'))
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * What a cache entry's first line holds: the load as it was, without its locator (rebuilt on
 * demand) and with its article's body left out (it follows the line: `body` says how long it is).
 */
const CachedEntry = z.object({
  version: z.literal(2),
  /** Size, mtime, ctime and inode: equal means the file was not written since. */
  signature: z.string(),
  contentHash: z.string(),
  /** The engine, the site, the options, the file's path and shown name (cacheKey). */
  key: z.string(),
  /** The FileLoad minus `locate`, and the date problems (they depend on the publish time). */
  load: z.looseObject({ file: z.string(), path: z.string(), problems: z.array(z.unknown()) }),
  /**
   * The article's rendered body after the line: its UTF-8 length and SHA-256, and the MEDIA keys it
   * names (the photo plan asks every article, and must not read every body for it).
   */
  body: z.optional(z.object({ bytes: z.number(), hash: z.string(), mediaKeys: z.array(z.string()) })),
})
type CachedEntry = z.infer<typeof CachedEntry>

export interface LoadCacheOptions {
  site: SiteConfig
  /** Whether drafts are rendered too (a watch session's previews): their loads differ. */
  prepareDrafts: boolean
  /** The code that loads (default: a hash of src/model, src/publish and the parsing libraries). */
  engine?: string
  /**
   * Leave each article's body on disk, read whenever it is asked for, also for files loaded anew
   * once their entry is written (a CLI run: one pass, memory that does not grow with the archive).
   * A watch session keeps bodies in memory: it serves the last good version of a file while its
   * entry already holds the newer one.
   */
  bodiesOnDisk?: boolean
}

/** The cache the CLIs publish and check with: drafts not rendered, bodies left on disk. */
export const cliLoadCache = (site: SiteConfig) =>
  loadCache({ site, prepareDrafts: false, bodiesOnDisk: true })

/** A cached body that changed under the run (another publish rewrote the entry): never guessed. */
export class CacheChanged extends Error {
  constructor(file: string) {
    super(`${file}: its cached load changed while this run was using it (another publish?): run the same command again.`)
    this.name = 'CacheChanged'
  }
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

/**
 * A load as stored: everything but the functions (links, problems and articles are plain data),
 * the article's body emptied where it stands (a restored article keeps its keys' order, so it
 * serialises to the same bytes).
 */
function storedLoad(load: FileLoad): CachedEntry['load'] {
  const { loaded, ...rest } = load
  const stored: Record<string, unknown> = { ...rest, media: undefined, photoPaths: undefined }
  if (loaded) {
    const { locate: _locate, ...data } = loaded
    stored.loaded = { ...data, article: { ...data.article, html: '' } }
  }
  return JSON.parse(JSON.stringify(stored)) as CachedEntry['load']
}

/** What each article with its body on disk reads it with. */
const bodyReaders = new WeakMap<object, () => string>()
/** One getter for every such article: one shape for all of them (see bodyOnDisk). */
const HTML_ON_DISK: PropertyDescriptor = {
  get(this: object) {
    return bodyReaders.get(this)!()
  },
  enumerable: true,
  configurable: true,
}

/**
 * A copy of `article` whose `html` is read from disk each time it is asked for (and never kept),
 * its keys in the same order, so it serialises to the same bytes. Made key by key around one
 * shared getter: turning each parsed article's `html` into a getter of its own put every article
 * in dictionary mode, ≈ 0.8 KB more each (a heap snapshot of 10,000 cached loads: 8.6 MB).
 */
function bodyOnDisk<T extends { html: string }>(article: T, read: () => string): T {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(article)) {
    if (key === 'html') Object.defineProperty(copy, key, HTML_ON_DISK)
    else copy[key] = article[key as keyof T]
  }
  bodyReaders.set(copy, read)
  return copy as T
}

/**
 * The first line of an entry file (without its newline) and its length in bytes, read in pieces
 * until it ends. One piece buffer for every entry (the reads are synchronous): 100,000 entries
 * would otherwise allocate 1.6 GB of buffers for the collector.
 */
const LINE_PIECE = 4 * 1024
const piece = Buffer.allocUnsafe(LINE_PIECE)
function readFirstLine(path: string): { text: string; bytes: number } | undefined {
  const fd = openSync(path, 'r')
  try {
    const pieces: Buffer[] = []
    for (let position = 0; ; position += LINE_PIECE) {
      const read = readSync(fd, piece, 0, LINE_PIECE, position)
      const end = piece.subarray(0, read).indexOf(0x0a)
      if (end >= 0) {
        const line = Buffer.concat([...pieces, piece.subarray(0, end)])
        return { text: line.toString('utf8'), bytes: line.length }
      }
      if (read < LINE_PIECE) return undefined
      pieces.push(Buffer.from(piece))
    }
  } finally {
    closeSync(fd)
  }
}

/** `bytes` bytes of `path` from `offset`, as UTF-8, when they still hash to `hash`. */
function readBodyAt(path: string, offset: number, bytes: number, hash: string): string | undefined {
  let text: string
  try {
    const fd = openSync(path, 'r')
    try {
      const buffer = Buffer.allocUnsafe(bytes)
      if (readSync(fd, buffer, 0, bytes, offset) !== bytes) return undefined
      text = buffer.toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
  return sha256(text) === hash ? text : undefined
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
  /**
   * Writes the index of the entries this run met (and of those it did not, as they were), when the
   * cache keeps one (`bodiesOnDisk`): the next run reads their lines from it. Once a run, after its
   * last load: the index read at the start is let go.
   */
  writeIndex(): Promise<void>
  /** Loads served from the cache and loads stored in this run. */
  readonly counts: { hits: number; stored: number }
}

/**
 * Every entry's line by its article file's path, in one file: a run over 100,000 unchanged files
 * reads it at once instead of opening, reading and closing 100,000 entries (at that size seconds
 * of system calls and hashing). The file starts with the cache's context (engine, site, drafts)
 * on a line of its own; then each line is the path as JSON, a tab, and the entry's first line
 * (JSON escapes tabs and line breaks, so neither occurs inside either). It only speeds entries up:
 * a line is used when the file's signature still matches, and the body is still read from the
 * entry, by its hash; a run with other settings starts a new index.
 *
 * A run appends the lines it changed (a later line for a path wins) rather than writing 180 MB
 * again for one edited article at 100,000; the file is written anew once lines no longer read
 * make up a quarter of it.
 */
class EntryIndex {
  private lines = new Map<string, { start: number; end: number }>()
  private bytes: Buffer
  /** Whether the file is an index of this context (else it is written anew). */
  private readonly current: boolean = false
  /** Lines in the file that a later line for the same path replaces. */
  private replaced = 0
  /** The next index: this run's lines by path (a string written anew, or a line kept as it was). */
  private readonly next = new Map<string, string | { start: number; end: number }>()

  constructor(
    private readonly file: string,
    private readonly context: string,
    /** The entry file of an article file, removed with its line once the article file is gone. */
    private readonly entryFile: (path: string) => string,
  ) {
    let bytes: Buffer
    try {
      bytes = readFileSync(file)
    } catch {
      // None yet, or unreadable: the entries are read one by one.
      bytes = Buffer.alloc(0)
    }
    this.bytes = bytes
    const header = Buffer.from(`${context}\n`)
    if (!bytes.subarray(0, header.length).equals(header)) return
    this.current = true
    for (let start = header.length; start < bytes.length; ) {
      let end = bytes.indexOf(0x0a, start)
      if (end < 0) end = bytes.length
      const tab = bytes.indexOf(0x09, start)
      let path: unknown
      try {
        path = tab > start && tab < end ? JSON.parse(bytes.toString('utf8', start, tab)) : undefined
      } catch {
        // A damaged line (a run stopped while appending): that entry is read from its file.
      }
      if (typeof path === 'string') {
        if (this.lines.has(path)) this.replaced++
        this.lines.set(path, { start: tab + 1, end })
      } else {
        this.replaced++
      }
      start = end + 1
    }
  }

  /** The entry line the index holds for `path` (resolved), if any. */
  line(path: string): { text: string; bytes: number } | undefined {
    const at = this.lines.get(path)
    return at && { text: this.bytes.toString('utf8', at.start, at.end), bytes: at.end - at.start }
  }

  /** The next index holds `line` for `path`: the entry's line, or (none given) the one it holds. */
  keep(path: string, line?: string) {
    const kept = line ?? this.lines.get(path)
    if (kept !== undefined) this.next.set(path, kept)
  }

  /**
   * Writes the next index: this run's lines, then the old ones of files it did not meet — by
   * appending the lines that changed, or all of it anew (without the lines of deleted files).
   */
  async write() {
    const changed = [...this.next].filter((line): line is [string, string] => typeof line[1] === 'string')
    const stale = this.replaced + changed.filter(([path]) => this.lines.has(path)).length
    if (this.current && stale * 4 < this.lines.size + changed.length) await this.append(changed)
    else await this.rewrite()
    this.next.clear()
    // Read once per run: its 180 MB at 100,000 articles go back before the run plans and writes.
    this.bytes = Buffer.alloc(0)
    this.lines = new Map()
  }

  private async append(lines: readonly (readonly [string, string])[]) {
    if (lines.length === 0) return
    // After a run that stopped mid-line, the first new line starts a line of its own.
    const pieces = this.bytes.at(-1) === 0x0a ? [] : [NEWLINE]
    for (const [path, line] of lines) pieces.push(Buffer.from(`${JSON.stringify(path)}\t${line}\n`))
    await appendFile(this.file, Buffer.concat(pieces))
  }

  private async rewrite() {
    // A run may go over some files only (`articles:check one.json`): the others keep their lines,
    // unless their file is gone. Else a deleted article's line and entry would stay for good.
    const gone: string[] = []
    for (const [path, at] of this.lines) {
      if (this.next.has(path)) continue
      if (lstatSync(path, { throwIfNoEntry: false })) this.next.set(path, at)
      else gone.push(path)
    }
    await mkdir(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.${process.pid}.tmp`
    const fd = openSync(temporary, 'w')
    try {
      // In pieces of about a megabyte: 100,000 lines in a few hundred writes.
      let pieces: Buffer[] = [Buffer.from(`${this.context}\n`)]
      let size = 0
      const flush = () => {
        writeSync(fd, Buffer.concat(pieces))
        pieces = []
        size = 0
      }
      for (const [path, line] of this.next) {
        const bytes = typeof line === 'string' ? Buffer.from(line) : this.bytes.subarray(line.start, line.end)
        pieces.push(Buffer.from(`${JSON.stringify(path)}\t`), bytes, NEWLINE)
        size += bytes.length
        if (size > 1024 * 1024) flush()
      }
      flush()
    } finally {
      closeSync(fd)
    }
    await rename(temporary, this.file)
    await Promise.all(gone.map((path) => rm(this.entryFile(path), { force: true })))
  }
}

const NEWLINE = Buffer.from('\n')

/**
 * Whether an index line's JSON is an entry for the file shown as `file` — by hand, not by
 * CachedEntry: the index is this cache's own, made for this context, and 100,000 schema checks
 * would cost more than the reads the index saves.
 */
function isIndexedEntry(json: unknown, file: string): json is CachedEntry {
  const entry = json as Partial<CachedEntry> | null
  return (
    typeof entry === 'object' &&
    entry !== null &&
    entry.version === 2 &&
    typeof entry.signature === 'string' &&
    typeof entry.contentHash === 'string' &&
    typeof entry.load === 'object' &&
    entry.load !== null &&
    entry.load.file === file &&
    Array.isArray(entry.load.problems) &&
    (entry.body === undefined || typeof entry.body?.bytes === 'number')
  )
}

/** The cache of file loads in `dir`, for loads made with `options`. */
export function loadCache(options: LoadCacheOptions, dir: string = LOAD_CACHE_DIR): LoadCache {
  const drafts = options.prepareDrafts ? 'drafts' : ''
  const context = sha256(`${options.engine ?? engine()}\0${JSON.stringify(options.site)}\0${drafts}`)
  const keyOf = (path: string, file: string) => sha256(`${context}\0${resolve(path)}\0${file}`)
  // A watch session's loads (drafts rendered) and a CLI's apart: each run never rewrites the
  // entries the other is reading bodies from.
  const entryFile = (path: string) => {
    const name = sha256(resolve(path))
    return join(dir, name.slice(0, 2), `${name}${drafts ? '.drafts' : ''}.entry`)
  }
  const counts = { hits: 0, stored: 0 }
  // The CLIs' runs (bodies on disk) go over every file: they keep the index. A watch session
  // loads a few files per save, from its own entries.
  const index = options.bodiesOnDisk
    ? new EntryIndex(join(dir, 'index', `entries${drafts ? '.drafts' : ''}.lines`), context, entryFile)
    : undefined
  /**
   * Signatures taken in this run before the file was read, by path (a file written during the read
   * then differs next time), with the entry found under an older signature.
   */
  const pending = new Map<string, { signature: string; entry?: Found | undefined }>()

  // Synchronous: for 100,000 small files one system call each beats a round trip through libuv's
  // thread pool (open, stat, read, close) — the cache's whole point is that a hit costs little.
  function signature(path: string): string | undefined {
    const info = lstatSync(path, { throwIfNoEntry: false })
    // Regular files only: a symbolic link or anything else goes through every check again.
    if (!info?.isFile() || info.size > INPUT_LIMITS.fileBytes) return undefined
    return signatureOf(info)
  }

  /** An entry's line (its text, when it was read or written as a whole), and where its body starts. */
  interface Found {
    entry: CachedEntry
    bodyOffset: number
    text?: string
  }

  /** The entry for `path` (resolved) as the index holds it, if it does. */
  function indexedEntry(path: string, file: string): Found | undefined {
    const line = index?.line(path)
    if (!line) return undefined
    let json: unknown
    try {
      json = JSON.parse(line.text)
    } catch {
      return undefined
    }
    return isIndexedEntry(json, file) ? { entry: json, bodyOffset: line.bytes + 1 } : undefined
  }

  function readEntry(path: string, file: string): Found | undefined {
    let json: unknown
    let line: { text: string; bytes: number } | undefined
    try {
      line = readFirstLine(entryFile(path))
      json = line && JSON.parse(line.text)
    } catch {
      // No entry yet (or an unreadable one): the file is loaded anew.
      return undefined
    }
    // An entry of another shape, engine, site or file is never trusted: the file is loaded anew.
    const parsed = CachedEntry.safeParse(json)
    if (!line || !parsed.success || parsed.data.key !== keyOf(path, file)) return undefined
    return { entry: parsed.data, bodyOffset: line.bytes + 1, text: line.text }
  }

  /** The body an entry describes, read now from `bodyOffset`; undefined when the file no longer holds it. */
  const bodyAt = (path: string, body: CachedEntry['body'], bodyOffset: number) =>
    body && readBodyAt(entryFile(path), bodyOffset, body.bytes, body.hash)
  const bodyOf = (path: string, { entry, bodyOffset }: Found) => bodyAt(path, entry.body, bodyOffset)

  /**
   * `article` with its body read from the entry whenever asked for. The reader keeps what it needs
   * of the entry, not the entry: 100,000 loads would otherwise keep each one's key and signature.
   */
  function withBodyOnDisk<T extends { html: string }>(path: string, file: string, article: T, found: Found): T {
    const { body } = found.entry
    const { bodyOffset } = found
    const onDisk = bodyOnDisk(article, () => {
      const text = bodyAt(path, body, bodyOffset)
      if (text === undefined) throw new CacheChanged(file)
      return text
    })
    if (body) knownMediaKeys(onDisk, body.mediaKeys)
    return onDisk
  }

  /** The found entry's load, its body on disk or read now; undefined if the body is not there. */
  function restore(path: string, file: string, found: Found): FileLoad | undefined {
    const load = found.entry.load as unknown as FileLoad
    const { loaded } = load
    const article = loaded?.article
    if (article) {
      // One string each where JSON.parse made two.
      if (loaded.file === load.file) loaded.file = load.file
      if (loaded.path === load.path) loaded.path = load.path
      if (options.bodiesOnDisk) loaded.article = withBodyOnDisk(path, file, article, found)
      else {
        const body = bodyOf(path, found)
        if (body === undefined) return undefined
        article.html = body
      }
      load.loaded!.locate = lazyLocate(path, file, found.entry.contentHash)
    }
    counts.hits++
    return load
  }

  /** Sub-folders made in this run (256 at most): one mkdir each, not one per entry. */
  const folders = new Set<string>()
  /** Writes the entry with `body` after its line; returns where in the file the body starts. */
  async function write(path: string, entry: CachedEntry, body: string | undefined): Promise<Found> {
    const target = entryFile(path)
    if (!folders.has(dirname(target))) {
      await mkdir(dirname(target), { recursive: true })
      folders.add(dirname(target))
    }
    const text = JSON.stringify(entry)
    const line = Buffer.from(`${text}\n`)
    const temporary = `${target}.${process.pid}.tmp`
    await writeFile(temporary, body === undefined ? line : Buffer.concat([line, Buffer.from(body)]))
    await rename(temporary, target)
    index?.keep(resolve(path), text)
    return { entry, bodyOffset: line.length, text }
  }

  return {
    counts,
    async byStat(path, file) {
      const now = signature(path)
      if (now === undefined) return undefined
      const resolved = resolve(path)
      const indexed = indexedEntry(resolved, file)
      const fromIndex = indexed?.entry.signature === now ? restore(path, file, indexed) : undefined
      if (fromIndex) {
        index!.keep(resolved)
        return fromIndex
      }
      const found = readEntry(path, file)
      const hit = found?.entry.signature === now ? restore(path, file, found) : undefined
      if (hit) index?.keep(resolved, found!.text)
      else pending.set(resolved, { signature: now, entry: found })
      return hit
    },
    async writeIndex() {
      await index?.write()
    },
    async byContent(path, file, raw) {
      const seen = pending.get(resolve(path))
      if (!seen?.entry || seen.entry.entry.contentHash !== sha256(raw)) return undefined
      // The body, read while the old entry still holds it, goes into the new one.
      const body = bodyOf(path, seen.entry)
      if (seen.entry.entry.body && body === undefined) return undefined
      pending.delete(resolve(path))
      // Touched, not changed: the same load, under the file's new signature.
      const entry = { ...seen.entry.entry, signature: seen.signature }
      return restore(path, file, await write(path, entry, body))
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
      const article = load.loaded?.article
      if (load.loaded) load.loaded.valueHash = sha256(JSON.stringify(article))
      const entry: CachedEntry = {
        version: 2,
        signature: now,
        contentHash,
        key: keyOf(path, file),
        load: storedLoad(load),
        ...(article && {
          body: {
            bytes: Buffer.byteLength(article.html),
            hash: sha256(article.html),
            mediaKeys: mediaKeysOnce(article),
          },
        }),
      }
      const found = await write(path, entry, article?.html)
      // From here on the body is read from the entry when asked for, not held.
      if (article && options.bodiesOnDisk) load.loaded!.article = withBodyOnDisk(path, file, article, found)
      counts.stored++
      return load
    },
  }
}
