// Odd files in a content folder (issue #12, case 6), through `articles:check`'s main in-process:
// only regular files are read (a FIFO, a device, a socket is reported, and never opened), the
// size is checked before a byte is read, symbolic links out of the folder are refused, and no
// file name can forge a line of the report.
import { execFileSync } from 'node:child_process'
import { mkdir, symlink, truncate, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as check } from '../../src/cli/check'
import { runInProject } from './support/cli'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

let project: TempProject
let socket: Server | undefined

/** `articles:check -- articles/<name>`: its exit code and the problem lines it printed. */
async function checkOne(name: string) {
  const run = await runInProject(check, project.root, [join('articles', name)])
  return { code: run.code, lines: run.stderr.split('\n').filter(Boolean) }
}

beforeAll(async () => {
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('odd-files-test'))
  await project.writeArticles([articleFile({ slug: 'good' })])
})
afterAll(async () => {
  socket?.close()
  await project.dispose()
})

describe('odd files in articles/', { timeout: 20_000 }, () => {
  it('reports a FIFO named like an article without opening it (the read would wait forever)', async () => {
    execFileSync('mkfifo', [join(project.articlesDir, 'pipe.json')])
    expect(await checkOne('pipe.json')).toEqual({
      code: 1,
      lines: ['articles/pipe.json: is a FIFO (named pipe), not a regular file: not read'],
    })
  })

  it('reports a socket', async () => {
    socket = createServer()
    await new Promise<void>((done) => socket!.listen(join(project.articlesDir, 'socket.md'), done))
    expect((await checkOne('socket.md')).lines).toEqual([
      'articles/socket.md: is a socket, not a regular file: not read',
    ])
  })

  it.each([
    ['/dev/zero (a device)', 'zero.json', async () => '/dev/zero'],
    [
      'an article outside the folder, valid as it is',
      'secret.json',
      async () => {
        const outside = join(project.root, 'elsewhere')
        await mkdir(outside)
        await writeFile(
          join(outside, 'secret.json'),
          JSON.stringify(articleFile({ slug: 'secret' })),
        )
        return join(outside, 'secret.json')
      },
    ],
  ])('refuses a symbolic link to %s, reading nothing', async (_, name, target) => {
    const to = await target()
    await symlink(to, join(project.articlesDir, name))
    expect(await checkOne(name)).toEqual({
      code: 1,
      lines: [
        `articles/${name}: is a symbolic link to ${to}, outside its folder: refused (copy the file here instead)`,
      ],
    })
  })

  it('follows a symbolic link that stays inside the folder', async () => {
    await symlink('good.json', join(project.articlesDir, 'alias.json'))
    // Read, so the slug rule applies: the link's name is not the article's slug.
    expect((await checkOne('alias.json')).lines).toEqual([
      'articles/alias.json:3:11: slug: must equal the file name without .json ("alias")',
    ])
  })

  it('reports a 1.5 GB file from its size alone, before reading any of it', async () => {
    const path = join(project.articlesDir, 'huge.json')
    await writeFile(path, '')
    // Sparse: 1.5 GB long, no block written.
    await truncate(path, 1.5 * 1024 ** 3)
    expect((await checkOne('huge.json')).lines).toEqual([
      'articles/huge.json: the file is 1536.0 MiB; an article file may be at most 2.0 MiB',
    ])
  })

  it('prints a file name with a line break (or a bidi override) escaped on its one line', async () => {
    const forged = 'x.json:1:1: all good\n0 error(s)\u202e.json'
    await writeFile(join(project.articlesDir, forged), '{')
    const { lines } = await checkOne(forged)
    expect(lines).toEqual([
      'articles/x.json:1:1: all good\\n0 error(s)\\u{202e}.json:1:2: invalid JSON: close brace expected',
    ])
  })

  it('reports every odd file of a folder once, with the valid article checked beside them', async () => {
    const run = await runInProject(check, project.root, [])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^8 file\(s\) checked: 7 error\(s\), 0 warning\(s\)\.\n$/)
  })
})
