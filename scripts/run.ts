// One CLI run of publish(): the render cache, progress on stderr, the report on stdout, and the
// exit code. Shared by articles:publish and articles:unpublish.
import type { SiteConfig } from '../src/model/site'
import { EXIT } from './cli'
import type { KvTarget } from './kv'
import type { Plan } from './plan'
import { publish } from './publisher'
import { planPurgeTags, type EdgeCache, type PurgeReport } from './purge'
import { renderCache } from './render-cache'
import { dryRunLines, invalidLine, jsonReport, problemLines, summaryLine } from './report'
import { changedTopics, pingHubs, type PingFailure } from './websub'

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
  /** The edge cache to purge of what this run changed, or why not (copies expire within s-maxage). */
  edgeCache?: EdgeCache
}

/** What the run did about the edge cache, for the report. */
type EdgeCacheOutcome =
  | { status: 'purged'; report: PurgeReport }
  | { status: 'would purge'; tags: number }
  | { status: 'not purged'; reason: string }

/** Purge what the plan changed, before hubs are pinged: a hub must fetch the new feed, not a copy. */
async function purgeEdgeCache(
  edgeCache: EdgeCache | undefined,
  plan: Plan,
  dryRun: boolean,
): Promise<EdgeCacheOutcome | undefined> {
  const tags = planPurgeTags(plan)
  if (tags.length === 0 || !edgeCache) return undefined
  if ('skipped' in edgeCache) return { status: 'not purged', reason: edgeCache.skipped }
  if (dryRun) return { status: 'would purge', tags: tags.length }
  return { status: 'purged', report: await edgeCache.purge(tags) }
}

function edgeCacheLines(outcome: EdgeCacheOutcome, target: string): string[] {
  switch (outcome.status) {
    case 'would purge':
      return [`Edge cache: would purge ${outcome.tags} tag(s).`]
    case 'not purged':
      return [`Edge cache: not purged (${outcome.reason}); cached copies show the change within 60 s.`]
    case 'purged': {
      const { report } = outcome
      const what = report.everything ? 'everything' : `${report.tags} tag(s)`
      const lines = [`Edge cache: purged ${what} of ${report.target} in ${report.requests} request(s).`]
      for (const failure of report.failures) {
        lines.push(`warning: purging ${report.target} failed: ${failure}; ${target} is published, and cached copies show it within 60 s.`)
      }
      return lines
    }
  }
}

interface HubReport {
  topics: number
  delivered: number
  failures: PingFailure[]
}

/** Tell the hubs which feeds changed; failures are reported, never fatal (the publish stands). */
async function notifyHubs(site: SiteConfig, plan: Plan): Promise<HubReport> {
  const changedKeys = plan.phases.flatMap((phase) => ('put' in phase ? phase.put.map((entry) => entry.key) : phase.delete))
  const topics = changedTopics(site, changedKeys)
  if (topics.length === 0 || site.hubs.length === 0) return { topics: topics.length, delivered: 0, failures: [] }
  return { topics: topics.length, ...(await pingHubs(site.hubs, topics)) }
}

function progressPrinter(json: boolean) {
  if (json) return undefined
  const { stderr } = process
  return (done: number, total: number) => {
    if (total <= PROGRESS_THRESHOLD) return
    const line = `${done}/${total} keys written or deleted`
    if (stderr.isTTY) stderr.write(`\r${line}${done === total ? '\n' : ''}`)
    else stderr.write(`${line}\n`)
  }
}

export async function publishAndReport(options: RunOptions): Promise<number> {
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
      now: Date.now(),
      render: cache.render,
      progress: progressPrinter(json),
    })
    await cache.save()
    const edgeCache =
      result.status === 'invalid' ? undefined : await purgeEdgeCache(options.edgeCache, result.plan, result.status === 'dry-run')
    const hubs =
      options.pingHubs && result.status === 'published' ? await notifyHubs(options.site, result.plan) : undefined
    if (json) {
      const extras = { ...(edgeCache ? { edgeCache } : {}), ...(hubs ? { websub: hubs } : {}) }
      console.log(JSON.stringify({ ...jsonReport(result, target.name), ...extras }, null, 2))
    }
    else for (const line of problemLines(result.problems)) console.error(line)
    if (result.status === 'invalid') {
      if (!json) console.error(`\n${invalidLine(result.problems, options.files.length)}`)
      return EXIT.invalid
    }
    if (!json) {
      if (result.status === 'dry-run')
        for (const line of dryRunLines(result.plan)) console.log(line)
      console.log(summaryLine(result, target.name))
      if (edgeCache) {
        for (const line of edgeCacheLines(edgeCache, target.name)) {
          ;(line.startsWith('warning:') ? console.error : console.log)(line)
        }
      }
      if (hubs && hubs.topics > 0) {
        console.log(`WebSub: ${hubs.delivered} ping(s) delivered for ${hubs.topics} changed feed(s) to ${options.site.hubs.length} hub(s).`)
        for (const failure of hubs.failures) {
          console.error(`warning: WebSub hub ${failure.hub} did not take ${failure.topic}: ${failure.reason}`)
        }
      }
    }
    return EXIT.ok
  } catch (error) {
    const message = `publishing to ${target.name} failed: ${(error as Error).message}`
    if (json)
      console.log(
        JSON.stringify(
          jsonReport({ status: 'failed', problems: [], error: message }, target.name),
          null,
          2,
        ),
      )
    else
      console.error(`${message}\nRun the same command again: a publish resumes where it stopped.`)
    return EXIT.writeFailure
  } finally {
    await target.close()
  }
}
