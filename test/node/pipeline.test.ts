// Publishing into real miniflare KV: incremental writes, dry run, drafts, schedule, redirects,
// prune and unpublish with tombstones, the write order, and KV's one-write-per-key rule.
import { LEASE_KEY } from '../../src/model/keys'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Gone, Redirect } from '../../src/model/article'
import { ListHead } from '../../src/model/list-layout'
import type { KvEntry } from '../../src/publish/desired-state'
import type { KvTarget } from '../../src/publish/targets/kv-target'
import { formatProblem } from '../../src/publish/problems'
import { publish } from '../../src/publish/pipeline'
import { manualClock } from './support/clock'
import {
  articleFile,
  danglingReferences,
  NOW,
  publishWith,
  SITE,
  TempProject,
  TestKv,
} from './support/publishing'

let kv: TestKv
let project: TempProject

// One KV for the file, emptied before each test.
beforeAll(async () => {
  kv = await TestKv.create()
})
afterAll(() => kv.dispose())
beforeEach(async () => {
  await kv.restore({})
  project = await TempProject.create()
})
afterEach(() => project.dispose())

const publishAll = (options: Parameters<typeof publishWith>[2] = {}) =>
  publishWith(project, kv.target(), { files: [project.articlesDir], ...options })

async function published(options: Parameters<typeof publishWith>[2] = {}) {
  const result = await publishAll(options)
  if (result.status === 'invalid') throw new Error(JSON.stringify(result.problems))
  return result
}

const siteHeadSlugs = async () =>
  ListHead.parse(JSON.parse((await kv.binding.get('v1:head:site', 'text'))!)).articles.map(
    (article) => article.slug,
  )

/** A target that records every key operation it passes on, at `now()` (default: the clock). */
function recording(inner: KvTarget, now = () => Date.now()) {
  const log: { op: 'put' | 'delete'; key: string; at: number }[] = []
  const reads: string[] = []
  const target: KvTarget = {
    ...inner,
    get(key: string) {
      reads.push(key)
      return inner.get(key)
    },
    async put(entries: readonly KvEntry[]) {
      for (const { key } of entries) log.push({ op: 'put', key, at: now() })
      await inner.put(entries)
    },
    async delete(keys: readonly string[]) {
      for (const key of keys) log.push({ op: 'delete', key, at: now() })
      await inner.delete(keys)
    },
  }
  return { target, log, reads }
}

describe('incremental publishing', () => {
  it('writes every key once, then nothing on a re-run without changes', async () => {
    await project.writeArticles([articleFile({ slug: 'a' }), articleFile({ slug: 'b' })])
    const first = recording(kv.target())
    const result = await publishWith(project, first.target, { files: [project.articlesDir] })
    expect(result.status === 'published' && result.plan.added).toEqual(['a', 'b'])
    // The manifest (pending, then final) and the lease (taken, then released) are the two keys a
    // run writes twice; every other key once.
    const writtenKeys = first.log.map((entry) => entry.key).filter((key) => key !== 'v1:manifest' && key !== LEASE_KEY)
    expect(new Set(writtenKeys).size).toBe(writtenKeys.length)
    expect(first.log.filter((entry) => entry.key === LEASE_KEY).map((entry) => entry.op)).toEqual(['put', 'delete'])

    const snapshot = await kv.snapshot()
    const again = recording(kv.target())
    const rerun = await publishWith(project, again.target, { files: [project.articlesDir] })
    expect(again.log).toEqual([])
    expect(rerun.status === 'published' && [rerun.plan.unchanged, rerun.keysWritten]).toEqual([
      ['a', 'b'],
      0,
    ])
    expect(await kv.snapshot()).toEqual(snapshot)
  })

  it('rewrites only the changed article and the lists it is in', async () => {
    await project.writeArticles([
      articleFile({ slug: 'a', tags: ['x'] }),
      articleFile({ slug: 'b', tags: ['y'], section: 'ثقافة' }),
    ])
    await published()
    await project.write(
      'b.json',
      articleFile({ slug: 'b', tags: ['y'], section: 'ثقافة', title: 'جديد' }),
    )
    const result = await published()
    expect(result.plan.updated).toEqual(['b'])
    expect(
      result.plan.phases.flatMap((phase) =>
        'put' in phase ? phase.put.map((entry) => entry.key) : [],
      ),
    ).not.toContain('v1:head:tag:x')
    expect(
      result.plan.phases.flatMap((phase) =>
        'put' in phase ? phase.put.map((entry) => entry.key) : [],
      ),
    ).toContain('v1:head:tag:y')
  })

  it('dry run writes nothing and lists exactly what a real run then writes', async () => {
    await project.writeArticles([articleFile({ slug: 'a' })])
    const dry = await published({ dryRun: true })
    expect(dry.status).toBe('dry-run')
    expect(await kv.snapshot()).toEqual({})
    const planned = dry.plan.phases.flatMap((phase) =>
      'put' in phase ? phase.put.map((entry) => entry.key) : phase.delete,
    )
    const real = recording(kv.target())
    await publishWith(project, real.target, { files: [project.articlesDir] })
    expect(real.log.map((entry) => entry.key)).toEqual([LEASE_KEY, 'v1:manifest', ...planned, 'v1:manifest', LEASE_KEY])
  })

  it('keeps articles whose files are not part of the run as they are', async () => {
    // No shared tags: a's related articles (and so a itself) do not depend on b.
    await project.writeArticles([
      articleFile({ slug: 'a', tags: ['x'], redirectFrom: ['a-old'] }),
      articleFile({ slug: 'b', tags: ['y'] }),
    ])
    await published()
    const bPath = await project.write(
      'b.json',
      articleFile({ slug: 'b', tags: ['y'], title: 'جديد' }),
    )
    const result = await publishWith(project, kv.target(), { files: [bPath] })
    expect(result.status === 'published' && [result.plan.updated, result.plan.removed]).toEqual([
      ['b'],
      [],
    ])
    expect(await kv.binding.get('v1:article:a', 'text')).not.toBeNull()
    expect(await kv.binding.get('v1:redirect:a-old', 'text')).toBe('{"slug":"a","publishedAt":"2024-11-20T08:30:00+02:00"}')
  })
})

