// Harness: the site as `npm start` serves it, for the browser tests and the screenshots — the
// stylesheet built, articles/ published by the publish pipeline, `wrangler dev` on a loopback
// port (9200–9299). Local KV lives in the run's temp dir, so a developer's own .wrangler/state
// is never touched.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tombstoneEntry } from '../../src/publish/live-state'
import { buildAssets } from '../../src/publish/stylesheet-asset'
import { freePort } from './free-port'
import { publishToLocalKv } from './local-publish'
import { readRepoConfig, REPO, writeWorkerConfig } from './repo-config'
import { startWranglerDev } from './wrangler-dev'

export interface SiteServer {
  url: string
  stop(): Promise<void>
}

/** An unpublished article's tombstone, so the 410 page can be checked. */
export const WITHDRAWN = {
  slug: 'خبر-مسحوب',
  title: 'Withdrawn sample: سحب هذا الخبر',
  removedAt: '2024-11-25T10:00:00Z',
}

export async function startSiteServer(): Promise<SiteServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-site-'))
  const [repo, port] = await Promise.all([readRepoConfig(), freePort(9200, 9299), buildAssets()])
  const inspectorPort = await freePort(9200, 9299, [port])
  const url = `http://127.0.0.1:${port}`
  // The project's namespace and vars, with SITE_URL pointing at this server: what the publish reads.
  const config = writeWorkerConfig(dir, repo, { vars: { SITE_URL: url } })
  await publishToLocalKv(config, [tombstoneEntry(WITHDRAWN)])
  const server = await startWranglerDev({
    args: ['--persist-to', join(dir, '.wrangler', 'state'), '--var', `SITE_URL:${url}`],
    port,
    inspectorPort,
    cwd: REPO,
    dir,
  })
  return { url, stop: server.stop }
}
