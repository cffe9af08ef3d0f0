// The part of autocannon's API the load test uses (the package ships no types). Names differ from
// bench/autocannon.d.ts so the two declarations merge cleanly if ever compiled together.
declare module 'autocannon' {
  interface LoadtestRequest {
    method?: string
    path: string
    headers?: Record<string, string>
  }
  interface LoadtestOptions {
    url: string
    connections: number
    duration: number
    timeout: number
    requests: LoadtestRequest[]
  }
  interface LoadtestResult {
    requests: { total: number; average: number }
    latency: { p50: number; p99: number; max: number }
    errors: number
    timeouts: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
  }
  export default function autocannon(options: LoadtestOptions): Promise<LoadtestResult>
}