describe('drafts and scheduled articles', () => {
  it('never publishes a draft, and a draft takes a live article off the site without a tombstone', async () => {
    await project.writeArticles([
      articleFile({ slug: 'a' }),
      articleFile({ slug: 'd', draft: true }),
    ])
    const first = await published()
    expect(first.drafts).toEqual(['d'])
    expect(await kv.binding.get('v1:article:d', 'text')).toBeNull()

    await project.write('a.json', articleFile({ slug: 'a', draft: true }))
    const second = await published()
    expect(second.plan.removed).toEqual(['a'])
    expect(await kv.snapshot()).not.toHaveProperty('v1:article:a')
    expect(await kv.snapshot()).not.toHaveProperty('v1:gone:a')
    expect(await siteHeadSlugs()).toEqual([])
  })

  it('stores a scheduled article in the head so it appears at its time without another publish', async () => {
    const future = new Date(NOW + 86_400_000).toISOString()
    await project.writeArticles([
      articleFile({ slug: 'now' }),
      articleFile({ slug: 'later', publishedAt: future }),
    ])
    const result = await published()
    expect(result.scheduled).toEqual(['later'])
    expect(await siteHeadSlugs()).toEqual(['now', 'later'])
  })

  it("lays each list head out at the site's FEED_SIZE, the scheduled article kept beside it", async () => {
    const hour = 3_600_000
    await project.writeArticles([
      ...Array.from({ length: 8 }, (_, i) =>
        articleFile({ slug: `a${i}`, publishedAt: new Date(NOW - (8 - i) * hour).toISOString() }),
      ),
      articleFile({ slug: 'later', publishedAt: new Date(NOW + hour).toISOString() }),
    ])
    await published({ site: { ...SITE, feedSize: 5 } })
    expect(await siteHeadSlugs()).toEqual(['a3', 'a4', 'a5', 'a6', 'a7', 'later'])
  })
})

