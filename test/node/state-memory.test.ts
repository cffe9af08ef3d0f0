// The CLI's state memory (state-memory.ts) between publishes into miniflare's KV: a run that finds
// KV as its last publish left it builds only what the change touches, and KV ends byte for byte as
// a whole publish leaves it; anything else (another publish, other settings, KV not as the
// manifest says) and it builds the whole state.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { articleKey } from '../../src/model/keys'
import type { StateKeeper } from '../../src/publish/pipeline'
import { diskStateKeeper } from '../../src/publish/state-memory'
import { articleFile, publishWith, SITE, TempProject, TestKv } from './support/publishing'

let kv: TestKv
let project: TempProject
let memoryDir: string
beforeAll(async () => {
  kv = await TestKv.create()
})
afterAll(() => kv.dispose())
beforeEach(async () => {
  await project?.dispose()
  if (memoryDir) await rm(memoryDir, { recursive: true, force: true })
  project = await TempProject.create()
  memoryDir = await mkdtemp(join(tmpdir(), 'sahifa-state-'))
  await kv.restore({})
  await project.writeArticles([
    articleFile({ slug: 'a', title: 'ألف', tags: ['x', 'y'], publishedAt: '2024-11-20T08:30:00Z' }),
    articleFile({ slug: 'b', title: 'باء', tags: ['x'], publishedAt: '2024-11-21T08:30:00Z' }),
    articleFile({ slug: 'c', title: 'جيم', tags: ['y'], publishedAt: '2024-11-22T08:30:00Z' }),
    articleFile({ slug: 'd', title: 'دال', tags: ['x', 'y'], publishedAt: '2024-11-23T08:30:00Z' }),
  ])
})

/** The disk keeper, recording whether it recalled a memory and which old versions it read. */
function watchedKeeper(site = SITE) {
  const keeper = diskStateKeeper(kv.target(), memoryDir)
  const seen = { recalled: [] as boolean[], read: [] as string[][] }
  const watched: StateKeeper = {
    recall: async (raw, context) => {
      const memory = await keeper.recall(raw, context)
      seen.recalled.push(memory !== undefined)
      return memory
    },
    stored: async (slugs, hashes) => {
      seen.read.push([...slugs])
      return keeper.stored(slugs, hashes)
    },
    keep: keeper.keep,
  }
  return { keeper: watched, seen, site }
}

const publishAll = (options: Parameters<typeof publishWith>[2] = {}) =>
  publishWith(project, kv.target(), { files: [project.articlesDir], ...options })

/** KV after the same run made without any memory, from the KV the run started from. */
async function wholeSnapshot(before: Record<string, string>, options: Parameters<typeof publishWith>[2] = {}) {
  const after = await kv.snapshot()
  await kv.restore(before)
  const whole = await publishAll(options)
  expect(whole.status).toBe('published')
  const snapshot = await kv.snapshot()
  await kv.restore(after)
  return snapshot
}

describe('the CLI state memory', () => {
  it('builds only what a change touches, and KV ends as a whole publish leaves it', async () => {
    const { keeper, seen } = watchedKeeper()
    expect((await publishAll({ keeper })).status).toBe('published')
    expect(seen.recalled).toEqual([false])

    // A body edit, a new tag, a new article and a removed one.
    await project.write('b.json', articleFile({ slug: 'b', title: 'باء', tags: ['x', 'z'], body: 'نص جديد.', publishedAt: '2024-11-21T08:30:00Z' }))
    await project.write('e.json', articleFile({ slug: 'e', title: 'هاء', tags: ['y'], publishedAt: '2024-11-24T08:30:00Z' }))
    await project.remove('c.json')
    const before = await kv.snapshot()
    const run = await publishAll({ keeper, prune: true })
    expect(run.status).toBe('published')
    expect(seen.recalled).toEqual([false, true])
    // Reported as a whole publish reports it.
    if (run.status === 'published') {
      const { added, updated, unchanged, removed } = run.plan
      expect({ added, updated, unchanged: unchanged.sort(), removed }).toEqual({
        added: ['e'],
        updated: ['b'],
        unchanged: ['a', 'd'],
        removed: ['c'],
      })
    }
    // The old versions of what changed, read from KV: not every article.
    expect(seen.read.at(-1)!.sort()).toEqual(['b', 'c'])
    expect(await kv.snapshot()).toEqual(await wholeSnapshot(before, { prune: true }))

    // No change: still remembered, nothing to write.
    const again = await publishAll({ keeper })
    expect(seen.recalled.at(-1)).toBe(true)
    expect(again.status === 'published' && again.plan.phases).toEqual([])
    expect(again.status === 'published' && again.plan.unchanged.sort()).toEqual(['a', 'b', 'd', 'e'])
  })

  it('builds the whole state once another publish wrote KV, or with other settings', async () => {
    const { keeper, seen } = watchedKeeper()
    await publishAll({ keeper })
    // Another machine's publish (no memory of ours) moves the manifest on.
    await project.write('a.json', articleFile({ slug: 'a', title: 'ألف معدل', tags: ['x', 'y'], publishedAt: '2024-11-20T08:30:00Z' }))
    await publishAll()
    await project.write('d.json', articleFile({ slug: 'd', title: 'دال معدل', tags: ['x'], publishedAt: '2024-11-23T08:30:00Z' }))
    const before = await kv.snapshot()
    await publishAll({ keeper })
    expect(seen.recalled).toEqual([false, false])
    expect(await kv.snapshot()).toEqual(await wholeSnapshot(before))

    // Remembered again; a site with another feed size lays its heads out anew.
    await publishAll({ keeper })
    expect(seen.recalled.at(-1)).toBe(true)
    await publishAll({ keeper, site: { ...SITE, feedSize: 2 } })
    expect(seen.recalled.at(-1)).toBe(false)
  })

  it('builds the whole state when an article in KV is not what the manifest records', async () => {
    const { keeper, seen } = watchedKeeper()
    await publishAll({ keeper })
    // Someone wrote KV by hand: the old version cannot be trusted to say what changed.
    const stored = JSON.parse((await kv.binding.get(articleKey('b'), 'text'))!)
    await kv.binding.put(articleKey('b'), JSON.stringify({ ...stored, tags: ['q'] }))
    await project.write('b.json', articleFile({ slug: 'b', title: 'باء معدل', tags: ['x'], publishedAt: '2024-11-21T08:30:00Z' }))
    const before = await kv.snapshot()
    expect((await publishAll({ keeper })).status).toBe('published')
    expect(seen.recalled.at(-1)).toBe(true)
    expect(seen.read.at(-1)).toEqual(['b'])
    expect(await kv.snapshot()).toEqual(await wholeSnapshot(before))
  })

  it('keeps nothing from a dry run', async () => {
    const { keeper, seen } = watchedKeeper()
    await publishAll({ keeper, dryRun: true })
    await publishAll({ keeper })
    expect(seen.recalled).toEqual([false, false])
  })
})
