// `npm start [-- --port N]`: the editor's desk. Publishes articles/ to local KV, serves it with
// `wrangler dev` on http://127.0.0.1:<port> (PORT or --port, else 8787) through the dev-only entry
// src/dev/index.ts — the production worker plus `/preview/<slug>` — and watches articles/ (and
// the files beside the articles), republishing what changed on each save, in this process.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runIfMain } from '../src/cli/command'
import { parseSiteConfig } from '../src/model/site'
import { SYSTEM_CLOCK } from '../src/publish/pool'
import { formatProblem, printableFile } from '../src/publish/problems'
import { diskPhotoStore, MEDIA_CACHE_DIR } from '../src/publish/media-cache'
import { PROJECT_CONFIG_CACHE, readProjectConfig } from '../src/publish/project-config'
import { LOAD_CACHE_DIR, loadCache } from '../src/publish/load-cache'
import { buildAssets } from '../src/publish/stylesheet-asset'
import { localTarget } from '../src/publish/targets/local-target'
import { WatchSession, type UpdateReport } from '../src/publish/watch-session'
import { devPort, PortError } from './dev-port'
import { startWranglerDev, type WranglerDev } from './harness/wrangler-dev'
import { watchFolder } from './watch-folder'

/** The dev-only entry; `npm run deploy` builds wrangler.toml's `main` and never this one. */
const DEV_ENTRY = fileURLToPath(new URL('../src/dev/index.ts', import.meta.url))

/** Saves arrive as bursts of events (write, rename, chmod): publish once the burst is over. */
const SETTLE_MS = 40

export interface StartOptions {
  port: number
  /** wrangler's configuration (default wrangler.toml); local KV lives beside it. */
  config?: string
  /** The content folder (default articles). */
  folder?: string
  /** wrangler dev's inspector port (default: wrangler's own). */
  inspectorPort?: number
  /** Where the desk's lines and wrangler's output go. */
  print?: (text: string) => void
  /** The project folder: names in reports and the caches in node_modules/.cache (default: cwd). */
  root?: string
}

export interface RunningSite {
  url: string
  /** Settles with the report of the next publish after now (a save, or a media change). */
  nextUpdate(): Promise<UpdateReport>
  stop(): Promise<void>
  /** Settles when wrangler dev exits. */
  exited: Promise<void>
}

/** The lines a publish prints: its problems, then what became of the save. */
function reportLines(report: UpdateReport, what: string): string[] {
  const lines = report.problems.map(formatProblem)
  const took = `${Math.round(report.ms)} ms`
  if (report.status === 'failed')
    lines.push(
      `✗ ${what}: local KV failed (${report.error}); the site shows the last publish. Save again to retry.`,
    )
  else if (report.kept.length > 0)
    lines.push(
      `✗ ${report.kept.map(printableFile).join(', ')}: not published (errors above); the site keeps the last good version.`,
    )
  for (const file of report.deleted)
    lines.push(
      `${printableFile(file)} was deleted: its article stays published (npm run articles:unpublish -- <slug> takes it down).`,
    )
  const plan = report.plan
  if (plan && (report.kept.length === 0 || report.keysWritten > 0)) {
    const counts = `${plan.added.length} added, ${plan.updated.length} updated, ${plan.removed.length} removed`
    lines.push(`✓ ${what} published in ${took}: ${counts}, ${report.keysWritten} keys written.`)
  }
  return lines
}

export async function startSite(options: StartOptions): Promise<RunningSite> {
  const print = options.print ?? ((text: string) => process.stdout.write(text))
  const config = resolve(options.config ?? 'wrangler.toml')
  const folder = resolve(options.folder ?? 'articles')
  const url = `http://127.0.0.1:${options.port}`
  const root = resolve(options.root ?? '.')
  const [project] = await Promise.all([
    readProjectConfig(config, join(root, PROJECT_CONFIG_CACHE)),
    buildAssets(),
  ])
  if (!project.namespaceId) throw new Error(`${config} has no ARTICLES namespace id`)
  // Links, feeds and canonical URLs point at this server, whatever SITE_URL says for deploys.
  const site = parseSiteConfig({ ...project.vars, SITE_URL: url })
  const target = await localTarget(
    config,
    project.namespaceId,
    project.compatibilityDate,
    project.mediaBucket,
  )
  const { session, report } = await WatchSession.open({
    folder,
    root,
    site,
    target,
    cache: loadCache({ site, prepareDrafts: true }, join(root, LOAD_CACHE_DIR)),
    clock: SYSTEM_CLOCK,
    photos: diskPhotoStore(join(root, MEDIA_CACHE_DIR)),
  })
  for (const line of reportLines(report, 'articles/')) print(`${line}\n`)

  let server: WranglerDev
  try {
    server = await startWranglerDev({
      args: [
        DEV_ENTRY,
        '--config',
        config,
        '--persist-to',
        join(dirname(config), '.wrangler', 'state'),
        '--var',
        `SITE_URL:${url}`,
      ],
      port: options.port,
      inspectorPort: options.inspectorPort ?? options.port + 1,
      cwd: dirname(config),
      onOutput: print,
    })
  } catch (error) {
    await target.close()
    throw error
  }

  // Saves are published one after another, each once its burst of events has settled.
  const waiting: ((report: UpdateReport) => void)[] = []
  const changed = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  const flush = () => {
    const paths = [...changed]
    changed.clear()
    running = running.then(async () => {
      const update = await session.update(paths)
      const what = update.saved.map(printableFile).join(', ') || 'media'
      for (const line of reportLines(update, what)) print(`${line}\n`)
      for (const resolveWaiting of waiting.splice(0)) resolveWaiting(update)
    })
  }
  const watcher = await watchFolder(folder, (path) => {
    changed.add(path)
    clearTimeout(timer)
    timer = setTimeout(flush, SETTLE_MS)
  })

  return {
    url,
    nextUpdate: () => new Promise((done) => waiting.push(done)),
    exited: server.exited,
    async stop() {
      watcher.close()
      clearTimeout(timer)
      await running
      await server.stop()
      await target.close()
    },
  }
}

/** `npm start`: runs until Ctrl-C (or wrangler dev ends); exit 2 for a bad port. */
export async function main(args: readonly string[], env = process.env): Promise<number> {
  let port: number
  try {
    ;({ port } = devPort(args, env))
  } catch (error) {
    if (!(error instanceof PortError)) throw error
    console.error(`${error.message}\n\nusage: npm start [-- --port N]   (or PORT=N npm start)`)
    return 2
  }
  const site = await startSite({ port })
  console.log(`\nServing ${site.url} — previews of drafts at ${site.url}/preview/<slug>.`)
  console.log('Watching articles/: every save is published at once. Ctrl-C stops.\n')
  const stopped = new Promise<void>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.once(signal, () => done())
  })
  await Promise.race([stopped, site.exited])
  await site.stop()
  return 0
}

runIfMain(import.meta.url, main)
