// The benchmark's temp projects and CLI runs: a copy of the project sharing the repo's installed
// packages (not its caches or KV state), generated article files in it, and the real CLIs run in
// it as a user runs them (`npm run <script>`), timed, with their peak memory and a time limit.
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { slugOf, sourceArticle } from '../data'
import { offlineEnv } from '../../src/publish/offline-env'
import { REPO } from '../../tools/harness/repo-config'

const PROJECT_FILES = ['package.json', 'wrangler.toml', 'tsconfig.json', 'src', 'tools', 'schema']

/** A copy of the project that shares the repo's installed packages but not its caches or state. */
export function projectCopy(dir: string) {
  mkdirSync(dir, { recursive: true })
  for (const name of PROJECT_FILES) {
    if (existsSync(join(REPO, name))) cpSync(join(REPO, name), join(dir, name), { recursive: true })
  }
  // node_modules entries are linked one by one, so the CLI's cache (node_modules/.cache) is ours.
  mkdirSync(join(dir, 'node_modules'))
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '.cache')
      symlinkSync(join(REPO, 'node_modules', entry), join(dir, 'node_modules', entry))
  }
}

/** Article `i` of `count` as `<folder>/<slug>.json`, with `edit` appended to its body. */
export function writeArticleJson(folder: string, i: number, count: number, edit = '') {
  writeFileSync(
    join(folder, `${slugOf(i)}.json`),
    `${JSON.stringify(sourceArticle(i, count, edit), null, 2)}\n`,
  )
}

export interface CliRun {
  ms: number
  /** The exit code; -1 when killed (timeout or signal). */
  code: number
  stdout: string
  stderr: string
  /** Peak resident memory of the largest process of the run (GNU time's %M), KiB. */
  maxRssKiB: number | null
  timedOut: boolean
}

const TIME = '/usr/bin/time'

/**
 * `npm run --silent <script> -- ...args` in `cwd`, killed (its whole process group) after
 * `timeoutMs`. Under GNU time when it is installed: wait4's ru_maxrss covers the CLI's node
 * process below npm and tsx.
 */
export function runCli(
  cwd: string,
  script: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: Record<string, string> },
): Promise<CliRun> {
  const npm = ['npm', 'run', '--silent', script, '--', ...args]
  const timeFile = join(cwd, '.bench-time')
  rmSync(timeFile, { force: true })
  const timed = existsSync(TIME)
  const [command, ...rest] = timed ? [TIME, '-f', '%M', '-o', timeFile, ...npm] : npm
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command!, rest, {
      cwd,
      env: { ...offlineEnv(), NO_COLOR: '1', npm_config_update_notifier: 'false', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Already gone: the exit handler below reports it.
      }
    }, options.timeoutMs)
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      const rss =
        timed && existsSync(timeFile) ? /(\d+)\s*$/.exec(readFileSync(timeFile, 'utf8')) : null
      resolve({
        ms: performance.now() - started,
        code: timedOut ? -1 : (code ?? -1),
        stdout,
        stderr,
        maxRssKiB: rss ? Number(rss[1]) : null,
        timedOut,
      })
    })
  })
}

/** Keys written/deleted from the publish CLI's `--json` report, or from its summary line. */
export function publishOutcome(stdout: string): {
  written: number | null
  deleted: number | null
  summary: string
} {
  try {
    const report = JSON.parse(stdout) as {
      keysWritten?: number
      keysDeleted?: number
      status?: string
      added?: unknown[]
      updated?: unknown[]
      unchanged?: unknown[]
    }
    if (typeof report.keysWritten === 'number') {
      const counts = `${report.added?.length ?? '?'} added, ${report.updated?.length ?? '?'} updated, ${report.unchanged?.length ?? '?'} unchanged`
      return {
        written: report.keysWritten,
        deleted: report.keysDeleted ?? null,
        summary: `${report.status}: ${counts}`,
      }
    }
  } catch {
    // Not JSON: a CLI without --json; read its summary line below.
  }
  const line = stdout.trim().split('\n').at(-1) ?? ''
  const match = /wrote (\d+) keys(?:,| and) deleted (\d+)/.exec(line)
  return {
    written: match ? Number(match[1]) : null,
    deleted: match ? Number(match[2]) : null,
    summary: line,
  }
}
