// The CLIs' frame: exit codes, flags, where output goes, and turning a thrown error into the
// right exit code. Each CLI exports `main(args, io)` (tests run it in-process with their own
// streams, environment and clock) and runs it on its bottom line when node starts that file.
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { goOffline } from '../publish/offline-env'
import { SYSTEM_CLOCK, type Clock } from '../publish/pool'

/** Documented in docs/publishing.md: scripts and CI depend on them. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, writeFailure: 3 } as const

/** A mistake in how the command was called (exit 2). */
export class UsageError extends Error {}

export interface OutputStream {
  write(text: string): unknown
  isTTY?: boolean
}

/** What a CLI reads and writes besides files: paths stay relative to the working directory. */
export interface CliIo {
  stdout: OutputStream
  stderr: OutputStream
  env: NodeJS.ProcessEnv
  /** The publish time, the scaffold's date and every backoff wait. */
  clock: Clock
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  clock: SYSTEM_CLOCK,
})

/** One line, as console.log prints it. */
export const printLine = (stream: OutputStream, text: string) => stream.write(`${text}\n`)

/** parseArgs with unknown flags and bad values as UsageError. */
export function parseFlags<const O extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: O,
  usage: string,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`)
  }
}

export type Command = (args: readonly string[], io: CliIo) => Promise<number>

/**
 * The exit code of one run of `command`: its own, 2 for a UsageError, 3 for anything else thrown
 * (e.g. local KV cannot be opened), with the error's message on stderr.
 */
async function runCommand(command: Command, args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await command(args, io)
  } catch (error) {
    printLine(io.stderr, error instanceof Error ? error.message : String(error))
    return error instanceof UsageError ? EXIT.usage : EXIT.writeFailure
  }
}

/** A CLI's `main`: `command` with its exit code for every outcome, on the process's io by default. */
export const commandMain =
  (command: Command) =>
  (args: readonly string[], io: CliIo = processIo()): Promise<number> =>
    runCommand(command, args, io)

/**
 * Runs `main` on the process's arguments, offline (src/publish/offline-env.ts), when node was
 * started with the file at `moduleUrl`; importing that file runs nothing.
 */
export function runIfMain(moduleUrl: string, main: (args: readonly string[]) => Promise<number>) {
  const script = process.argv[1]
  if (!script || realpathSync(script) !== realpathSync(fileURLToPath(moduleUrl))) return
  goOffline()
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
