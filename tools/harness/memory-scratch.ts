// Harness: the tests' scratch files in memory. Miniflare keeps even its unpersisted KV, cache and
// Durable Object state as SQLite and blob files under os.tmpdir(); on a disk each KV put took
// 1–2 ms, on tmpfs about 0.5 ms. Temp projects, bundles and `wrangler dev` state go there too.
import { accessSync, constants, statfsSync } from 'node:fs'

/** Linux's shared-memory tmpfs, which most machines and CI runners mount. */
const SHM = '/dev/shm'
const TMPFS_MAGIC = 0x01021994

/** Points TMPDIR (os.tmpdir()) at /dev/shm when it is a writable tmpfs; otherwise changes nothing. */
export function scratchInMemory(): void {
  try {
    accessSync(SHM, constants.W_OK)
    if (statfsSync(SHM).type === TMPFS_MAGIC) process.env.TMPDIR = SHM
  } catch {
    // No /dev/shm (macOS, Windows): the scratch files stay where os.tmpdir() says.
  }
}
