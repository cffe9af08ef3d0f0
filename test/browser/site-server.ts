// The site as `npm start` serves it, for the browser tests and the screenshots: the stylesheet
// built, articles/ published by the real publish script, `wrangler dev` on a loopback port. Local
// KV lives in a temp dir (the publish script runs there, and local state follows the working
// directory), so a developer's own .wrangler/state is never touched.
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { unstable_readConfig } from 'wrangler'
import { buildAssets } from '../../scripts/build-assets'
import { goneKey } from '../../src/model/keys'
import { freePort, startWranglerDev, WRANGLER_ENV } from '../../scripts/wrangler-dev'

export interface SiteServer {
  url: string
  stop(): Promise<void>
}

/** An unpublished article's tombstone, so the 410 page can be checked. */
export const WITHDRAWN = { slug: 'خبر-مسحوب', title: 'Withdrawn sample: سحب هذا الخبر', removedAt: '2024-11-25T10:00:00Z' }

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export async function startSiteServer(): Promise<SiteServer> {
  await buildAssets()
  const dir = await mkdtemp(join(tmpdir(), 'sahifa-site-'))
  // 8787 is left to `npm start`.
  const port = await freePort(9200, 9299)
  const inspectorPort = await freePort(9200, 9299, [port])
  const url = `http://127.0.0.1:${port}`
  // The project's namespace and vars, with SITE_URL pointing at this server.
  const config = unstable_readConfig({ config: 'wrangler.toml' })
  const tempConfig = join(dir, 'wrangler.json')
  await writeFile(
    tempConfig,
    JSON.stringify({
      name: config.name,
      compatibility_date: config.compatibility_date,
      kv_namespaces: config.kv_namespaces.map(({ binding, id }: { binding: string; id?: string }) => ({ binding, id })),
      vars: { ...config.vars, SITE_URL: url },
    }),
  )
  const state = join(dir, '.wrangler', 'state')
  // Local KV state goes to .wrangler/state under the publish script's working directory.
  await run(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'scripts/publish.ts'), '--local', '--config', tempConfig, join(ROOT, 'articles')],
    { env: WRANGLER_ENV, cwd: dir },
  )
  // wrangler's own kv commands keep it beside the config file: the same place.
  await run(
    'npx',
    ['wrangler', 'kv', 'key', 'put', goneKey(WITHDRAWN.slug), JSON.stringify(WITHDRAWN), '--binding', 'ARTICLES', '--local', '--config', tempConfig],
    { env: WRANGLER_ENV },
  )
  const server = await startWranglerDev({
    args: ['--persist-to', state, '--var', `SITE_URL:${url}`],
    port,
    inspectorPort,
    dir,
  })
  return { url, stop: server.stop }
}
