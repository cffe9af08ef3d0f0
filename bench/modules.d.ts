// Types for the untyped packages the benchmark uses: autocannon, and ws (bench/profile-hot.ts).
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

// The part of ws (installed with wrangler and miniflare) that bench/profile-hot.ts uses.
declare module 'ws' {
  export default class WebSocket {
    constructor(url: string)
    on(event: 'open', listener: () => void): this
    on(event: 'error', listener: (error: Error) => void): this
    on(event: 'message', listener: (data: unknown) => void): this
    send(data: string): void
    close(): void
  }
}
