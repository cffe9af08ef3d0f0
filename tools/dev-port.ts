// `npm start` and `npm run dev`: the port they serve on — `--port N` (or `--port=N`), else the
// PORT environment variable, else 8787 — and the arguments without the flag.

const DEFAULT_PORT = 8787

export class PortError extends Error {}

function parsePort(text: string, from: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new PortError(`${from} must be a port number from 1 to 65535, not "${text}"`)
  return port
}

/** The port asked for, and `args` without `--port`, so it is never passed twice. */
export function devPort(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { port: number; rest: string[] } {
  const rest: string[] = []
  let port: number | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--port') {
      const value = args[++i]
      if (value === undefined) throw new PortError('--port needs a number, e.g. --port 9000')
      port = parsePort(value, '--port')
    } else if (arg.startsWith('--port=')) port = parsePort(arg.slice('--port='.length), '--port')
    else rest.push(arg)
  }
  return { port: port ?? (env.PORT ? parsePort(env.PORT, 'PORT') : DEFAULT_PORT), rest }
}

/** wrangler's arguments with `dev`'s port given once: `npm run dev -- --port N` adds to the script's. */
export function withDevPort(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
  if (args[0] !== 'dev') return [...args]
  const { port, rest } = devPort(args.slice(1), env)
  return ['dev', ...rest, '--port', String(port)]
}
