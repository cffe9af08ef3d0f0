// Browser tests: Debian's Chromium driven by playwright-core against the site as `npm start`
// serves it (wrangler dev on loopback, articles/ published by the publish pipeline), offline.
import { defineConfig } from 'vitest/config'
import { goOffline } from './src/publish/offline-env'

goOffline()

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
