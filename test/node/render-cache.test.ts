// The CLI's Markdown cache: a hit gives exactly what rendering gives, and only the entries a run
// used are kept.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { renderBody } from '../../src/publish/render-markdown'
import { renderCache } from '../../src/publish/render-cache'
import { TempProject } from './support/publishing'

let project: TempProject
let file: string
beforeEach(async () => {
  project = await TempProject.create()
  file = join(project.root, 'cache/rendered.json')
})
afterEach(() => project.dispose())

const BASE = 'https://sahifa.example/articles/x'

describe('renderCache', () => {
  it('returns from the cache exactly what renderBody returns, across runs', async () => {
    const body = '## عنوان\n\nنص [رابط](/other) <script>x</script> ![](a.jpg)'
    const first = await renderCache(file)
    expect(await first.render(body, BASE)).toEqual(renderBody(body, BASE))
    await first.save()

    const second = await renderCache(file)
    expect(await second.render(body, BASE)).toEqual(renderBody(body, BASE))
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)).toHaveLength(1)
  })

  it('keys entries by base URL too, and keeps only what the last run used', async () => {
    const first = await renderCache(file)
    await first.render('[a](b)', BASE)
    await first.render('[a](b)', 'https://other.example/articles/x')
    await first.save()
    expect(
      Object.values(
        JSON.parse(await readFile(file, 'utf8')) as Record<string, { html: string }>,
      ).map((entry) => entry.html),
    ).toEqual([
      '<p><a href="https://sahifa.example/articles/b">a</a></p>',
      '<p><a href="https://other.example/articles/b">a</a></p>',
    ])
    const second = await renderCache(file)
    await second.render('[a](b)', BASE)
    await second.save()
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)).toHaveLength(1)
  })
})
