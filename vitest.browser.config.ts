// Browser tests: Debian's Chromium driven by playwright-core against the site as `npm start`
// serves it (wrangler dev on loopback, articles/ published by the real publish script).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
