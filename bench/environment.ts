// The benchmark's context for the report: machine, load, versions and commit.
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { REPO } from '../tools/harness/repo-config'

const version = (pkg: string) => {
  try {
    return (
      JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as {
        version: string
      }
    ).version
  } catch {
    return '?'
  }
}
const git = (args: string) => {
  try {
    return execSync(`git ${args}`, { cwd: REPO, encoding: 'utf8' }).trim()
  } catch {
    return '?'
  }
}

/** The machine, the versions and the commit a run measured. */
export const describeEnvironment = (): Record<string, string> => ({
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  commit: `${git('rev-parse --short HEAD')}${git('status --porcelain -- src scripts wrangler.toml') ? ' (+ uncommitted changes in src/scripts)' : ''}`,
  CPU: `${cpus()[0]?.model ?? '?'} × ${cpus().length} (nproc ${execSync('nproc', { encoding: 'utf8' }).trim()})`,
  memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  'load average at start': loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  kernel: release(),
  Node: process.version,
  versions: [
    'wrangler',
    'miniflare',
    '@cloudflare/workerd-linux-64',
    'hono',
    'zod',
    'feed',
    'autocannon',
  ]
    .map((p) => `${p.replace('@cloudflare/workerd-linux-64', 'workerd')} ${version(p)}`)
    .join(', '),
})
