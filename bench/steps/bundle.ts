// Measure 5: the worker bundle as `wrangler deploy --dry-run` builds it (raw and gzip), and where
// its bytes come from (an esbuild metafile of the same entry, grouped by package).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { REPO } from '../../tools/harness/repo-config'
import type { WorkerBundle } from '../../tools/harness/worker-bundle'

export interface BundleResult {
  rawBytes: number
  gzipBytes: number
  /** wrangler's own "Total Upload: … / gzip: …" line. */
  wranglerLine: string
  buildMs: number
  /** Bytes in the (unminified) output per source package, largest first. */
  byPackage: { name: string; bytes: number }[]
}

const packageOf = (input: string) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)
  if (match) return match[1]!
  return input.startsWith('src/')
    ? `src/${input.split('/')[1]?.includes('.') ? '' : input.split('/')[1]}`.replace(/\/$/, '')
    : input
}

async function composition(): Promise<{ name: string; bytes: number }[]> {
  const result = await build({
    entryPoints: [join(REPO, 'src/worker/index.ts')],
    absWorkingDir: REPO,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    outfile: 'out.js',
    logLevel: 'silent',
  })
  const sizes = new Map<string, number>()
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input)
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput)
    }
  }
  return [...sizes].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes)
}

/** Sizes of a build (tools/harness/worker-bundle.ts), its folder and wrangler's own report. */
export async function measureBundle({ main, output, buildMs }: WorkerBundle): Promise<BundleResult> {
  const outdir = dirname(main)
  let rawBytes = 0
  let gzipBytes = 0
  for (const file of readdirSync(outdir)) {
    if (!/\.(m?js|wasm)$/.test(file)) continue
    const path = join(outdir, file)
    rawBytes += statSync(path).size
    gzipBytes += gzipSync(readFileSync(path), { level: 9 }).length
  }
  const wranglerLine = /Total Upload:[^\n]*/.exec(output)?.[0]?.trim() ?? '(no "Total Upload" line)'
  return { rawBytes, gzipBytes, wranglerLine, buildMs, byPackage: await composition() }
}
