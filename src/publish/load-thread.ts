// A loader thread of load-pool.ts: prepares each file's text it is sent (parse, validate, render,
// sanitise, check) with the same code as the main thread, and answers with the plain result.
import { parentPort, workerData } from 'node:worker_threads'
import type { ArticleText } from './article-files'
import { prepareText } from './load-articles'
import type { ThreadAnswer, ThreadData } from './load-pool'

const { site, prepareDrafts } = workerData as ThreadData

parentPort!.on('message', async ({ id, text }: { id: number; text: ArticleText & { raw: string } }) => {
  let answer: ThreadAnswer
  try {
    answer = { id, prepared: (await prepareText(text, site, { prepareDrafts })).prepared }
  } catch (error) {
    answer = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  parentPort!.postMessage(answer)
})
