// Beside the publish caches and the render stamp: a hash of the source files of some of src/'s
// folders, so what other code made — a cached load, a pre-rendered response — is never trusted.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../', import.meta.url))

/** SHA-256 hex of every file under `folders` of src/ (path and bytes), but those under `except`. */
export function sourceHash(folders: readonly string[], except?: string): string {
  const hash = createHash('sha256')
  const files = folders
    .flatMap((folder) =>
      readdirSync(join(SRC, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(SRC.length)),
    )
    .filter((file) => except === undefined || !file.startsWith(except))
    .sort()
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(SRC, file))).update('\0')
  return hash.digest('hex')
}
