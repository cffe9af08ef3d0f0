// Small statistics and formatting helpers for the benchmark report.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** A number with `digits` significant-looking decimals, e.g. 0.412 ms, 12.3 ms, 1,234. */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return 'n/a'
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US')
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(Math.min(1, digits))
  return value.toFixed(digits)
}

export const fmtBytes = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(2)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} B`

export interface Target {
  name: string
  /** What was measured, formatted. */
  measured: string
  pass: boolean | null
}

export const verdict = (pass: boolean | null) => (pass === null ? 'n/a' : pass ? 'PASS' : 'MISS')

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
