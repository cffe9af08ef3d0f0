// Build step beside the publish pipeline: the site's stylesheet as a static asset at
// public/assets/site.<hash>.css, the name pages link (src/worker/views/stylesheet.ts), with the
// stylesheets of earlier builds removed, and the worker's render stamp (render-stamp.ts). Run
// before `wrangler dev` and `wrangler deploy`.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeRenderStamp } from './render-stamp'
import { STYLESHEET_PATH } from '../worker/views/stylesheet'
import { STYLES } from '../worker/views/styles'

const ASSETS_DIR = fileURLToPath(new URL('../../public/assets/', import.meta.url))
const BUILT_STYLESHEET = /^site\.[0-9a-f]+\.css$/

/** Write the current stylesheet and the render stamp; returns the stylesheet's path under public/. */
export async function buildAssets(): Promise<string> {
  writeRenderStamp()
  await mkdir(ASSETS_DIR, { recursive: true })
  const fileName = basename(STYLESHEET_PATH)
  for (const old of await readdir(ASSETS_DIR)) {
    if (BUILT_STYLESHEET.test(old) && old !== fileName) await rm(join(ASSETS_DIR, old))
  }
  await writeFile(join(ASSETS_DIR, fileName), STYLES)
  return `public${STYLESHEET_PATH}`
}
