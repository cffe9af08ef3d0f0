// Runs in Node before the worker tests: takes wrangler and miniflare offline and their scratch
// state into memory for the whole run (vitest.worker.config.ts starts workerd only after this),
// prepares the real articles/ exactly as the publish script does (Markdown and the sanitiser run
// in Node, never in the worker) and hands the stored articles to the tests in workerd.
import type { TestProject } from 'vitest/node'
import type { StoredArticle } from '../../src/model/article'
import { findArticleFiles } from '../../src/publish/article-files'
import { loadArticles } from '../../src/publish/load-articles'
import { goOffline } from '../../src/publish/offline-env'
import { parseSiteConfig } from '../../src/model/site'
import { scratchInMemory } from '../../tools/harness/memory-scratch'
import { harnessPhotoStore } from '../../tools/harness/photo-store'
import { readRepoConfig } from '../../tools/harness/repo-config'

export default async function setup(project: TestProject) {
  goOffline()
  scratchInMemory()
  const site = parseSiteConfig((await readRepoConfig()).vars)
  const loaded = await loadArticles(await findArticleFiles(['articles']), site, {
    photos: harnessPhotoStore(),
  })
  const errors = loaded.problems.filter((problem) => problem.severity === 'error')
  if (errors.length > 0) throw new Error(`articles/ is invalid: ${JSON.stringify(errors)}`)
  project.provide('articles', loaded.articles)
}

declare module 'vitest' {
  export interface ProvidedContext {
    articles: StoredArticle[]
  }
}
