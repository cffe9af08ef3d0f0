// The Debian tools the feed-client suites read feeds with (xmllint, Universal Feed Parser,
// newsboat with sqlite3): CI installs them (.ci/run); elsewhere their tests are skipped loudly.
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'

function hasTool(command: string, args: string[]): boolean {
  const available = spawnSync(command, args, { stdio: 'ignore' }).status === 0
  if (!available && process.env.CI) throw new Error(`${command} is missing: .ci/run should install it`)
  if (!available) console.warn(`skipping ${command} checks: not installed (see .ci/run)`)
  return available
}
export const HAS_XMLLINT = hasTool('xmllint', ['--version'])
export const HAS_FEEDPARSER = hasTool('/usr/bin/python3', ['-c', 'import feedparser'])
export const HAS_NEWSBOAT = hasTool('newsboat', ['--version']) && hasTool('sqlite3', ['--version'])

export const run = promisify(execFile)

/** Runs `command` with `input` on its stdin; resolves to its stdout and stderr. */
export function pipeTo(command: string, args: string[], input: string) {
  const child = run(command, args, { maxBuffer: 64 * 1024 * 1024 })
  child.child.stdin!.end(input)
  return child
}
