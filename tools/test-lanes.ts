// `npm test`: the suites in two lanes at once. On two cores one suite alone leaves a core idle
// much of the time (the node suite waits for workerd, the browser suite for pages), so the node
// suite runs beside the type check, the worker suite and the browser suite, which run in turn.
// A lane stops at its first failure. Each suite's output is printed whole when it ends, then
// each suite's time; the exit status is 0 only when every suite passed.
import { spawn } from 'node:child_process'

const LANES = [['test:node'], ['typecheck', 'test:worker', 'test:browser']]

interface Outcome {
  script: string
  code: number
  seconds: number
}

function runScript(script: string): Promise<Outcome> {
  const started = performance.now()
  return new Promise((done) => {
    const child = spawn('npm', ['run', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Piped, vitest would drop its colours; keep them when the output is a terminal.
      env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
    })
    const output: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000
      process.stdout.write(`\n── npm run ${script} (${seconds.toFixed(1)} s) ──\n`)
      process.stdout.write(Buffer.concat(output))
      done({ script, code: code ?? 1, seconds })
    })
  })
}

async function runLane(scripts: readonly string[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  for (const script of scripts) {
    const outcome = await runScript(script)
    outcomes.push(outcome)
    if (outcome.code !== 0) break
  }
  return outcomes
}

const started = performance.now()
const lanes = await Promise.all(LANES.map(runLane))
const outcomes = lanes.flat()
const ran = new Set(outcomes.map((outcome) => outcome.script))
const skipped = LANES.flat().filter((script) => !ran.has(script))
const lines = [
  '',
  ...outcomes.map(({ script, code, seconds }) => {
    const verdict = code === 0 ? 'passed' : 'FAILED'
    return `${verdict}  ${script.padEnd(12)} ${seconds.toFixed(1)} s`
  }),
  ...skipped.map((script) => `skipped ${script} (an earlier suite of its lane failed)`),
  `${((performance.now() - started) / 1000).toFixed(1)} s in all`,
]
process.stdout.write(`${lines.join('\n')}\n`)
process.exitCode = outcomes.every((outcome) => outcome.code === 0) && skipped.length === 0 ? 0 : 1
