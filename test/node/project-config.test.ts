// wrangler.toml as the publish CLIs read it: through wrangler's parser, cached by content, so a
// changed file is always read again.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, readProjectConfig } from '../../src/publish/project-config'
import { TempProject } from './support/publishing'

let project: TempProject
beforeEach(async () => {
  project = await TempProject.create()
})
afterEach(() => project.dispose())

const toml = (title: string) => `name = "t"
compatibility_date = "2026-04-26"
account_id = "account"

[[kv_namespaces]]
binding = "ARTICLES"
id = "namespace"

[vars]
SITE_TITLE = "${title}"
`

describe('readProjectConfig', () => {
  it('reads vars, account and namespace id, and reads the file again once it changes', async () => {
    const configPath = join(project.root, 'wrangler.toml')
    const cacheFile = join(project.root, 'cache.json')
    await writeFile(configPath, toml('صحيفة'))
    expect(await readProjectConfig(configPath, cacheFile)).toEqual({
      vars: { SITE_TITLE: 'صحيفة' },
      accountId: 'account',
      namespaceId: 'namespace',
      compatibilityDate: '2026-04-26',
    })
    expect((await readProjectConfig(configPath, cacheFile)).vars).toEqual({ SITE_TITLE: 'صحيفة' })
    await writeFile(configPath, toml('جريدة'))
    expect((await readProjectConfig(configPath, cacheFile)).vars).toEqual({ SITE_TITLE: 'جريدة' })
  })

  it('reports a missing or malformed file as a configuration error', async () => {
    await expect(readProjectConfig(join(project.root, 'missing.toml'))).rejects.toBeInstanceOf(
      ConfigError,
    )
    const broken = join(project.root, 'broken.toml')
    await writeFile(broken, 'name = \n')
    await expect(
      readProjectConfig(broken, join(project.root, 'cache.json')),
    ).rejects.toBeInstanceOf(ConfigError)
  })
})
