// The CLIs as real processes, for what only a process shows: the file runs its main when node
// starts it, argv reaches the flag parser, the exit code is the process's, and stdout and stderr
// stay apart. Everything else about the CLIs runs in-process (publish-cli.test.ts).
import { execFile, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../tools/harness/free-port'
import { articleFile, TempProject, wranglerToml } from './support/publishing'

const TSX = resolve('node_modules/.bin/tsx')
const CLI = resolve('src/cli')

let project: TempProject

/** Runs src/cli/<cli>.ts with tsx in the temp project; never rejects. */
function run(
  cli: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      TSX,
      [join(CLI, `${cli}.ts`), ...args],
      { cwd: project.root },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

beforeAll(async () => {
  project = await TempProject.create()
  await writeFile(join(project.root, 'wrangler.toml'), wranglerToml('cli-process-test'))
  await project.writeArticles([articleFile({ slug: 'first' })])
  await project.write('typo.json', articleFile({ slug: 'typo', titel: 'x' }))
})
afterAll(() => project.dispose())

describe('the CLIs as processes', { timeout: 120_000 }, () => {
  it('exit with their code and keep reports on stdout, problems and usage on stderr', async () => {
    const [usage, check, publish] = await Promise.all([
      run('publish', ['--frobnicate']),
      run('check', ['--json']),
      run('publish', ['articles/first.json']),
    ])
    expect(usage.code).toBe(2)
    expect(usage.stdout).toBe('')
    expect(usage.stderr).toMatch(
      /^Unknown option '--frobnicate'[^]*\n\nusage: npm run articles:publish/,
    )

    expect(check.code).toBe(1)
    expect(check.stderr).toBe('')
    expect(JSON.parse(check.stdout)).toMatchObject({ valid: false, files: 2, articles: 1 })

    expect(publish.code).toBe(0)
    expect(publish.stderr).toBe('')
    expect(publish.stdout).toBe(
      'local KV (.wrangler/state): 1 added, 0 updated, 0 unchanged, 0 removed; skipped 0 draft(s); ' +
        '0 scheduled (stored, visible at publishedAt); wrote 31 keys, deleted 0.\n' +
        'Edge cache: purged everything of local cache (.wrangler/state) in 1 request(s).\n',
    )
  })

  it("npm start's Ctrl-C ends the server it started: the port is free once it exits", async () => {
    // npm start's inspector listens on the next port: both must be free, in a range no other
    // suite takes (tools/harness/free-port.ts).
    let port = await freePort(9520, 9538)
    while ((await freePort(port + 1, port + 1).catch(() => undefined)) === undefined)
      port = await freePort(port + 2, 9538)
    // A terminal's foreground job: its own process group, which Ctrl-C signals as a whole. The
    // server runs in a group of its own (tools/harness/wrangler-dev.ts), which it does not reach.
    const site = spawn(TSX, [resolve('tools/start.ts'), '--port', String(port)], {
      cwd: project.root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    site.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    site.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<void>((done) => site.once('exit', () => done()))
    await expect
      .poll(() => output, { timeout: 90_000, interval: 100 })
      .toContain(`Serving http://127.0.0.1:${port}`)
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)

    process.kill(-site.pid!, 'SIGINT')
    await exited
    // Connections only, no request: a request would make the server log it, and its write into
    // the dead process's pipe could end it by accident.
    const listening = () =>
      new Promise<string>((done) => {
        const socket = connect(port, '127.0.0.1')
        socket.once('connect', () => (socket.destroy(), done('listening')))
        socket.once('error', () => done('closed'))
      })
    await expect.poll(listening, { timeout: 10_000, interval: 200 }).toBe('closed')
  })
})
