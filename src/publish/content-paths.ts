// Publish steps 1 and 5: paths inside the content folder — what an article file may be called,
// which neighbours are media rather than articles, and resolving a path an article names
// (a relative link, a photo beside it) so that it never leaves the folder the article is in.
import { existsSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** The article formats, by file extension: YAML front matter + Markdown, or one JSON object. */
export const ARTICLE_EXTENSIONS = ['.md', '.json'] as const
export type ArticleExtension = (typeof ARTICLE_EXTENSIONS)[number]

export const articleExtension = (file: string): ArticleExtension | undefined =>
  ARTICLE_EXTENSIONS.find((extension) => extname(file).toLowerCase() === extension)

/** The slug a file name promises: its name without the article extension. */
export const slugOfFile = (file: string) => basename(file, extname(file)).normalize('NFC')

/** Files that live beside articles and are not articles: photos and other media they use. */
const MEDIA_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.avif',
  '.svg',
  '.mp3',
  '.mp4',
  '.pdf',
])

export const isMediaFile = (name: string) => MEDIA_EXTENSIONS.has(extname(name).toLowerCase())

/**
 * Names an editor's tools leave in a folder and nobody means as content: hidden files
 * (`.DS_Store`, vim's `.x.md.swp`), backups (`x.md~`), emacs's `#x.md#` autosaves.
 */
export const isEditorLeftover = (name: string) =>
  name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'))

/** True when `path` is `folder` or below it (both absolute and resolved). */
export const isInside = (path: string, folder: string) => {
  const rest = relative(folder, path)
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest))
}

/** The existing article file for `slug` in `folder` (either format), if any. */
export const articleFileFor = (folder: string, slug: string): string | undefined =>
  ARTICLE_EXTENSIONS.map((extension) => join(folder, `${slug}${extension}`)).find((path) =>
    existsSync(path),
  )

export type ResolvedPath =
  | { status: 'found'; path: string }
  | { status: 'missing'; path: string }
  | { status: 'outside'; path: string }

/**
 * A path an article names (`images/hall.jpg`, `../shared/map.png`), resolved against the folder of
 * the article file at `articlePath` and checked against `contentFolder` (default: the article's own
 * folder): `outside` when it — or, through symbolic links, the file it names — leaves that folder,
 * `missing` when nothing is there. `path` is the resolved path, for messages.
 */
export async function resolveArticlePath(
  articlePath: string,
  reference: string,
  contentFolder: string = dirname(articlePath),
): Promise<ResolvedPath> {
  const folder = resolve(contentFolder)
  const path = resolve(dirname(articlePath), reference)
  if (!isInside(path, folder)) return { status: 'outside', path }
  const real = await realpath(path).catch(() => undefined)
  if (real === undefined) return { status: 'missing', path }
  const realFolder = await realpath(folder)
  return isInside(real, realFolder) ? { status: 'found', path } : { status: 'outside', path }
}
