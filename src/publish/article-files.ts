// Publish step 1: find the article files named on the command line (files, or what lies directly
// inside folders) and read them — regular files only, their size checked before a byte is read,
// never through a symbolic link out of their folder. Whatever cannot be an article is a problem
// naming the file, never a crash or a hang.
import { constants, type Stats } from 'node:fs'
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { articleExtension, isEditorLeftover, isInside, isMediaFile } from './content-paths'
import { fileSizeProblem, INPUT_LIMITS } from './input-limits'
import type { Problem } from './problems'

/** The content folder: where an editor's article files live, beside wrangler.toml. */
export const CONTENT_FOLDER = 'articles'

/**
 * Every entry named, or directly inside a named folder (not recursive), sorted — articles and
 * whatever else lies there, for readArticleFiles to read or report. Sub-folders, media files
 * (photos beside articles) and editors' leftovers (hidden files, backups) are not listed.
 */
export async function findArticleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const path of paths) {
    const info = await stat(path)
    if (!info.isDirectory()) {
      files.push(path)
      continue
    }
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isDirectory() || isMediaFile(entry.name) || isEditorLeftover(entry.name)) continue
      // A symbolic link to a folder is a folder too: not an article.
      if (
        entry.isSymbolicLink() &&
        (await stat(join(path, entry.name)).catch(() => undefined))?.isDirectory()
      )
        continue
      files.push(join(path, entry.name))
    }
  }
  return [...new Set(files)].sort()
}

/** One file as read: its text, or the problems that kept it from being read. */
export interface ArticleText {
  /** Path as shown to the editor (relative to `root`). */
  file: string
  /** Path as read. */
  path: string
  raw?: string
  problems: Problem[]
}

/** What a file system entry is, for a message about one that is not a regular file. */
function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isDirectory()) return 'a folder'
  return 'not a regular file'
}

class FileRefused extends Error {}

/**
 * The text of one article file, or why it is refused. A symbolic link may point anywhere inside
 * its folder, never out of it; the file must be a regular file (a FIFO would block the read
 * forever, a device never ends) of at most INPUT_LIMITS.fileBytes, and UTF-8.
 */
async function readArticleText(path: string): Promise<string> {
  const link = await lstat(path)
  let target = path
  if (link.isSymbolicLink()) {
    target = await realpath(path)
    if (!isInside(target, await realpath(dirname(path))))
      throw new FileRefused(
        `is a symbolic link to ${target}, outside its folder: refused (copy the file here instead)`,
      )
  }
  const info = await stat(target)
  if (!info.isFile()) throw new FileRefused(`is ${kindOf(info)}, not a regular file: not read`)
  if (info.size > INPUT_LIMITS.fileBytes) throw new FileRefused(fileSizeProblem(info.size))
  // O_NONBLOCK: should the path have become a FIFO since the stat, opening it cannot block.
  const handle = await open(
    target,
    constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW,
  )
  try {
    const opened = await handle.stat()
    if (!opened.isFile())
      throw new FileRefused(`is ${kindOf(opened)}, not a regular file: not read`)
    // One byte more than the limit tells a file that grew since the stat from one that fits.
    const buffer = Buffer.alloc(Math.min(opened.size, INPUT_LIMITS.fileBytes) + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > INPUT_LIMITS.fileBytes) throw new FileRefused(fileSizeProblem(length))
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
        buffer.subarray(0, length),
      )
    } catch {
      throw new FileRefused('is not UTF-8 text: save it as UTF-8')
    }
  } finally {
    await handle.close()
  }
}

/** Every file's text, in the order given; `root` is what names in problems are relative to. */
export function readArticleFiles(paths: readonly string[], root: string): Promise<ArticleText[]> {
  return Promise.all(
    paths.map(async (path): Promise<ArticleText> => {
      const file = relative(root, path) || path
      if (!articleExtension(path)) {
        const message = 'is not an article file (articles end in .md or .json): not published'
        return { file, path, problems: [{ file, severity: 'warning', message }] }
      }
      try {
        return { file, path, raw: await readArticleText(path), problems: [] }
      } catch (error) {
        const message =
          error instanceof FileRefused ? error.message : `cannot read: ${(error as Error).message}`
        return { file, path, problems: [{ file, severity: 'error', message }] }
      }
    }),
  )
}
