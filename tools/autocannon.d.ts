// The part of autocannon's API the load test (tools/loadtest.ts) and the bench use: the package
// ships no types.
declare module 'autocannon' {
  interface Request {
    method?: string
    path: string
    headers?: Record<string, string>
  }
  interface Options {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    /** Seconds a request may take before it counts as a timeout. */
    timeout?: number
    headers?: Record<string, string>
    /** Sent in turn on every connection, instead of one GET of `url`. */
    requests?: Request[]
  }
  interface Result {
    requests: { total: number; average: number }
    latency: { p50: number; p99: number; max: number }
    statusCodeStats?: Record<string, { count: number }>
    errors: number
    timeouts: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
  }
  export default function autocannon(options: Options): Promise<Result>
}
