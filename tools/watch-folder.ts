// `npm start`'s watcher: a folder and every folder below it, one non-recursive fs.watch each —
// Node 20's recursive mode on Linux missed deletions and files renamed into place (what `sed -i`
// and many editors do on save). Folders created later are watched as they appear.
import { watch, type FSWatcher } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface FolderWatch {
  close(): void
}

/** Calls `onPath` with the path of every entry created, changed, renamed or deleted below `folder`. */
export async function watchFolder(
  folder: string,
  onPath: (path: string) => void,
): Promise<FolderWatch> {
  const watchers = new Map<string, FSWatcher>()
  const add = async (dir: string) => {
    if (watchers.has(dir)) return
    const watcher = watch(dir, (_event, name) => {
      if (!name) return
      const path = join(dir, name.toString())
      onPath(path)
      void stat(path).then(
        async (info) => {
          if (info.isDirectory()) await add(path)
        },
        () => watchers.get(path)?.close(),
      )
    })
    watchers.set(dir, watcher)
    for (const entry of await readdir(dir, { withFileTypes: true }))
      if (entry.isDirectory()) await add(join(dir, entry.name))
  }
  await add(folder)
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close()
    },
  }
}