describe('redirects', () => {
  it('writes a redirect for each former slug and deletes one that is dropped', async () => {
    await project.writeArticles([articleFile({ slug: 'a', redirectFrom: ['old-1', 'old-2'] })])
    await published()
    expect(
      Redirect.parse(JSON.parse((await kv.binding.get('v1:redirect:old-1', 'text'))!)),
    ).toEqual({ slug: 'a', publishedAt: '2024-11-20T08:30:00+02:00' })
    await project.write('a.json', articleFile({ slug: 'a', redirectFrom: ['old-2'] }))
    await published()
    const keys = Object.keys(await kv.snapshot())
    expect(keys).toContain('v1:redirect:old-2')
    expect(keys).not.toContain('v1:redirect:old-1')
  })

  it('replaces a renamed article by a redirect to its new slug', async () => {
    await project.writeArticles([articleFile({ slug: 'first-name', id: 'stable' })])
    await published()
    await project.remove('first-name.json')
    await project.writeArticles([
      articleFile({ slug: 'second-name', id: 'stable', redirectFrom: ['first-name'] }),
    ])
    const result = await published()
    expect([result.plan.added, result.plan.removed]).toEqual([['second-name'], ['first-name']])
    const snapshot = await kv.snapshot()
    expect(snapshot['v1:redirect:first-name']).toBe('{"slug":"second-name","publishedAt":"2024-11-20T08:30:00+02:00"}')
    expect(snapshot).not.toHaveProperty('v1:article:first-name')
    expect(snapshot).not.toHaveProperty('v1:gone:first-name')
  })

  it('refuses a former slug whose live article still has its file, even when that file is not in the run', async () => {
    await project.writeArticles([articleFile({ slug: 'x' }), articleFile({ slug: 'y' })])
    await published()
    const snapshot = await kv.snapshot()
    const xPath = await project.write('x.json', articleFile({ slug: 'x', redirectFrom: ['y'] }))
    const result = await publishWith(project, kv.target(), { files: [xPath] })
    expect(result.status === 'invalid' && result.problems.map(formatProblem)).toEqual([
      'articles/x.json:14:5: redirectFrom[0]: "y" is a live article and articles/y.json still exists: delete or rename that file to rename the article',
    ])
    expect(await kv.snapshot()).toEqual(snapshot)
  })
})

describe('removing articles', () => {
  beforeEach(async () => {
    await project.writeArticles([
      articleFile({ slug: 'keep', tags: ['x'] }),
      articleFile({
        slug: 'remove',
        title: 'يزال',
        tags: ['x'],
        section: 'رياضة',
        redirectFrom: ['remove-old'],
      }),
    ])
    await published()
    await project.remove('remove.json')
  })

  it('does nothing when a file is deleted without --prune', async () => {
    const snapshot = await kv.snapshot()
    const result = await published()
    expect(result.plan.removed).toEqual([])
    expect(await kv.snapshot()).toEqual(snapshot)
  })

  it('--prune writes a tombstone, takes the article off every list, then deletes it', async () => {
    const log = recording(kv.target())
    const result = await publishWith(project, log.target, {
      files: [project.articlesDir],
      prune: true,
    })
    expect(result.status === 'published' && result.plan.removed).toEqual(['remove'])
    const snapshot = await kv.snapshot()
    expect(Gone.parse(JSON.parse(snapshot['v1:gone:remove']!))).toEqual({
      slug: 'remove',
      title: 'يزال',
      removedAt: new Date(NOW).toISOString(),
    })
    expect(
      Object.keys(snapshot).filter((key) => key.includes('remove') || key.includes('رياضة')),
    ).toEqual(['v1:gone:remove'])
    expect(danglingReferences(snapshot)).toEqual([])
    const order = (key: string) => log.log.findIndex((entry) => entry.key === key)
    expect(order('v1:gone:remove')).toBeLessThan(order('v1:article:remove'))
    expect(order('v1:head:site')).toBeLessThan(order('v1:article:remove'))
    expect(order('v1:head:section:رياضة')).toBeLessThan(order('v1:article:remove'))
    expect(order('v1:redirect:remove-old')).toBeLessThan(order('v1:article:remove'))
  })

  it('keeps the tombstone through later publishes and deletes it when the article is published again', async () => {
    await published({ prune: true })
    await project.write('keep.json', articleFile({ slug: 'keep', tags: ['x'], title: 'معدل' }))
    await published()
    expect(await kv.binding.get('v1:gone:remove', 'text')).not.toBeNull()
    await project.writeArticles([articleFile({ slug: 'remove' })])
    const result = await published()
    expect(result.plan.added).toEqual(['remove'])
    expect(await kv.binding.get('v1:gone:remove', 'text')).toBeNull()
  })

  it('unpublish removes the named article with a tombstone and leaves the others untouched', async () => {
    await project.writeArticles([articleFile({ slug: 'remove', tags: ['x'] })])
    await published()
    expect(await kv.binding.get('v1:related:remove', 'text')).not.toBeNull()
    const result = await publishWith(project, kv.target(), { unpublish: ['remove'] })
    // keep's own value does not change; its related articles are their own key.
    expect(result.status === 'published' && [result.plan.removed, result.plan.updated]).toEqual([
      ['remove'],
      [],
    ])
    expect(await kv.binding.get('v1:related:remove', 'text')).toBeNull()
    expect(await kv.binding.get('v1:gone:remove', 'text')).not.toBeNull()
    expect(await siteHeadSlugs()).toEqual(['keep'])
  })

  it('unpublish of a slug that is not live is invalid input and writes nothing', async () => {
    const snapshot = await kv.snapshot()
    const result = await publishWith(project, kv.target(), { unpublish: ['never-published'] })
    expect(result).toEqual({
      status: 'invalid',
      problems: [
        { file: 'never-published', severity: 'error', message: 'is not published in test KV' },
      ],
    })
    expect(await kv.snapshot()).toEqual(snapshot)
  })
})

