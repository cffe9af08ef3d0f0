// Measure 4: the real publish CLI (`npm run articles:publish`) on 1,000 generated article files,
// in a temp copy of the project so its local KV and render cache start empty and the repo's
// .wrangler/state is never touched. Three runs: all new, no change, one article changed.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { slugOf, sourceArticle } from '../data'
import { offlineEnv } from '../../src/publish/offline-env'
import { REPO } from '../../tools/harness/repo-config'

export interface PublishRun {
  name: string
  ms: number
  exitCode: number
  keysWritten: number | null
  keysDeleted: number | null
  summary: string
}

const PROJECT_FILES = ['package.json', 'wrangler.toml', 'tsconfig.json', 'src', 'tools', 'schema']

/** A copy of the project that shares the repo's installed packages but not its caches or state. */
function projectCopy(dir: string) {
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

function writeArticle(dir: string, i: number, count: number, edit = '') {
  writeFileSync(
    join(dir, `${slugOf(i)}.json`),
    `${JSON.stringify(sourceArticle(i, count, edit), null, 2)}\n`,
  )
}

function run(
  cwd: string,
  args: string[],
): Promise<{ ms: number; code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('npm', ['run', '--silent', 'articles:publish', '--', ...args], {
      cwd,
      env: { ...offlineEnv(), NO_COLOR: '1', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()))
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      resolve({ ms: performance.now() - started, code: code ?? -1, stdout, stderr }),
    )
  })
}

/** Keys written/deleted from the `--json` report, or from the summary line of older CLIs. */
function parseOutcome(stdout: string): {
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
    // Not JSON: an older CLI without --json; read its summary line below.
  }
  const line = stdout.trim().split('\n').at(-1) ?? ''
  const match = /wrote (\d+) keys(?:,| and) deleted (\d+)/.exec(line)
  return {
    written: match ? Number(match[1]) : null,
    deleted: match ? Number(match[2]) : null,
    summary: line,
  }
}

export async function measurePublish(
  dir: string,
  count: number,
  log: (line: string) => void,
): Promise<PublishRun[]> {
  projectCopy(dir)
  const articles = join(dir, 'bench-articles')
  mkdirSync(articles)
  for (let i = 0; i < count; i++) writeArticle(articles, i, count)
  const help = await run(dir, ['--help'])
  const json = /--json/.test(help.stdout + help.stderr) ? ['--json'] : []
  const runs: PublishRun[] = []
  const once = async (name: string) => {
    const result = await run(dir, ['--local', ...json, 'bench-articles'])
    const outcome = parseOutcome(result.stdout)
    if (result.code !== 0)
      log(`publish "${name}" exited ${result.code}: ${result.stderr.slice(-2000)}`)
    runs.push({
      name,
      ms: result.ms,
      exitCode: result.code,
      keysWritten: outcome.written,
      keysDeleted: outcome.deleted,
      summary: outcome.summary,
    })
    log(`publish ${name}: ${(result.ms / 1000).toFixed(1)} s, ${outcome.written} keys written`)
  }
  await once(`${count.toLocaleString('en-US')} new articles`)
  await once('no change')
  writeArticle(articles, Math.floor(count / 2), count, '\nفقرة أضيفت بعد النشر.\n')
  await once('one article changed')
  return runs
}
