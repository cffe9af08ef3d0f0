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
  },
})
