// Node tests: the publish script (pure core and CLI) against miniflare KV, and end-to-end checks
// of the served feeds with real feed parsers.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts', 'test/security/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
