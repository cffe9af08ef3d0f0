// A publish stopped at any write converges when run again: every key operation is failed in
// turn, KV is checked for dangling references after the partial run, and the re-run must leave
// KV byte-for-byte as a publish that never failed — also when the editor changed files between.
// The runs that fail are the same in the first three cases (the same files on the same KV, the
// same clock), so each is made once and the KV it left restored for the cases after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  articleFile,
  danglingReferences,
  failingTarget,
  InjectedFailure,
  publishWith,
  TempProject,
  TestKv,
} from './support/publishing'

const FUTURE = '2025-06-01T08:00:00+03:00'

// Before: a..e live, b has a former slug, f was unpublished (tombstone).
const a = articleFile({ slug: 'a', tags: ['x', 'y'] })
const b = articleFile({ slug: 'b', tags: ['x'], redirectFrom: ['b-old'] })
const c = articleFile({ slug: 'c', section: 'رياضة', tags: ['z'] })
const d = articleFile({ slug: 'd', tags: ['y'] })
const e = articleFile({ slug: 'e' })
const f = articleFile({ slug: 'f', tags: ['x'] })

// The run that fails: b changed, c pruned, d made a draft, e renamed to e2, f republished,
// g new, h scheduled.
const after = [
  a,
  { ...b, title: 'عنوان جديد', redirectFrom: ['b-old', 'b-older'] },
  { ...d, draft: true },
  articleFile({ slug: 'e2', redirectFrom: ['e'] }),
  f,
  articleFile({ slug: 'g', tags: ['x', 'z'] }),
  articleFile({ slug: 'h', publishedAt: FUTURE, tags: ['y'] }),
]
// What the editor changed before running again: a edited, g deleted, i new.
const edited = [
  { ...a, summary: 'ملخص معدّل.' },
  ...after.filter((article) => article !== a && article.slug !== 'g'),
  articleFile({ slug: 'i', tags: ['x'] }),
]

let kv: TestKv
let before: Record<string, string>
/** The files of the run that fails (`after`). */
let failing: TempProject
const projects: TempProject[] = []

async function projectWith(articles: readonly Record<string, unknown>[]) {
  const project = await TempProject.create()
  projects.push(project)
  await project.writeArticles(articles)
  return project
}

/** KV after a clean publish of `articles` (with --prune) on top of the `before` state. */
async function cleanPublish(project: TempProject) {
  await kv.restore(before)
  const result = await publishWith(project, kv.target(), {
    files: [project.articlesDir],
    prune: true,
  })
  expect(result.status).toBe('published')
  return kv.snapshot()
}

beforeAll(async () => {
  kv = await TestKv.create()
  const initial = await projectWith([a, b, c, d, e, f])
  await publishWith(initial, kv.target(), { files: [initial.articlesDir] })
  await publishWith(initial, kv.target(), { unpublish: ['f'] })
  before = await kv.snapshot()
  expect(before['v1:gone:f']).toBeDefined()
  failing = await projectWith(after)
})

afterAll(async () => {
  await kv.dispose()
  await Promise.all(projects.map((project) => project.dispose()))
})

/** Runs `project` with the Nth operation failing; false once N is past the run's last operation. */
async function crashAt(
  project: TempProject,
  failAt: number,
  options: Parameters<typeof publishWith>[2] = { files: [project.articlesDir], prune: true },
): Promise<boolean> {
  const run = publishWith(project, failingTarget(kv.target(), failAt), options)
  try {
    await run
    return false
  } catch (error) {
    expect(error).toBeInstanceOf(InjectedFailure)
    return true
  }
}

/** KV as `failing`'s run on the `before` state left it, stopped at its Nth key operation. */
const crashedStates = new Map<number, Record<string, string> | null>()

/**
 * Puts KV in the state `failing`'s run stopped at operation `failAt` leaves, running it the
 * first time (the run must stop with the injected failure); null once `failAt` is past the run's
 * last operation.
 */
async function crashedAt(failAt: number): Promise<Record<string, string> | null> {
  let state = crashedStates.get(failAt)
  if (state === undefined) {
    await kv.restore(before)
    state = (await crashAt(failing, failAt)) ? await kv.snapshot() : null
    crashedStates.set(failAt, state)
  } else if (state) {
    await kv.restore(state)
  }
  return state
}

// Each test runs a few dozen publishes; under a loaded CI machine that takes a while.
const SLOW = { timeout: 300_000 }

describe('a publish that fails at any key operation', () => {
  it('converges to the clean result when run again with the same files', SLOW, async () => {
    const clean = await cleanPublish(failing)
    expect(Object.keys(clean)).toEqual(
      expect.arrayContaining(['v1:gone:c', 'v1:redirect:e', 'v1:redirect:b-older']),
    )
    expect(clean['v1:gone:f']).toBeUndefined()

    let failAt = 1
    for (; ; failAt++) {
      const crashed = await crashedAt(failAt)
      if (!crashed) break
      expect(danglingReferences(crashed), `after failing operation ${failAt}`).toEqual([])
      const rerun = await publishWith(failing, kv.target(), {
        files: [failing.articlesDir],
        prune: true,
      })
      expect(rerun.status).toBe('published')
      expect(await kv.snapshot(), `re-run after failing operation ${failAt}`).toEqual(clean)
    }
    // Every operation of the run was failed once (the pending manifest, each key, the manifest).
    expect(failAt).toBeGreaterThan(20)
  })

  it('converges when the editor changed files before running again', SLOW, async () => {
    const changed = await projectWith(edited)
    const clean = await cleanPublish(changed)
    expect(clean['v1:article:g']).toBeUndefined()

    for (let failAt = 1; ; failAt++) {
      const crashed = await crashedAt(failAt)
      if (!crashed) break
      expect(danglingReferences(crashed), `after failing operation ${failAt}`).toEqual([])
      await publishWith(changed, kv.target(), { files: [changed.articlesDir], prune: true })
      expect(await kv.snapshot(), `re-run after failing operation ${failAt}`).toEqual(clean)
    }
  })

  it('converges after failing twice in a row', SLOW, async () => {
    const changed = await projectWith(edited)
    const clean = await cleanPublish(changed)
    for (let failAt = 2; ; failAt += 3) {
      if (!(await crashedAt(failAt))) break
      await crashAt(changed, 3)
      expect(danglingReferences(await kv.snapshot())).toEqual([])
      await publishWith(changed, kv.target(), { files: [changed.articlesDir], prune: true })
      expect(await kv.snapshot(), `after failing operations ${failAt} and 3`).toEqual(clean)
    }
  })

  it('finishes an interrupted unpublish when it is run again', SLOW, async () => {
    const project = await projectWith([])
    await kv.restore(before)
    await publishWith(project, kv.target(), { unpublish: ['b', 'c'] })
    const clean = await kv.snapshot()
    expect(Object.keys(clean)).toEqual(expect.arrayContaining(['v1:gone:b', 'v1:gone:c']))

    for (let failAt = 1; ; failAt++) {
      await kv.restore(before)
      if (!(await crashAt(project, failAt, { unpublish: ['b', 'c'] }))) break
      expect(danglingReferences(await kv.snapshot()), `after failing operation ${failAt}`).toEqual(
        [],
      )
      await publishWith(project, kv.target(), { unpublish: ['b', 'c'] })
      expect(await kv.snapshot(), `re-run after failing operation ${failAt}`).toEqual(clean)
    }
  })
})
