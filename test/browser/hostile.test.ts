// A hostile article in real Chromium: a body of every XSS vector after the publish script's
// sanitiser, and bidi overrides in its text fields. The page must load with no dialog, no script
// execution, no console error (CSP violations included), nothing active left in the DOM, and no
// override reordering the text around it. The site's own server (global setup) serves the real
// articles only, so this file starts the worker bundle in Miniflare with the hostile one added.
import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderBody } from '../../src/publish/render-markdown'
import { STYLESHEET_PATH } from '../../src/worker/views/stylesheet'
import { STYLES } from '../../src/worker/views/styles'
import { launchChromium } from '../../tools/harness/chromium'
import { serveWorker, type ServedWorker } from '../../tools/harness/miniflare-worker'
import { makeArticle } from '../support/articles'
import { ALL_VECTORS } from '../security/xss-vectors'

const SLUG = 'خبر-عدائي'
const RLO = '\u202E'
// An English credit after a caption ending in an unterminated right-to-left override.
const CREDIT = 'ABC agency'
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

let browser: Browser
let server: ServedWorker
let base: string

/** The hostile article, its links and photo on the server at `origin`. */
const hostileArticle = (origin: string) =>
  makeArticle({
    slug: SLUG,
    title: `عنوان <script>alert(1)</script> ${RLO}`,
    summary: `ملخص ${RLO} <img src=x onerror=alert(1)>`,
    html: renderBody(ALL_VECTORS.join('\n\n'), `${origin}/articles/${encodeURIComponent(SLUG)}`).html,
    section: `قسم ${RLO}`,
    tags: [`وسم ${RLO}`],
    authors: [{ name: `كاتب ${RLO}` }, { name: 'Second Author' }],
    image: { url: `${origin}/photo.png`, alt: `صورة ${RLO}`, caption: `تعليق الصورة ${RLO}`, credit: CREDIT },
  })

beforeAll(async () => {
  server = await serveWorker({
    articles: (origin) => [hostileArticle(origin)],
    now: Date.parse('2024-12-01T00:00:00Z'),
    ownSiteUrl: true,
  })
  base = server.url
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

interface Visit {
  page: Page
  status: number | undefined
  dialogs: string[]
  problems: string[]
}

/** Load `path`; static files (not served by the bare worker) and images answered locally. */
async function visit(path: string): Promise<Visit> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const dialogs: string[] = []
  const problems: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  await page.route('**/*', async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    if (url.pathname === STYLESHEET_PATH) return route.fulfill({ contentType: 'text/css', body: STYLES })
    if (url.pathname === '/favicon.svg') return route.fulfill({ contentType: 'image/svg+xml', body: await readFile('public/favicon.svg') })
    if (request.resourceType() === 'image') return route.fulfill({ contentType: 'image/png', body: PNG })
    if (url.origin !== base) return route.abort()
    return route.continue()
  })
  const response = await page.goto(base + path, { waitUntil: 'load' })
  // Give timers, animations and focus handlers a moment to fire if anything survived.
  await page.waitForTimeout(500)
  return { page, status: response?.status(), dialogs, problems }
}

/** Everything active left in the document: elements, handlers, script URLs. */
function activeContent(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const found = []
    for (const element of document.querySelectorAll('*')) {
      const name = element.localName
      if (['script', 'iframe', 'frame', 'object', 'embed', 'applet', 'svg', 'math', 'style', 'form', 'input', 'button', 'base', 'template'].includes(name)
          && !(name === 'script' && element.getAttribute('type') === 'application/ld+json')) found.push('<' + name + '>')
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith('on') || ['style', 'srcset', 'formaction', 'action', 'xlink:href', 'background'].includes(attribute.name)) {
          found.push(attribute.name + ' on <' + name + '>')
        }
      }
      for (const property of ['href', 'src']) {
        const value = element[property]
        if (typeof value === 'string' && value && !/^(https?|mailto):/.test(value)) found.push(property + '=' + value + ' on <' + name + '>')
      }
    }
    return found
  })()`)
}

describe('a hostile article in Chromium', () => {
  it.each([
    ['the article page', `/articles/${encodeURIComponent(SLUG)}`],
    ['the home page', '/'],
  ])('%s loads with no dialog, no console error and nothing active in the DOM', async (_, path) => {
    const { page, status, dialogs, problems } = await visit(path)
    expect(status).toBe(200)
    expect(dialogs).toEqual([])
    expect(problems).toEqual([])
    expect(await activeContent(page)).toEqual([])
    await page.context().close()
  })

  it('keeps a caption’s unterminated right-to-left override away from the credit after it', async () => {
    const { page } = await visit(`/articles/${encodeURIComponent(SLUG)}`)
    // Left edges of the credit's first three letters, as laid out: A, B, C must read left to right.
    const lefts = (await page.evaluate(`(() => {
      const caption = document.querySelector('figcaption')
      const walker = document.createTreeWalker(caption, NodeFilter.SHOW_TEXT)
      let node
      while ((node = walker.nextNode())) {
        const at = node.data.indexOf('ABC')
        if (at === -1) continue
        return [0, 1, 2].map((i) => {
          const range = document.createRange()
          range.setStart(node, at + i)
          range.setEnd(node, at + i + 1)
          return range.getBoundingClientRect().left
        })
      }
      return null
    })()`)) as number[] | null
    expect(lefts).not.toBeNull()
    expect(lefts![0]).toBeLessThan(lefts![1]!)
    expect(lefts![1]).toBeLessThan(lefts![2]!)
    await page.context().close()
  })
})
