// Worker tests: run inside workerd (the real Workers runtime) against miniflare's real KV.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: './src/worker/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      // Most suites reseed KV between cases and ask the routes what they answer, so they turn the
      // edge cache off; test/worker/edge-cache.test.ts runs it as deployed (EDGE_CACHE = "on").
      miniflare: { compatibilityFlags: ['nodejs_compat'], bindings: { EDGE_CACHE: 'off' } },
    }),
  ],
  test: {
    include: ['test/worker/**/*.test.{ts,tsx}'],
    globalSetup: ['test/worker/global-setup.ts'],
    // npm test runs this suite beside the node suite (tools/test-lanes.ts): on two shared cores a
    // CPU-heavy case (the memory layer's flood of 2,000 requests) can take past vitest's 5 s.
    testTimeout: 30_000,
  },
})