describe('writing within Workers KV rules', () => {
  it('spaces the two manifest writes by the target’s per-key interval', async () => {
    await project.writeArticles([articleFile({ slug: 'a' })])
    // A clock whose waits take no time: the spacing is asked for, not slept.
    const clock = manualClock(NOW)
    const log = recording({ ...kv.target(), sameKeyIntervalMs: 300 }, clock.now)
    await publishWith(project, log.target, { files: [project.articlesDir], clock })
    const manifestWrites = log.log.filter((entry) => entry.key === 'v1:manifest')
    expect(manifestWrites).toHaveLength(2)
    expect(manifestWrites[1]!.at - manifestWrites[0]!.at).toBeGreaterThanOrEqual(300)
  })

  it('reads the manifest before every phase on Workers KV, and only once the lease is held where every read sees every write', async () => {
    await project.writeArticles([articleFile({ slug: 'a' }), articleFile({ slug: 'b' })])
    const manifestReads = (reads: string[]) => reads.filter((key) => key === 'v1:manifest').length
    const local = recording(kv.target())
    const first = await publishWith(project, local.target, { files: [project.articlesDir] })
    // To plan, then once with the lease held: only a publish holding the lease writes it.
    expect(manifestReads(local.reads)).toBe(2)

    await project.writeArticles([articleFile({ slug: 'b', title: 'B, corrected' })])
    const edge = recording({ ...kv.target(), strongConsistency: false })
    const second = await publishWith(project, edge.target, { files: [project.articlesDir] })
    const phases = second.status === 'published' ? second.plan.phases.length : 0
    expect(first.status === 'published' && first.plan.phases.length).toBeGreaterThan(1)
    // To plan, with the lease held, before each phase and before the final manifest.
    expect(manifestReads(edge.reads)).toBe(2 + phases + 1)
  })

  it('reports progress after each batch, ending at the total', async () => {
    await project.writeArticles([articleFile({ slug: 'a' }), articleFile({ slug: 'b' })])
    const reports: [number, number][] = []
    const result = await published({ progress: (done, total) => reports.push([done, total]) })
    const total = result.keysWritten
    expect(reports.length).toBeGreaterThan(1)
    expect(reports.at(-1)).toEqual([total, total])
    expect(reports.map(([done]) => done)).toEqual(
      [...reports.map(([done]) => done)].sort((x, y) => x - y),
    )
  })

  it.each([
    '{"version":2}',
    '{"version":1}',
    '{"version":1,"keys":[]}',
    '{"version":1,"keys":null}',
    '{"version":1,"keys":{"v1:article:a":"ab","v1:article:b":7}}',
    '{"version":1,"keys":{},"extra":true}',
    '{"version":1,"keys":{},"pending":{"unsure":[1],"removing":[]}}',
    '[1]',
    'null',
    '{"version":1,',
  ])('refuses to plan against a corrupt manifest: %s', async (raw) => {
    await kv.binding.put('v1:manifest', raw)
    await project.writeArticles([articleFile({ slug: 'a' })])
    await expect(
      publish({ files: [], site: SITE, target: kv.target(), dryRun: false, now: NOW }),
    ).rejects.toThrow('v1:manifest is corrupt')
  })
})
