// Publish caches' keys: the version of an installed library, so a cache made with another version
// of a parser, renderer or sanitiser is never trusted.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** An installed package's version, also for packages whose `exports` hide their package.json. */
export function packageVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (!existsSync(manifest)) continue
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string }
    if (parsed.name === name) return parsed.version ?? 'unknown'
  }
  return 'unknown'
}
