// Harness: the photo cache the test suites, tools and bench share when they publish articles/ —
// the encoder's own disk cache (src/publish/media-cache.ts) in the scratch folder instead of the
// CLIs' node_modules/.cache: the sample photo is encoded once for every suite of a test run (and
// again only when it or the encoder changes, since entries are kept by content and encoder hash).
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diskPhotoStore, type PhotoStore } from '../../src/publish/media-cache'

export const harnessPhotoStore = (): PhotoStore =>
  diskPhotoStore(join(tmpdir(), 'sahifa-harness-photos'))
