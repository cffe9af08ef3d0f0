// Publish step 4 (in front of rendering): rendered Markdown cached by content hash, so a run
// renders only the bodies that changed. The cache key covers the renderer's own source and library
// versions: a change to the sanitiser's rules invalidates every entry.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { RenderBody, RenderedBody } from './render-markdown'

/** Where the CLIs keep the cache (node_modules/.cache is ignored by git and safe to delete). */
export const RENDER_CACHE_FILE = 'node_modules/.cache/sahifa/rendered-markdown.json'

const require = createRequire(import.meta.url)

/** An installed package's version, also for packages whose `exports` hide their package.json. */
function packageVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (!existsSync(manifest)) continue
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }
    if (parsed.name === name) return parsed.version ?? 'unknown'
  }
  return 'unknown'
}
const RENDERER_VERSION = createHash('sha256')
  .update(readFileSync(new URL('./render-markdown.ts', import.meta.url)))
  .update(readFileSync(new URL('./body-scan.ts', import.meta.url)))
  .update(['markdown-it', 'sanitize-html', 'htmlparser2'].map(packageVersion).join())
  .digest('hex')

const cacheKey = (source: string, baseUrl: string) =>
  createHash('sha256')
    .update(RENDERER_VERSION)
    .update(baseUrl)
    .update('\0')
    .update(source)
    .digest('base64url')

export interface RenderCache {
  render: RenderBody
  /** Writes the entries this run used (older ones drop out). */
  save(): Promise<void>
}

export async function renderCache(file: string = RENDER_CACHE_FILE): Promise<RenderCache> {
  let stored: Record<string, RenderedBody> = {}
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, RenderedBody>
  } catch {
    // No cache yet, or an unreadable one: render everything and write a fresh cache.
  }
  const used: Record<string, RenderedBody> = {}
  let changed = false
  return {
    async render(source, baseUrl) {
      const key = cacheKey(source, baseUrl)
      const hit = stored[key]
      if (hit) return (used[key] = hit)
      changed = true
      // Loaded on the first miss only: a run with every body cached never loads the Markdown libraries.
      const { renderBody } = await import('./render-markdown')
      return (used[key] = renderBody(source, baseUrl))
    },
    async save() {
      if (!changed && Object.keys(used).length === Object.keys(stored).length) return
      await mkdir(dirname(file), { recursive: true })
      await writeFile(`${file}.tmp`, JSON.stringify(used))
      await rename(`${file}.tmp`, file)
    },
  }
}
