// Publish report, what the CLIs print: problems, the dry run's exact writes and deletes, and the
// summary — as text for editors or as one JSON document (`--json`) for tools.
import { articleKey } from '../model/keys'
import type { Plan } from './publish-plan'
import { formatProblem, type Problem } from './problems'
import type { PublishResult } from './pipeline'

export interface JsonReport {
  status: 'published' | 'dry-run' | 'invalid' | 'failed'
  target: string
  problems: Problem[]
  added: string[]
  updated: string[]
  unchanged: string[]
  removed: string[]
  drafts: string[]
  scheduled: string[]
  /** Keys written (or, in a dry run, that would be), in order. */
  writes: string[]
  /** Keys deleted (or, in a dry run, that would be), in order. */
  deletes: string[]
  keysWritten: number
  keysDeleted: number
  error?: string
}

const plannedKeys = (plan: Plan) => ({
  writes: plan.phases.flatMap((phase) =>
    'put' in phase ? phase.put.map((entry) => entry.key) : [],
  ),
  deletes: plan.phases.flatMap((phase) => ('delete' in phase ? phase.delete : [])),
})

export function jsonReport(
  result: PublishResult | { status: 'failed'; problems: Problem[]; error: string },
  target: string,
): JsonReport {
  const base: JsonReport = {
    status: result.status,
    target,
    problems: result.problems,
    added: [],
    updated: [],
    unchanged: [],
    removed: [],
    drafts: [],
    scheduled: [],
    writes: [],
    deletes: [],
    keysWritten: 0,
    keysDeleted: 0,
  }
  if (result.status === 'invalid') return base
  if (result.status === 'failed') return { ...base, error: result.error }
  const { plan } = result
  return {
    ...base,
    added: plan.added,
    updated: plan.updated,
    unchanged: plan.unchanged,
    removed: plan.removed,
    drafts: result.drafts,
    scheduled: result.scheduled,
    ...plannedKeys(plan),
    keysWritten: result.keysWritten,
    keysDeleted: result.keysDeleted,
  }
}

const bytes = (value: string) => Buffer.byteLength(value, 'utf8')
const ARTICLE_PREFIX = articleKey('')

/** Every write and delete a dry run would make, in order, one a line. */
export function dryRunLines(plan: Plan): string[] {
  const lines: string[] = []
  for (const phase of plan.phases) {
    if ('put' in phase)
      for (const entry of phase.put) lines.push(`put    ${entry.key} (${bytes(entry.value)} bytes)`)
    else for (const key of phase.delete) lines.push(`delete ${key}`)
  }
  if (lines.length > 0) {
    lines.push(
      `put    ${plan.manifest.key} (${bytes(plan.manifest.value)} bytes, written first as pending and last as final)`,
    )
    lines.push(amplificationLine(plan))
  }
  return lines
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`

/**
 * What the articles this run changes cost in KV: every article is also in its lists' heads and
 * chunks and the sitemaps, so its bytes are written more than once; the input limits
 * (ARTICLE_LIMITS) bound how many times.
 */
export function amplificationLine(plan: Plan): string {
  const puts = plan.phases.flatMap((phase) => ('put' in phase ? phase.put : []))
  const articles = puts.filter((entry) => entry.key.startsWith(ARTICLE_PREFIX))
  const total = puts.reduce((n, entry) => n + bytes(entry.value), 0)
  const own = articles.reduce((n, entry) => n + bytes(entry.value), 0)
  const perArticle = articles.length > 0 ? `: ${(puts.length / articles.length).toFixed(1)} keys per article, ${(total / own).toFixed(1)}× its bytes` : ''
  return `writes ${puts.length} keys, ${kib(total)}, for ${articles.length} changed article(s) of ${kib(own)}${perArticle}`
}

export const problemLines = (problems: readonly Problem[]) => problems.map(formatProblem)

export function summaryLine(
  result: Extract<PublishResult, { plan: Plan }>,
  target: string,
): string {
  const { plan } = result
  const { writes, deletes } = plannedKeys(plan)
  const done =
    result.status === 'dry-run'
      ? `would write ${writes.length} keys and delete ${deletes.length}; nothing was written`
      : `wrote ${result.keysWritten} keys, deleted ${result.keysDeleted}`
  return (
    `${target}: ${plan.added.length} added, ${plan.updated.length} updated, ${plan.unchanged.length} unchanged, ` +
    `${plan.removed.length} removed; skipped ${result.drafts.length} draft(s); ` +
    `${result.scheduled.length} scheduled (stored, visible at publishedAt); ${done}.`
  )
}

export function invalidLine(problems: readonly Problem[], files: number): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length
  return `${errors} error(s) in ${files} file(s); nothing was written.`
}
