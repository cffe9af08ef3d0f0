// Cloudflare's API on loopback, over real HTTP, for the remote publish tests: a KV namespace's bulk
// endpoints, an R2 bucket's object endpoints and a zone's purge endpoint, in memory, with queues
// of answers to fail the next purge or object calls the way the real API does.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface PurgeCall {
  tags: string[]
  authorization: string | undefined
}

export interface StoredObject {
  bytes: Buffer
  contentType: string | undefined
  authorization: string | undefined
}

/** An answer to send instead of the endpoint's own (then the endpoint answers again). */
export interface Answer {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

const R2_OBJECT = /^\/client\/v4\/accounts\/account-1\/r2\/buckets\/([^/]+)\/objects\/(.+)$/

export class FakeCloudflare {
  readonly kv = new Map<string, string>()
  readonly purges: PurgeCall[] = []
  /** Objects by bucket and key (`<bucket>/<key>`). */
  readonly objects = new Map<string, StoredObject>()
  /** Every R2 object call, `<method> <key>`, failed ones included. */
  readonly objectCalls: string[] = []
  /** What the next purge requests answer (then 200). */
  purgeAnswers: Answer[] = []
  /** What the next R2 object requests answer (then the bucket's own answer). */
  objectAnswers: Answer[] = []
  private server!: Server

  get base() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/client/v4`
  }

  async start() {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request)
      const url = new URL(request.url!, 'http://x')
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        response.end(JSON.stringify(value))
      }
      const value = /\/storage\/kv\/namespaces\/[^/]+\/values\/(.+)$/.exec(url.pathname)
      if (request.method === 'GET' && value) {
        const stored = this.kv.get(decodeURIComponent(value[1]!))
        if (stored === undefined)
          return json(404, { success: false, errors: [{ code: 10009, message: 'key not found' }] })
        response.writeHead(200)
        return response.end(stored)
      }
      if (request.method === 'PUT' && url.pathname.endsWith('/bulk')) {
        for (const pair of JSON.parse(body.toString()) as { key: string; value: string }[])
          this.kv.set(pair.key, pair.value)
        return json(200, {
          success: true,
          result: { successful_key_count: 1, unsuccessful_keys: [] },
        })
      }
      if (request.method === 'POST' && url.pathname.endsWith('/bulk/delete')) {
        for (const key of JSON.parse(body.toString()) as string[]) this.kv.delete(key)
        return json(200, { success: true, result: {} })
      }
      const object = R2_OBJECT.exec(url.pathname)
      if (object && (request.method === 'PUT' || request.method === 'DELETE')) {
        const [, bucket, key] = object
        this.objectCalls.push(`${request.method} ${key}`)
        const answer = this.objectAnswers.shift()
        if (answer)
          return json(answer.status, answer.body ?? { success: false, errors: [] }, answer.headers)
        const name = `${bucket}/${key}`
        if (request.method === 'PUT') {
          this.objects.set(name, {
            bytes: body,
            contentType: request.headers['content-type'],
            authorization: request.headers.authorization,
          })
          return json(200, { success: true, result: { key, size: body.length } })
        }
        // Deleting what is not there: the bucket says so, and the publisher takes it as done.
        if (!this.objects.delete(name))
          return json(404, {
            success: false,
            errors: [{ code: 10007, message: 'The specified key does not exist.' }],
          })
        return json(200, { success: true, result: {} })
      }
      if (
        request.method === 'POST' &&
        /^\/client\/v4\/zones\/zone-1\/purge_cache$/.test(url.pathname)
      ) {
        this.purges.push({
          tags: (JSON.parse(body.toString()) as { tags: string[] }).tags,
          authorization: request.headers.authorization,
        })
        const answer = this.purgeAnswers.shift()
        if (answer)
          return json(answer.status, answer.body ?? { success: false, errors: [] }, answer.headers)
        return json(200, { success: true, result: { id: 'purge-1' } })
      }
      json(404, {
        success: false,
        errors: [{ message: `no route ${request.method} ${url.pathname}` }],
      })
    })
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
  }

  async stop() {
    this.server.close()
    await once(this.server, 'close')
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
