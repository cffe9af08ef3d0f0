// Browser tests: Debian's Chromium driven by playwright-core against the site as `npm start`
// serves it (wrangler dev on loopback, articles/ published by the publish pipeline), offline,
// scratch state in memory.
import { defineConfig } from 'vitest/config'
import { goOffline } from './src/publish/offline-env'
import { scratchInMemory } from './tools/harness/memory-scratch'

goOffline()
scratchInMemory()

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/browser/global-setup.ts'],
    // The hostile page (its own worker in Miniflare) runs beside the site's pages.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
