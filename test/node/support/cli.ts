// The CLIs in-process, as a shell in a project folder runs them: that folder as the working
// directory for the call (the node config runs tests in forks, where process.chdir works), the
// environment without Cloudflare credentials unless given, stdout and stderr apart, and a clock
// whose backoff waits take no time.
import type { CliIo } from '../../../src/cli/command'
import { manualClock } from './clock'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export type CliMain = (args: readonly string[], io: CliIo) => Promise<number>

export async function runInProject(
  main: CliMain,
  root: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const {
    CLOUDFLARE_API_TOKEN: _token,
    CLOUDFLARE_ACCOUNT_ID: _account,
    ...inherited
  } = process.env
  const run = { stdout: '', stderr: '' }
  const previous = process.cwd()
  process.chdir(root)
  try {
    const code = await main(args, {
      stdout: { write: (text) => (run.stdout += text) },
      stderr: { write: (text) => (run.stderr += text) },
      env: { ...inherited, ...env },
      clock: manualClock(Date.now()),
    })
    return { code, ...run }
  } finally {
    process.chdir(previous)
  }
}
