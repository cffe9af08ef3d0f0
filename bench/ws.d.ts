// The part of ws (installed with wrangler and miniflare; it ships no types) that
// bench/profile-hot.ts uses. autocannon's types are in tools/autocannon.d.ts.
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
