// Request step 6 (media): byte ranges (RFC 9110 §14) — the one range a client asks of a photo
// variant, whether its representation can give it, and If-Range. Pure.
import { parseHttpDate } from './http'

/** Inclusive first and last byte positions (RFC 9110 §14.1.1). */
export interface ByteRange {
  start: number
  end: number
}

const RANGE_SPEC = /^(\d{1,15})?-(\d{1,15})?$/

/**
 * The range a Range header asks for of a representation of `size` bytes: a range, `unsatisfiable`
 * (answer 416), or null — no header, another unit, a malformed or several ranges — when the whole
 * representation is the answer. RFC 9110 §14.2 lets a server ignore Range; serving several ranges
 * (multipart/byteranges) buys a photo nothing, so they get the whole file.
 */
export function requestedRange(
  header: string | null,
  size: number,
): ByteRange | 'unsatisfiable' | null {
  if (header === null) return null
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header)
  if (!match) return null
  const specs = match[1]!.split(',').map((spec) => spec.trim())
  if (specs.length !== 1) return null
  const parts = RANGE_SPEC.exec(specs[0]!)
  if (!parts) return null
  const [, first, last] = parts
  if (first === undefined) {
    // suffix-range: the last N bytes; N = 0 selects nothing (§14.1.3).
    if (last === undefined) return null
    const length = Number(last)
    return length === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  // §14.1.1: a last position before the first makes the range-spec invalid: ignored.
  if (last !== undefined && Number(last) < start) return null
  if (start >= size) return 'unsatisfiable'
  return { start, end: last === undefined ? size - 1 : Math.min(Number(last), size - 1) }
}

/**
 * RFC 9110 §13.1.5: with If-Range the range is wanted only while the client's copy is current — an
 * entity tag that is strongly the current one, or the current Last-Modified date exactly.
 */
export function rangeStillValid(
  ifRange: string | null,
  etag: string | null,
  lastModified: string | null,
): boolean {
  if (ifRange === null) return true
  const value = ifRange.trim()
  if (value.startsWith('"') || value.startsWith('W/')) return etag !== null && value === etag
  const date = parseHttpDate(value)
  return lastModified !== null && !Number.isNaN(date) && date === parseHttpDate(lastModified)
}
