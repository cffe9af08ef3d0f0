// Node tests: the publish pipeline and CLIs against miniflare KV, and end-to-end checks of the
// served feeds with real feed parsers. wrangler and miniflare run offline, their scratch state in
// memory (tools/harness/memory-scratch.ts).
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { goOffline } from './src/publish/offline-env'
import { scratchInMemory } from './tools/harness/memory-scratch'

goOffline()
scratchInMemory()

/**
 * The slowest files (BENCHMARKS.md, "Test suite time"), started first in this order so that none
 * of them is left to end the run alone. Vitest orders by the last run's durations once it has
 * them, and by file size on a fresh clone, where the crash and race files came last.
 */
const SLOWEST = ['publish-crash', 'npm-start', 'publish-race', 'cli-process', 'publish-cli']

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = SLOWEST.findIndex((name) => file.moduleId.endsWith(`/test/node/${name}.test.ts`))
      return at === -1 ? SLOWEST.length : at
    }
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts', 'test/security/**/*.test.ts'],
    environment: 'node',
    // Forks, not threads: the CLI tests set each run's working directory (process.chdir).
    pool: 'forks',
    // Two files at once even on two cores: most of a file's time is spent waiting for workerd.
    maxWorkers: 2,
    // The files share nothing but modules (each makes its own Miniflare, temp folders and ports,
    // and puts back what it changes: the working directory, TZ), so each fork imports miniflare,
    // wrangler's helpers and src/ once for all the files it runs: about a fifth of the suite's CPU.
    isolate: false,
    sequence: { sequencer: SlowestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
