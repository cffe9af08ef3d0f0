// The worker as `npm start` serves it, and only there (tools/start.ts passes this entry to
// `wrangler dev`; wrangler.toml's `main`, which `npm run deploy` builds, is src/worker/index.ts):
// the production worker, untouched, with `/preview/<slug>` answered first — for loopback hosts
// only, so that even this entry, deployed by mistake, shows no draft to the internet.
import { parseSiteConfig } from '../model/site'
import worker from '../worker/index'
import type { Bindings } from '../worker/env'
import { withSecurityHeaders } from '../worker/security'
import { PREVIEW_PREFIX, previewResponse } from './preview'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext) {
    const url = new URL(request.url)
    const reading = request.method === 'GET' || request.method === 'HEAD'
    if (url.pathname.startsWith(PREVIEW_PREFIX) && LOOPBACK.has(url.hostname) && reading)
      return withSecurityHeaders(
        await previewResponse(url.pathname, parseSiteConfig(env), env.ARTICLES),
      )
    return worker.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Bindings>
