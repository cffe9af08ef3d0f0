// Runs in Node before the worker tests: prepares the real articles/ exactly as the publish
// script does (Markdown and the sanitiser run in Node, never in the worker) and hands the
// stored articles to the tests in workerd.
import { unstable_readConfig } from 'wrangler'
import type { TestProject } from 'vitest/node'
import { findArticleFiles, loadArticles } from '../../scripts/articles'
import type { StoredArticle } from '../../src/model/article'
import { parseSiteConfig } from '../../src/model/site'

export default async function setup(project: TestProject) {
  const site = parseSiteConfig(unstable_readConfig({ config: 'wrangler.toml' }).vars)
  const loaded = await loadArticles(await findArticleFiles(['articles']), site)
  const errors = loaded.problems.filter((problem) => problem.severity === 'error')
  if (errors.length > 0) throw new Error(`articles/ is invalid: ${JSON.stringify(errors)}`)
  project.provide('articles', loaded.articles)
}

declare module 'vitest' {
  export interface ProvidedContext {
    articles: StoredArticle[]
  }
}
