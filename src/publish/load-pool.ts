// Publish steps 1–4 on more than one core: a run that loads many files anew (the first publish of
// an archive, or every file after the publisher or the site's settings changed) parses, validates,
// renders and sanitises them on loader threads (load-thread.ts) while the main thread reads the
// next files and writes the load cache. A file costs about 3 ms of CPU, 100,000 files five minutes
// on one core. The threads give back plain data; photos and the cache stay on the main thread.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ArticleText } from './article-files'
import type { PreparedLoad } from './load-articles'
import type { SiteConfig } from '../model/site'

/** Fewer files than this to load anew are loaded on the main thread: a thread takes ~0.6 s to start. */
export const POOL_MIN_FILES = 256

/**
 * At most this many threads: each holds its own heap and parsers, and the main thread's reads and
 * cache writes keep up with about this many. Checking 100,000 files with an empty cache here took
 * 148 s on the main thread alone, 107–111 s with one thread and 98–102 s with two, the peak 2.75
 * GB against 3.05–3.24 GB with either (the main thread's heap grows faster when fed faster).
 */
const MAX_THREADS = 4

/** Files sent to each thread ahead of its answers, so it never waits for the main thread. */
const AHEAD_PER_THREAD = 4

/** How many loader threads suit `files` files to load anew (0: load on the main thread). */
export function loaderThreads(files: number): number {
  if (files < POOL_MIN_FILES) return 0
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, Math.ceil(files / POOL_MIN_FILES)))
}

export interface LoadPool {
  /** The file's text prepared on a loader thread; rejects when the thread cannot (see `close`). */
  prepare(text: ArticleText & { raw: string }): Promise<PreparedLoad>
  /** Stops the threads (tasks not answered yet reject). */
  close(): Promise<void>
}

/** What a loader thread is started with. */
export interface ThreadData {
  site: SiteConfig
  prepareDrafts: boolean
  /** The module to import first: tsx's loader, when this code runs from TypeScript sources. */
  loader?: string
  module: string
}

export type ThreadAnswer = { id: number; prepared: PreparedLoad } | { id: number; error: string }

/**
 * The thread's entry, evaluated as a script: it registers tsx's loader when the sources are
 * TypeScript (Node 20 gives a worker none of the main thread's module hooks), then imports
 * load-thread.ts, which answers messages.
 */
const BOOTSTRAP = `const { workerData } = require('node:worker_threads')
;(async () => {
  if (workerData.loader) (await import(workerData.loader)).register()
  await import(workerData.module)
})()`

interface Task {
  id: number
  text: ArticleText & { raw: string }
  resolve: (prepared: PreparedLoad) => void
  reject: (error: Error) => void
}

/** `threads` loader threads for `site`'s files. */
export function loadPool(site: SiteConfig, options: { prepareDrafts: boolean; threads: number }): LoadPool {
  const fromSources = import.meta.url.endsWith('.ts')
  const data: ThreadData = {
    site,
    prepareDrafts: options.prepareDrafts,
    ...(fromSources && { loader: import.meta.resolve('tsx/esm/api') }),
    module: new URL(`./load-thread.${fromSources ? 'ts' : 'js'}`, import.meta.url).href,
  }
  const queue: Task[] = []
  let nextId = 0
  let closed = false

  const threads = Array.from({ length: options.threads }, () => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data })
    // A thread waiting for work must not keep the process alive.
    worker.unref()
    const sent = new Map<number, Task>()
    const fail = (error: Error) => {
      for (const task of sent.values()) task.reject(error)
      sent.clear()
      // The other threads take the rest; with none left, every task rejects.
      const at = threads.indexOf(thread)
      if (at >= 0) threads.splice(at, 1)
      if (threads.length === 0) for (const task of queue.splice(0)) task.reject(error)
    }
    worker.on('message', (answer: ThreadAnswer) => {
      const task = sent.get(answer.id)
      if (!task) return
      sent.delete(answer.id)
      if ('error' in answer) task.reject(new Error(answer.error))
      else task.resolve(answer.prepared)
      feed(thread)
    })
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`a loader thread stopped (exit code ${code})`))
    })
    const thread = { worker, sent }
    return thread
  })

  function feed(thread: (typeof threads)[number]) {
    while (thread.sent.size < AHEAD_PER_THREAD && queue.length > 0) {
      const task = queue.shift()!
      thread.sent.set(task.id, task)
      thread.worker.postMessage({ id: task.id, text: task.text })
    }
  }

  return {
    prepare(text) {
      return new Promise<PreparedLoad>((resolve, reject) => {
        if (closed || threads.length === 0) return reject(new Error('the loader threads are stopped'))
        queue.push({ id: nextId++, text, resolve, reject })
        // The least busy thread takes it.
        feed(threads.reduce((a, b) => (b.sent.size < a.sent.size ? b : a)))
      })
    },
    async close() {
      closed = true
      const error = new Error('the loader threads are stopped')
      for (const task of queue.splice(0)) task.reject(error)
      for (const thread of threads) for (const task of thread.sent.values()) task.reject(error)
      await Promise.all(threads.map((thread) => thread.worker.terminate()))
    },
  }
}
