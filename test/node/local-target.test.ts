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

  it('keeps every value byte for byte, however it travels: raw bodies, JSON batches, odd keys', async () => {
    // Values of 256 K code units and more go alone as raw request bodies, the rest in JSON batches;
    // reads come back as response bodies. An empty value is a value, not a missing key.
    const raw = { key: 'v1:manifest', value: JSON.stringify({ keys: { 'v1:article:خبر': 'ab'.repeat(32) } }).repeat(4_000) }
    const odd = [
      { key: 'v1:article:خبر عاجل?&#%2F+', value: 'نص 🙂 "quoted" \\ end' },
      { key: 'v1:empty', value: '' },
    ]
    expect(raw.value.length).toBeGreaterThan(256 * 1024)
    await target.put([raw, ...odd])
    expect(await target.get(raw.key)).toBe(raw.value)
    for (const entry of odd) expect(await target.get(entry.key)).toBe(entry.value)
    expect(await target.get('v1:never-written')).toBeNull()
    await target.delete(odd.map((entry) => entry.key))
    expect(await target.get(odd[0]!.key)).toBeNull()
  })
})
