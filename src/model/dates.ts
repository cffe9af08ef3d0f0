// Comparing the ISO dates articles carry: one place for "the newest of these".

/** The latest of `dates` (ISO 8601 strings; absent ones skipped), as written, or undefined. */
export function newestDate(dates: Iterable<string | null | undefined>): string | undefined {
  let newest: string | undefined
  let newestTime = -Infinity
  for (const date of dates) {
    if (!date) continue
    const time = Date.parse(date)
    if (time > newestTime) {
      newest = date
      newestTime = time
    }
  }
  return newest
}

/** The earliest publication after `now` among `entries` (epoch ms): when the next one goes live. */
export function nextPublication(entries: Iterable<{ publishedAt: string }>, now: number): number | undefined {
  let next: number | undefined
  for (const entry of entries) {
    const time = Date.parse(entry.publishedAt)
    if (time > now && (next === undefined || time < next)) next = time
  }
  return next
}
