// Starts the site once for every browser test file and hands its URL to the tests.
import type { TestProject } from 'vitest/node'
import { startSiteServer } from '../../tools/harness/site-server'

export default async function setup(project: TestProject) {
  const server = await startSiteServer()
  project.provide('siteUrl', server.url)
  return () => server.stop()
}

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string
  }
}
