// worker-configuration.d.ts is generated from wrangler.toml by `wrangler types`: the bindings and
// [vars] are declared there once, so a change to wrangler.toml without regenerating it fails here.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { offlineEnv } from '../../src/publish/offline-env'

it('matches wrangler.toml (regenerate: npx wrangler types --include-runtime=false --strict-vars=false)', async () => {
  const check = promisify(execFile)(
    'npx',
    ['wrangler', 'types', '--check', '--include-runtime=false', '--strict-vars=false'],
    { env: offlineEnv() },
  )
  await expect(check).resolves.toMatchObject({ stdout: expect.stringContaining('up to date') })
})
