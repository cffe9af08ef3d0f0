// Measure 10 (issue 10): publish → visible with `npm start` running (tools/start.ts's startSite on
// a temp project of a few hundred `.md` articles). For a new article, a new title, an unpublish by
// the CLI while the site runs and an unpublish by saving `draft: true`: the time from the save (or
// the CLI's exit) to the first request that shows the change, per kind of URL — the article, the
// home page, its section, tag and author pages, the three site feeds and the news sitemap.
// Every URL is requested first (so each has a cached copy to replace), then left alone for the
// isolate's one-second memory copies to lapse (MEMORY_LIMITS.ttlMs: by design a copy answered in
// that second may still be served), and asked again from the moment the change is written.
import { rmSync, writeFileSync } from 'node:fs'
import { sourceArticle } from '../data'
import { projectCopy, runCli } from '../lib/project'
import { sleep } from '../lib/stats'
import { articleText, startGeneratedSite } from './watch'
import { MEMORY_LIMITS } from '../../src/worker/cache/memory'
import type { RunningSite } from '../../tools/start'

export interface FreshnessChange {
  name: string
  /** From the write (or the CLI's exit) to the session's report; null for the CLI. */
  publishMs: number | null
  /** The CLI's own run, for the unpublish. */
  cliMs: number | null
  /** URL kind → ms from the change to the first response showing it (Infinity: never seen). */
  visibleMs: Record<string, number>
}

export interface FreshnessResult {
  count: number
  firstPublishMs: number
  kinds: string[]
  changes: FreshnessChange[]
  giveUpMs: number
}

/** A URL not showing the change after this long is reported as never. */
const GIVE_UP_MS = 15_000
const POLL_MS = 10

type Check = (status: number, body: string) => boolean

/** The first time after `since` that each URL answers `check`, polled side by side. */
async function firstShowing(
  site: RunningSite,
  urls: Record<string, string>,
  check: (kind: string) => Check,
  since: number,
): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([kind, path]) => {
      while (performance.now() - since < GIVE_UP_MS) {
        const response = await fetch(site.url + path)
        if (check(kind)(response.status, await response.text()))
          return [kind, performance.now() - since] as const
        await sleep(POLL_MS)
      }
      return [kind, Infinity] as const
    }),
  )
  return Object.fromEntries(entries)
}

export async function measureFreshness(
  dir: string,
  count: number,
  log: (line: string) => void,
): Promise<FreshnessResult> {
  // A project copy, so the unpublish CLI runs in it against the same local KV.
  projectCopy(dir)
  const { site, file, config, firstPublishMs } = await startGeneratedSite(
    dir,
    count,
    log,
    'freshness',
  )

  // The new articles: the newest on the site, published a minute ago (so in the news sitemap).
  const fresh = [count, count + 1]
  const facts = (i: number) => sourceArticle(i, count)
  const urlsOf = (i: number) => {
    const { slug, section, tags, authors } = facts(i)
    const name = encodeURIComponent
    return {
      article: `/articles/${name(slug)}`,
      home: '/',
      section: `/sections/${name(section!)}`,
      tag: `/tags/${name(tags![0]!)}`,
      author: `/authors/${name(authors![0]!.name)}`,
      RSS: '/rss.xml',
      Atom: '/atom.xml',
      'JSON Feed': '/feed.json',
      'news sitemap': '/news-sitemap.xml',
    }
  }
  // Published a minute ago; no updatedAt (the generated one would be before that).
  const text = (i: number, title: string, more: Record<string, unknown> = {}) =>
    articleText(i, count, '', title, {
      publishedAt: new Date(Date.now() - 60_000).toISOString(),
      updatedAt: undefined,
      ...more,
    })
  const shows = (title: string) => () => (status: number, body: string) =>
    status === 200 && body.includes(title)
  const gone = (title: string) => (kind: string) => (status: number, body: string) =>
    kind === 'article' ? status === 410 || status === 404 : status === 200 && !body.includes(title)

  const changes: FreshnessChange[] = []
  const settle = async (i: number) => {
    for (const path of Object.values(urlsOf(i))) await (await fetch(site.url + path)).arrayBuffer()
    await sleep(MEMORY_LIMITS.ttlMs)
  }
  const save = async (name: string, i: number, content: string, check: (kind: string) => Check) => {
    await settle(i)
    const update = site.nextUpdate()
    const since = performance.now()
    writeFileSync(file(i), content)
    const report = await update
    const publishMs = performance.now() - since
    if (report.problems.length > 0)
      log(`freshness ${name}: ${report.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`)
    const visibleMs = await firstShowing(site, urlsOf(i), check, since)
    changes.push({ name, publishMs, cliMs: null, visibleMs })
    log(
      `freshness ${name}: published in ${publishMs.toFixed(0)} ms, slowest URL ${Math.max(...Object.values(visibleMs)).toFixed(0)} ms`,
    )
  }
  try {
    const [a, b] = fresh as [number, number]
    const titleA = 'خبر جديد لقياس سرعة الظهور'
    const titleA2 = 'عنوان معدل لقياس سرعة الظهور'
    await save('new article', a, text(a, titleA), shows(titleA))
    await save('new title', a, text(a, titleA2), shows(titleA2))
    // The CLI unpublish, as an editor takes an article down: the file goes, then the CLI runs.
    const deleted = site.nextUpdate()
    rmSync(file(a))
    await deleted
    await settle(a)
    const cli = await runCli(dir, 'articles:unpublish', ['--config', config, facts(a).slug], {
      timeoutMs: 120_000,
    })
    const since = performance.now()
    if (cli.code !== 0) log(`freshness: unpublish exited ${cli.code}: ${cli.stderr.slice(-1000)}`)
    const visibleMs = await firstShowing(site, urlsOf(a), gone(titleA2), since)
    changes.push({
      name: 'unpublish (CLI while the site runs)',
      publishMs: null,
      cliMs: cli.ms,
      visibleMs,
    })
    log(
      `freshness CLI unpublish: CLI ${cli.ms.toFixed(0)} ms, slowest URL ${Math.max(...Object.values(visibleMs)).toFixed(0)} ms`,
    )
    const titleB = 'خبر ثان لقياس سحب المسودة'
    await save('new article (for the draft)', b, text(b, titleB), shows(titleB))
    await save('unpublish (draft: true saved)', b, text(b, titleB, { draft: true }), gone(titleB))
  } finally {
    await site.stop()
  }
  return { count, firstPublishMs, kinds: Object.keys(urlsOf(count)), changes, giveUpMs: GIVE_UP_MS }
}
