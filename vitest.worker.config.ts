// Worker tests: run inside workerd (the real Workers runtime) against miniflare's real KV.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { writeRenderStamp } from './src/publish/render-stamp'

// The worker under test is built from src/ with the render stamp of these sources.
writeRenderStamp()

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
    // The files share one runner in each worker instead of a fresh one each, which halves the
    // suite's module loading. So KV, R2 and the Cache API outlive a file: every file that reads
    // KV seeds it first (test/worker/kv.ts's seed and clearKv empty it), only media.test.ts
    // writes R2, and only edge-cache.test.ts turns the edge cache on. Checked in shuffled file
    // orders (--sequence.shuffle.files).
    isolate: false,
  },
})
