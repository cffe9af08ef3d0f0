// Harness: the worker bundled exactly as `wrangler deploy` builds it (`--dry-run --outdir`), for
// the feed-client and browser tests, the load test and the bench. Served from the built module,
// the worker cannot reload when someone edits src/ during a run.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { writeRenderStamp } from '../../src/publish/render-stamp'
import { runWrangler } from './wrangler-cli'

export interface WorkerBundle {
  /** The built entry module. */
  main: string
  /** wrangler's output (its "Total Upload" line gives the sizes). */
  output: string
  buildMs: number
}

/** Bundle the worker of `config` (default: ./wrangler.toml) into `outdir`. */
export async function bundleWorker(options: {
  outdir: string
  config?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
}): Promise<WorkerBundle> {
  const started = performance.now()
  // The bundle carries the render stamp of the sources it is built from, as a publish computes it.
  writeRenderStamp()
  const config = options.config ? ['--config', options.config] : []
  const output = await runWrangler(['deploy', '--dry-run', '--outdir', options.outdir, ...config], {
    cwd: options.cwd,
    env: options.env,
  })
  const entry = (await readdir(options.outdir)).find((file) => /\.m?js$/.test(file))
  if (!entry) throw new Error(`wrangler deploy --dry-run wrote no module to ${options.outdir}`)
  return { main: join(options.outdir, entry), output, buildMs: performance.now() - started }
}
