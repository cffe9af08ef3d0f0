// `npm run dev` and `npm run deploy`: the project's wrangler with the offline environment
// (src/publish/offline-env.ts), the terminal passed through, and wrangler's exit status as ours.
// `dev` serves on `--port N`, PORT or 8787 (tools/dev-port.ts), the flag given to wrangler once.
import { constants } from 'node:os'
import { PortError, withDevPort } from './dev-port'
import { spawnWrangler } from './harness/wrangler-cli'

let args: string[]
try {
  args = withDevPort(process.argv.slice(2), process.env)
} catch (error) {
  if (!(error instanceof PortError)) throw error
  console.error(error.message)
  process.exit(2)
}
const child = spawnWrangler(args, { stdio: 'inherit' })
// Ctrl-C reaches wrangler from the terminal itself: wait for it to finish. Signals sent to this
// process alone are passed on.
process.on('SIGINT', () => {})
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0)
})
