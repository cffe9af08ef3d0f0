// Worker tests: run inside workerd (the real Workers runtime) against miniflare's real KV.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './src/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      // Tests reseed KV between cases: the edge cache is tested on its own (edge-cache.test.ts).
      miniflare: { compatibilityFlags: ['nodejs_compat'], bindings: { EDGE_CACHE: 'off' } },
    }),
  ],
  test: {
    include: ['test/worker/**/*.test.{ts,tsx}'],
    globalSetup: ['test/worker/global-setup.ts'],
  },
})
