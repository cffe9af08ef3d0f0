// One CLI run of the publish pipeline: the load and photo caches, progress on stderr, the report
// on stdout, the edge-cache purge, the WebSub pings, and the exit code. Shared by articles:publish
// and articles:unpublish.
import { PublishConflict } from '../publish/publish-lease'
import type { SiteConfig } from '../model/site'
import { planPurgeTags, type EdgeCache, type PurgeReport } from '../publish/edge-purge'
import type { ExternalLinkOptions } from '../publish/external-links'
import { publish } from '../publish/pipeline'
import type { Plan } from '../publish/publish-plan'
import { CacheChanged, cliLoadCache } from '../publish/load-cache'
import { diskPhotoStore } from '../publish/media-cache'
import { diskStateKeeper } from '../publish/state-memory'
import {
  dryRunLines,
  invalidLine,
  jsonReport,
  mediaDryRunLines,
  mediaSummaryLine,
  problemLines,
  summaryLine,
} from '../publish/publish-report'
import type { KvTarget } from '../publish/targets/kv-target'
import type { MediaTarget } from '../publish/targets/media-target'
import { changedTopics, pingHubs, type PingFailure } from '../publish/websub'
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
  /** The edge cache to purge of what this run changed, or why not (copies expire within s-maxage). */
  edgeCache?: EdgeCache
  /** The MEDIA bucket beside the KV target (photo variants). */
  media?: MediaTarget | undefined
  /** Fetch external links too (`--check-links`). */
  checkLinks?: ExternalLinkOptions | undefined
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
  deletedMedia: readonly string[],
  dryRun: boolean,
): Promise<EdgeCacheOutcome | undefined> {
  const tags = planPurgeTags(plan, deletedMedia)
  if (tags.length === 0 || !edgeCache) return undefined
  if ('skipped' in edgeCache) return { status: 'not purged', reason: edgeCache.skipped }
  if (dryRun) return { status: 'would purge', tags: tags.length }
  return { status: 'purged', report: await edgeCache.purge(tags) }
}

/** The outcome as lines for stdout, and warnings for stderr. */
function edgeCacheLines(outcome: EdgeCacheOutcome, target: string) {
  switch (outcome.status) {
    case 'would purge':
      return { lines: [`Edge cache: would purge ${outcome.tags} tag(s).`], warnings: [] }
    case 'not purged':
      return {
        lines: [
          `Edge cache: not purged (${outcome.reason}); cached copies show the change within 60 s.`,
        ],
        warnings: [],
      }
    case 'purged': {
      const { report } = outcome
      const what = report.everything ? 'everything' : `${report.tags} tag(s)`
      return {
        lines: [`Edge cache: purged ${what} of ${report.target} in ${report.requests} request(s).`],
        warnings: report.failures.map(
          (failure) =>
            `warning: purging ${report.target} failed: ${failure}; ${target} is published, and cached copies show it within 60 s.`,
        ),
      }
    }
  }
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
  try {
    const result = await publish({
      files: options.files,
      site: options.site,
      target,
      dryRun: options.dryRun,
      prune: options.prune,
      unpublish: options.unpublish,
      checkLinks: options.checkLinks,
      now: io.clock.now(),
      cache: cliLoadCache(options.site),
      keeper: diskStateKeeper(target),
      progress: progressPrinter(json, io.stderr),
      clock: io.clock,
      media: options.media,
      photos: diskPhotoStore(),
    })
    const edgeCache =
      result.status === 'invalid'
        ? undefined
        : await purgeEdgeCache(
            options.edgeCache,
            result.plan,
            result.media.deletes,
            result.status === 'dry-run',
          )
    const hubs =
      options.pingHubs && result.status === 'published'
        ? await notifyHubs(options.site, result.plan, io)
        : undefined
    if (json) {
      const extras = { ...(edgeCache ? { edgeCache } : {}), ...(hubs ? { websub: hubs } : {}) }
      printJson(io, { ...jsonReport(result, target.name), ...extras })
    } else for (const line of problemLines(result.problems)) printLine(io.stderr, line)
    if (result.status === 'invalid') {
      if (!json) printLine(io.stderr, `\n${invalidLine(result.problems, options.files.length)}`)
      return EXIT.invalid
    }
    if (!json) {
      const dryRun = result.status === 'dry-run'
      if (dryRun)
        for (const line of [...dryRunLines(result.plan), ...mediaDryRunLines(result.media)])
          printLine(io.stdout, line)
      printLine(io.stdout, summaryLine(result, target.name))
      const photos = mediaSummaryLine(result.media, dryRun)
      if (photos) printLine(io.stdout, photos)
      // The Cloudflare API's own budget (1,200 requests per five minutes): what this run spent.
      if (target.requests) printLine(io.stdout, `Cloudflare API: ${target.requests()} request(s).`)
      if (edgeCache) {
        const { lines, warnings } = edgeCacheLines(edgeCache, target.name)
        for (const line of lines) printLine(io.stdout, line)
        for (const warning of warnings) printLine(io.stderr, warning)
      }
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
    // A lost race says itself how to go on; any other failure resumes where it stopped.
    const advice = error instanceof PublishConflict || error instanceof CacheChanged ? '' : '\nRun the same command again: a publish resumes where it stopped.'
    if (json)
      printJson(io, jsonReport({ status: 'failed', problems: [], error: message }, target.name))
    else printLine(io.stderr, `${message}${advice}`)
    return EXIT.writeFailure
  } finally {
    await target.close()
  }
}
