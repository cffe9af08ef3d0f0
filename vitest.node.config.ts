// Node tests: the publish pipeline and CLIs against miniflare KV, and end-to-end checks of the
// served feeds with real feed parsers. wrangler and miniflare run offline in every test.
import { defineConfig } from 'vitest/config'
import { goOffline } from './src/publish/offline-env'

goOffline()

export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts', 'test/security/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
