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
