// One CLI run of the publish pipeline: the render cache, progress on stderr, the report on
// stdout, the WebSub pings, and the exit code. Shared by articles:publish and articles:unpublish.
import { publish } from '../publish/pipeline'
import type { Plan } from '../publish/publish-plan'
import {
  dryRunLines,
  invalidLine,
  jsonReport,
  problemLines,
  summaryLine,
} from '../publish/publish-report'
import { renderCache } from '../publish/render-cache'
import type { KvTarget } from '../publish/targets/kv-target'
import { changedTopics, pingHubs, type PingFailure } from '../publish/websub'
import type { SiteConfig } from '../site'
import { EXIT, printLine, type CliIo, type OutputStream } from './command'

/** Progress is shown once a run has more keys than this to write or delete. */
const PROGRESS_THRESHOLD = 1000

export interface RunOptions {
  target: KvTarget
  site: SiteConfig
  files: readonly string[]
  json: boolean
  dryRun: boolean
  prune?: boolean
  unpublish?: readonly string[]
  /** Ping the site's WebSub hubs for the feeds this run changed. */
  pingHubs?: boolean
}

interface HubReport {
  topics: number
  delivered: number
  failures: PingFailure[]
}

/** Tell the hubs which feeds changed; failures are reported, never fatal (the publish stands). */
async function notifyHubs(site: SiteConfig, plan: Plan, io: CliIo): Promise<HubReport> {
  const changedKeys = plan.phases.flatMap((phase) =>
    'put' in phase ? phase.put.map((entry) => entry.key) : phase.delete,
  )
  const topics = changedTopics(site, changedKeys)
  if (topics.length === 0 || site.hubs.length === 0)
    return { topics: topics.length, delivered: 0, failures: [] }
  return { topics: topics.length, ...(await pingHubs(site.hubs, topics, { clock: io.clock })) }
}

function progressPrinter(json: boolean, stderr: OutputStream) {
  if (json) return undefined
  return (done: number, total: number) => {
    if (total <= PROGRESS_THRESHOLD) return
    const line = `${done}/${total} keys written or deleted`
    if (stderr.isTTY) stderr.write(`\r${line}${done === total ? '\n' : ''}`)
    else stderr.write(`${line}\n`)
  }
}

const printJson = (io: CliIo, value: unknown) =>
  printLine(io.stdout, JSON.stringify(value, null, 2))

export async function publishAndReport(options: RunOptions, io: CliIo): Promise<number> {
  const { target, json } = options
  const cache = await renderCache()
  try {
    const result = await publish({
      files: options.files,
      site: options.site,
      target,
      dryRun: options.dryRun,
      prune: options.prune,
      unpublish: options.unpublish,
      now: io.clock.now(),
      render: cache.render,
      progress: progressPrinter(json, io.stderr),
      clock: io.clock,
    })
    await cache.save()
    const hubs =
      options.pingHubs && result.status === 'published'
        ? await notifyHubs(options.site, result.plan, io)
        : undefined
    if (json)
      printJson(io, { ...jsonReport(result, target.name), ...(hubs ? { websub: hubs } : {}) })
    else for (const line of problemLines(result.problems)) printLine(io.stderr, line)
    if (result.status === 'invalid') {
      if (!json) printLine(io.stderr, `\n${invalidLine(result.problems, options.files.length)}`)
      return EXIT.invalid
    }
    if (!json) {
      if (result.status === 'dry-run')
        for (const line of dryRunLines(result.plan)) printLine(io.stdout, line)
      printLine(io.stdout, summaryLine(result, target.name))
      if (hubs && hubs.topics > 0) {
        const hubCount = options.site.hubs.length
        printLine(
          io.stdout,
          `WebSub: ${hubs.delivered} ping(s) delivered for ${hubs.topics} changed feed(s) to ${hubCount} hub(s).`,
        )
        for (const failure of hubs.failures) {
          printLine(
            io.stderr,
            `warning: WebSub hub ${failure.hub} did not take ${failure.topic}: ${failure.reason}`,
          )
        }
      }
    }
    return EXIT.ok
  } catch (error) {
    const message = `publishing to ${target.name} failed: ${(error as Error).message}`
    if (json)
      printJson(io, jsonReport({ status: 'failed', problems: [], error: message }, target.name))
    else
      printLine(
        io.stderr,
        `${message}\nRun the same command again: a publish resumes where it stopped.`,
      )
    return EXIT.writeFailure
  } finally {
    await target.close()
  }
}
