// `npm run dev` and `npm run deploy`: the project's wrangler with the offline environment
// (src/publish/offline-env.ts), the terminal passed through, and wrangler's exit status as ours.
import { constants } from 'node:os'
import { spawnWrangler } from './harness/wrangler-cli'

const child = spawnWrangler(process.argv.slice(2), { stdio: 'inherit' })
// Ctrl-C reaches wrangler from the terminal itself: wait for it to finish. Signals sent to this
// process alone are passed on.
process.on('SIGINT', () => {})
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0)
})
