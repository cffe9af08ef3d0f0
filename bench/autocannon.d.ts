// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Percentiles {
    p50: number
    p99: number
  }
  interface Result {
    requests: { total: number; average: number }
    latency: Percentiles
    statusCodeStats?: Record<string, { count: number }>
    errors: number
    timeouts: number
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
  }
  export default function autocannon(options: Options): Promise<Result>
}
