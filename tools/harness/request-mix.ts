// Harness: the load tests' request mix — every route of the real articles/, each unconditional,
// with If-None-Match and with If-Modified-Since (304s), asked once first so every one answers 200.
import { findArticleFiles } from '../../src/publish/article-files'
import { loadArticles } from '../../src/publish/load-articles'
import { parseSiteConfig } from '../../src/model/site'
import { articlePath, listPath } from '../../src/model/urls'
import type { RepoConfig } from './repo-config'

export interface Spec {
  method: 'GET' | 'HEAD'
  path: string
  headers?: Record<string, string>
}

/** Every route with the real articles, each unconditional and conditional (ETag and date). */
export async function requestMix(repo: RepoConfig, base: string): Promise<Spec[]> {
  const site = parseSiteConfig({ ...repo.vars, SITE_URL: base })
  const { articles } = await loadArticles(await findArticleFiles(['articles']), site)
  const paths = [
    '/',
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/sitemap.xml',
    '/news-sitemap.xml',
    '/robots.txt',
  ]
  for (const article of articles) {
    paths.push(articlePath(article.slug))
    if (article.section) paths.push(listPath({ kind: 'section', name: article.section }))
    for (const tag of article.tags.slice(0, 2)) {
      paths.push(
        listPath({ kind: 'tag', name: tag }),
        `${listPath({ kind: 'tag', name: tag })}/rss.xml`,
      )
    }
  }
  const specs: Spec[] = []
  for (const path of new Set(paths)) {
    const response = await fetch(base + path)
    await response.arrayBuffer()
    if (response.status !== 200)
      throw new Error(`${path} answered ${response.status} before the load test`)
    specs.push({ method: 'GET', path })
    const etag = response.headers.get('ETag')
    const lastModified = response.headers.get('Last-Modified')
    if (etag) specs.push({ method: 'GET', path, headers: { 'If-None-Match': etag } })
    if (lastModified)
      specs.push({ method: 'GET', path, headers: { 'If-Modified-Since': lastModified } })
  }
  // No HEAD: autocannon's response parser waits for a body after HEAD and stalls the connection
  // (HEAD is covered by the workerd tests).
  specs.push({ method: 'GET', path: '/', headers: { 'Accept-Encoding': 'gzip' } })
  // LOADTEST_ONLY=200|304 narrows the mix, to tell the two kinds of request apart when looking into memory.
  const only = process.env.LOADTEST_ONLY
  return only
    ? specs.filter(
        (spec) =>
          (spec.headers?.['If-None-Match'] || spec.headers?.['If-Modified-Since']
            ? '304'
            : '200') === only,
      )
    : specs
}

