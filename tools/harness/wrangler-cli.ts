// Harness: the project's own wrangler as a child process, always offline — started by node
// directly (no npx in between), its output collected for error messages.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createRequire } from 'node:module'
import { offlineEnv } from '../../src/publish/offline-env'

const WRANGLER_JS = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js')

/** `wrangler <args>` with the offline environment on top of `options.env` (default: this process's). */
export function spawnWrangler(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [WRANGLER_JS, ...args], {
    ...options,
    env: offlineEnv(options.env ?? process.env),
  })
}

/** Collects a child's stdout and stderr together, as a reader of its log would see them. */
export function collectOutput(child: ChildProcess): () => string {
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return () => output
}

/** Runs `wrangler <args>` to the end; resolves with its output, rejects when it exits non-zero. */
export function runWrangler(
  args: readonly string[],
  options: Pick<SpawnOptions, 'cwd' | 'env'> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    const output = collectOutput(child)
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(output())
        : reject(new Error(`wrangler ${args.join(' ')} exited ${code}:\n${output()}`)),
    )
  })
}
