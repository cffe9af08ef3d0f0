// Measure 7 (issue 16): archive scale through the real publish path. For each size, a temp project
// with that many generated `.json` articles, published by `npm run articles:publish` into its own
// local KV: the full publish, a no-change run and one edited article's body, each timed with the
// CLI's peak memory; `articles:check` at the largest size; and the CLI's own startup (npm, tsx and
// the imports, no work) so the engine's share of each run is visible. The largest site's KV state
// is kept for the storage and per-route steps. Beside them, local KV's own write rate through the
// publish's local target: the floor under any full publish, whatever the engine does.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median } from '../lib/stats'
import { projectCopy, publishOutcome, runCli, writeArticleJson, type CliRun } from '../lib/project'
import { localTarget } from '../../src/publish/targets/local-target'
import { readRepoConfig } from '../../tools/harness/repo-config'

export interface ScaleRun {
  name: 'full' | 'no change' | 'one change' | 'check'
  ms: number
  exitCode: number
  timedOut: boolean
  maxRssKiB: number | null
  keysWritten: number | null
  summary: string
}

export interface ScaleSize {
  count: number
  /** Bytes of the article files. */
  fileBytes: number
  runs: ScaleRun[]
  /** Why runs after a failed full publish were not made. */
  skipped?: string
}

/** Local KV's write rate: `keys` values of `valueBytes` put through the local target in `ms`. */
export interface KvFloor {
  keys: number
  valueBytes: number
  ms: number
}

export interface ScaleResult {
  sizes: ScaleSize[]
  /** Local KV's own write rate (null when the step did not run it). */
  kvFloor: KvFloor | null
  /** `articles:publish -- --help`: npm, tsx and the CLI's imports, median of three. */
  startupMs: number
  startupRssKiB: number | null
  timeoutMs: number
  heapCapMiB: number
  /** The largest size whose full publish succeeded, with its project (local KV beside it). */
  built?: { count: number; project: string }
}

/** One run at most this long: a publish that would take longer is reported, not waited for. */
export const RUN_TIMEOUT_MS = 10 * 60_000
/**
 * The CLI's V8 heap limit. The machine is shared with other work: an engine that needs 140 KB per
 * article (issue 16) would take ~14 GB at 100,000 and could push other processes out; at this cap
 * it stops with a heap error instead, reported as a MISS (the target is 1 GB).
 */
export const HEAP_CAP_MIB = 4096

const EDIT = '\nفقرة أضيفت بعد النشر للقياس.\n'
const FOLDER = 'bench-articles'

/** About the mean value at 100,000 articles (1,119 MiB in 209,572 keys, section 8). */
const FLOOR_VALUE_BYTES = 5_500
const FLOOR_KEYS = 10_000

/**
 * FLOOR_KEYS values put through the publish's own local target (src/publish/targets/local-target.ts:
 * its batches, its writer inside workerd) into a fresh state: how many keys a second local KV
 * stores when the publish has nothing else to do.
 */
