// The local target writes through a batch worker inside workerd: every put and delete lands in
// the persisted state `wrangler dev` serves, whatever the batch sizes.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KvTarget } from '../../src/publish/targets/kv-target'
import { localTarget } from '../../src/publish/targets/local-target'
import { TempProject } from './support/publishing'

let project: TempProject
let target: KvTarget

beforeAll(async () => {
  project = await TempProject.create()
  const config = join(project.root, 'wrangler.toml')
  await writeFile(config, '')
  target = await localTarget(config, 'local-kv-test', '2026-04-26')
})
afterAll(async () => {
  await target.close()
  await project.dispose()
})

describe('localTarget', () => {
  it('puts and deletes batches larger than one request, small and large values alike', async () => {
    const entries = Array.from({ length: 1_234 }, (_, i) => ({
      key: `v1:k:${i}`,
      value: `قيمة ${i}`,
    }))
    const large = { key: 'v1:large', value: 'س'.repeat(6 * 1024 * 1024) }
    await target.put([...entries, large])
    expect(await target.get('v1:k:0')).toBe('قيمة 0')
    expect(await target.get('v1:k:1233')).toBe('قيمة 1233')
    expect(await target.get('v1:large')).toBe(large.value)

    await target.delete(entries.slice(0, 600).map((entry) => entry.key))
    expect(await target.get('v1:k:599')).toBeNull()
    expect(await target.get('v1:k:600')).toBe('قيمة 600')
  })
})
