// Publish step 1: find the article files named on the command line (files, or the .json files
// directly inside folders) and read them; a file that cannot be read is a problem, not a crash.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { Problem } from './problems'

/** The content folder: where an editor's article files live, beside wrangler.toml. */
export const CONTENT_FOLDER = 'articles'

/** Every `.json` file named, directly or inside a named folder (not recursive), sorted. */
export async function findArticleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const path of paths) {
    const info = await stat(path)
    if (info.isDirectory()) {
      for (const name of await readdir(path)) {
        if (name.endsWith('.json')) files.push(join(path, name))
      }
    } else {
      files.push(path)
    }
  }
  return [...new Set(files)].sort()
}

export interface ArticleText {
  /** Path as shown to the editor (relative to `root`). */
  file: string
  /** Path as read. */
  path: string
  raw: string
}

/** Every file's text, in the order given; `root` is what names in problems are relative to. */
export async function readArticleFiles(
  paths: readonly string[],
  root: string,
): Promise<{ texts: ArticleText[]; problems: Problem[] }> {
  const problems: Problem[] = []
  const texts = await Promise.all(
    paths.map(async (path) => {
      const file = relative(root, path) || path
      try {
        return { file, path, raw: await readFile(path, 'utf8') }
      } catch (error) {
        problems.push({
          file,
          severity: 'error',
          message: `cannot read: ${(error as Error).message}`,
        })
        return undefined
      }
    }),
  )
  return { texts: texts.filter((text) => text !== undefined), problems }
}
