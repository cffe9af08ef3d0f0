// Harness: the real articles/ published into a run's own local KV and R2 (beside its generated
// config, where `wrangler dev --persist-to <dir>/.wrangler/state` serves them) through the publish
// pipeline, as `npm run articles:publish -- --local --config <that config>` does — without
// touching the developer's .wrangler/state or the CLI caches in node_modules/.cache.
import { dirname, join } from 'node:path'
import { findArticleFiles } from '../../src/publish/article-files'
import type { KvEntry } from '../../src/publish/desired-state'
import { publish } from '../../src/publish/pipeline'
import { formatProblem } from '../../src/publish/problems'
import { readProjectConfig } from '../../src/publish/project-config'
import { localTarget } from '../../src/publish/targets/local-target'
import { parseSiteConfig } from '../../src/model/site'
import { harnessPhotoStore } from './photo-store'
import { REPO } from './repo-config'

/** Publish `articles/` with the site and namespace of `configPath`, then write `extra` as it is. */
export async function publishToLocalKv(configPath: string, extra: readonly KvEntry[] = []) {
  const dir = dirname(configPath)
  const config = await readProjectConfig(configPath, join(dir, 'wrangler-config.json'))
  if (!config.namespaceId) throw new Error(`${configPath} has no ARTICLES namespace id`)
  const target = await localTarget(
    configPath,
    config.namespaceId,
    config.compatibilityDate,
    config.mediaBucket,
  )
  try {
    const result = await publish({
      files: await findArticleFiles([join(REPO, 'articles')]),
      site: parseSiteConfig(config.vars),
      target,
      media: target.media,
      photos: harnessPhotoStore(),
      dryRun: false,
      now: Date.now(),
    })
    if (result.status !== 'published')
      throw new Error(
        `articles/ did not publish:\n${result.problems.map(formatProblem).join('\n')}`,
      )
    if (extra.length > 0) await target.put(extra)
  } finally {
    await target.close()
  }
}
