// Measure 8 (issue 16): KV storage against the articles' own bytes, read from the local KV state a
// real publish wrote (miniflare 4.20260426's layout, see seed.ts: one row per key in the
// namespace's SQLite `_mf_entries`, each value a blob file under `<kv>/<namespace id>/blobs/`).
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export interface KeyFamily {
  /** The key's family: its second `:`-separated part (`v1:article:…` → `article`). */
  family: string
  keys: number
  bytes: number
}

export interface StorageResult {
  count: number
  families: KeyFamily[]
  totalBytes: number
  /** The `v1:article:*` values. */
  articleBytes: number
}

const familyOf = (key: string) => /^v\d+:([^:]+)/.exec(key)?.[1] ?? key

/** Every key's value size in the local KV under `stateDir` (a `--persist-to` folder). */
export function measureStorage(
  stateDir: string,
  namespaceId: string,
  count: number,
): StorageResult {
  const kvDir = join(stateDir, 'v3', 'kv')
  const objectDir = join(kvDir, 'miniflare-KVNamespaceObject')
  const database = readdirSync(objectDir).find(
    (file) => file.endsWith('.sqlite') && file !== 'metadata.sqlite',
  )
  if (!database) throw new Error(`no namespace database in ${objectDir}`)
  const rows = execFileSync(
    'sqlite3',
    ['-separator', '\t', join(objectDir, database), 'SELECT key, blob_id FROM _mf_entries'],
    { maxBuffer: 1024 ** 3, encoding: 'utf8' },
  )
  const blobs = join(kvDir, namespaceId, 'blobs')
  const families = new Map<string, KeyFamily>()
  for (const row of rows.split('\n')) {
    if (!row) continue
    const tab = row.lastIndexOf('\t')
    const key = row.slice(0, tab)
    const bytes = statSync(join(blobs, row.slice(tab + 1))).size
    const family = familyOf(key)
    const entry = families.get(family) ?? { family, keys: 0, bytes: 0 }
    entry.keys++
    entry.bytes += bytes
    families.set(family, entry)
  }
  const sorted = [...families.values()].sort((a, b) => b.bytes - a.bytes)
  return {
    count,
    families: sorted,
    totalBytes: sorted.reduce((sum, f) => sum + f.bytes, 0),
    articleBytes: families.get('article')?.bytes ?? 0,
  }
}