async function measureKvFloor(dir: string): Promise<KvFloor> {
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'wrangler.toml')
  writeFileSync(config, '')
  // Arabic letters: two UTF-8 bytes each, as the articles' text mostly is.
  const value = 'ق'.repeat(FLOOR_VALUE_BYTES / 2)
  const entries = Array.from({ length: FLOOR_KEYS }, (_, i) => ({ key: `v1:article:floor-${i}`, value }))
  const target = await localTarget(config, 'bench-kv-floor', (await readRepoConfig()).compatibilityDate)
  try {
    // Timed from a started workerd: a publish starts it while its files load.
    await target.get('v1:warm-up')
    const started = performance.now()
    await target.put(entries)
    return { keys: FLOOR_KEYS, valueBytes: FLOOR_VALUE_BYTES, ms: performance.now() - started }
  } finally {
    await target.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The floor's rate, keys a second. */
export const keysPerSecond = (floor: KvFloor) => Math.round((floor.keys / floor.ms) * 1000)

function folderBytes(folder: string): number {
  let bytes = 0
  for (const name of readdirSync(folder)) bytes += statSync(join(folder, name)).size
  return bytes
}

const env = { NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MIB}` }

/** What a failed run said: the first of its problems (from `--json`), else its last stderr line. */
function failure(result: CliRun): string {
  try {
    const { problems = [] } = JSON.parse(result.stdout) as {
      problems?: { file: string; message: string }[]
    }
    if (problems.length > 0)
      return `${problems.length.toLocaleString('en-US')} problems, the first: ${problems[0]!.file}: ${problems[0]!.message}`
  } catch {
    // Not a JSON report (a crash, a heap error): stderr says why.
  }
  return result.stderr.trim().split('\n').filter(Boolean).at(-1) ?? ''
}

function scaleRun(name: ScaleRun['name'], result: CliRun): ScaleRun {
  const outcome = publishOutcome(result.stdout)
  return {
    name,
    ms: result.ms,
    exitCode: result.code,
    timedOut: result.timedOut,
    maxRssKiB: result.maxRssKiB,
    keysWritten: name === 'check' ? null : outcome.written,
    summary: result.timedOut
      ? `killed after ${RUN_TIMEOUT_MS / 60_000} min`
      : result.code === 0
        ? outcome.summary
        : failure(result).slice(0, 300),
  }
}

/**
 * `sizes` ascending. `fullOnly`: only the full publish of the largest size (for the storage step
 * run alone).
 */
export async function measureScale(
  dir: string,
  sizes: readonly number[],
  log: (line: string) => void,
  fullOnly = false,
): Promise<ScaleResult> {
  const result: ScaleResult = {
    sizes: [],
    kvFloor: null,
    startupMs: 0,
    startupRssKiB: null,
    timeoutMs: RUN_TIMEOUT_MS,
    heapCapMiB: HEAP_CAP_MIB,
  }
  if (!fullOnly) {
    const floor = (result.kvFloor = await measureKvFloor(join(dir, 'kv-floor')))
    log(`scale: local KV stored ${floor.keys} values in ${(floor.ms / 1000).toFixed(1)} s (${keysPerSecond(floor)} keys/s)`)
  }
  const largest = sizes[sizes.length - 1]!
  const projects: string[] = []
  for (const count of fullOnly ? [largest] : sizes) {
    const project = join(dir, `scale-${count}`)
    projectCopy(project)
    projects.push(project)
    const folder = join(project, FOLDER)
    mkdirSync(folder)
    for (let i = 0; i < count; i++) writeArticleJson(folder, i, count)
    const size: ScaleSize = { count, fileBytes: folderBytes(folder), runs: [] }
    result.sizes.push(size)
    log(`scale: ${count} articles written (${(size.fileBytes / 1024 ** 2).toFixed(0)} MiB)`)
    if (result.startupMs === 0 && !fullOnly) {
      const startups: CliRun[] = []
      for (let i = 0; i < 3; i++)
        startups.push(await runCli(project, 'articles:publish', ['--help'], { timeoutMs: 60_000 }))
      result.startupMs = median(startups.map((run) => run.ms))
      result.startupRssKiB = median(startups.map((run) => run.maxRssKiB ?? Number.NaN))
    }
    const publish = async (name: ScaleRun['name']) => {
      const run = scaleRun(
        name,
        await runCli(project, 'articles:publish', ['--local', '--json', FOLDER], {
          timeoutMs: RUN_TIMEOUT_MS,
          env,
        }),
      )
      size.runs.push(run)
      log(
        `scale ${count} ${name}: exit ${run.exitCode} in ${(run.ms / 1000).toFixed(1)} s, ${run.maxRssKiB} KiB peak, ${run.keysWritten} keys`,
      )
      return run.exitCode === 0
    }
    const check = async () => {
      const run = await runCli(project, 'articles:check', ['--json', FOLDER], {
        timeoutMs: RUN_TIMEOUT_MS,
        env,
      })
      size.runs.push(scaleRun('check', run))
      log(`scale ${count} check: exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`)
    }
    if (!(await publish('full'))) {
      size.skipped = 'the full publish did not finish'
      // The check reads the same files and writes nothing: it is measured all the same.
      if (count === largest && !fullOnly) await check()
      continue
    }
    result.built = { count, project }
    if (fullOnly) break
    await publish('no change')
    writeArticleJson(folder, Math.floor(count / 2), count, EDIT)
    await publish('one change')
    if (count === largest) await check()
  }
  // Only the project of the largest site built is kept (its KV state is read by later steps).
  for (const project of projects)
    if (project !== result.built?.project) rmSync(project, { recursive: true, force: true })
  return result
}
