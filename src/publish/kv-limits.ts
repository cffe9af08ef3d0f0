// Publish step 5 (and 8, for what no file owns): Workers KV's size limits on keys and values — an
// error past a limit, a warning close to it, while there is still room to split an article or a
// list. Pure.
import type { KvEntry } from './desired-state'
import type { Problem } from './problems'

/** Workers KV limits (developers.cloudflare.com/kv/platform/limits). Sahifa writes no metadata. */
export const KV_LIMITS = { keyBytes: 512, valueBytes: 25 * 1024 * 1024 } as const
/** Warn this far towards a limit, while there is still room to split an article or a list. */
const WARNING_RATIO = 0.8

export const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8')

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} bytes`
}

/** An error past a KV limit, a warning past WARNING_RATIO of it, or nothing. */
export function sizeProblem(
  what: 'key' | 'value',
  bytes: number,
  where: Omit<Problem, 'severity' | 'message'>,
): Problem[] {
  const limit = what === 'key' ? KV_LIMITS.keyBytes : KV_LIMITS.valueBytes
  const limitText = describeBytes(limit)
  if (bytes > limit) {
    return [
      {
        ...where,
        severity: 'error',
        message: `the KV ${what} would be ${describeBytes(bytes)}; Workers KV allows ${limitText}`,
      },
    ]
  }
  if (bytes > limit * WARNING_RATIO) {
    const percent = Math.round((bytes / limit) * 100)
    return [
      {
        ...where,
        severity: 'warning',
        message: `the KV ${what} is ${describeBytes(bytes)}, ${percent}% of Workers KV's ${limitText} limit`,
      },
    ]
  }
  return []
}

/** Size checks of one entry no single file owns (a list head or chunk, a redirect, a tombstone). */
export const entrySizeProblems = (key: string, value: string): Problem[] => [
  ...sizeProblem('key', utf8Bytes(key), { file: key }),
  ...sizeProblem('value', utf8Bytes(value), { file: key }),
]

/** Size checks for keys that no single file owns (list heads and chunks, redirects, tombstones). */
export const checkEntrySizes = (entries: readonly KvEntry[]): Problem[] =>
  entries.flatMap((entry) => entrySizeProblems(entry.key, entry.value))
