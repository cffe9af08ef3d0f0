// Photos in Chromium, served as `npm start` serves them (the sample article's photo published into
// local R2 and answered by `wrangler dev`): the photo's box is laid out before the file arrives, so
// nothing moves when it does (cumulative layout shift measured with a PerformanceObserver, the
// photo held back until the page has painted), and the browser picks the variant that fits the
// viewport from the srcset and sizes the page gives it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from '../../tools/harness/chromium'
import type { Img, Win } from './in-page'

const base = inject('siteUrl')
const SAMPLE_PATH = `/articles/${encodeURIComponent('صورة-عينة')}`

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/**
 * `path` at `width`×`height`, every /media/ response held until the page has painted twice (so
 * the photo arrives into a page already laid out), then the photo `selector` names loaded; the
 * page's cumulative layout shift so far and what the browser chose.
 */
async function loadPhoto(
  path: string,
  selector: string,
  viewport: { width: number; height: number },
) {
  const context = await browser.newContext({ viewport })
  const page: Page = await context.newPage()
  let release!: () => void
  const painted = new Promise<void>((resolve) => (release = resolve))
  const held: string[] = []
  await page.route('**/media/**', async (route) => {
    held.push(route.request().url())
    await painted
    await route.continue()
  })
  await page.goto(base + path, { waitUntil: 'domcontentloaded' })
  await page.evaluate(() => {
    const win = globalThis as unknown as Win
    win.cls = 0
    new win.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) win.cls! += entry.value
    }).observe({ type: 'layout-shift', buffered: true })
    return new Promise<void>((resolve) =>
      win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)),
    )
  })
  release()
  await page.waitForFunction((query) => {
    const img = (globalThis as unknown as Win).document.querySelector(query) as Img | null
    return img !== null && img.complete && img.naturalWidth > 0
  }, selector)
  const seen = await page.evaluate((query) => {
    const win = globalThis as unknown as Win
    const img = win.document.querySelector(query) as Img
    const box = img.getBoundingClientRect()
    return {
      cls: win.cls!,
      currentSrc: img.currentSrc,
      width: Math.round(box.right - box.left),
      height: Math.round(box.bottom - box.top),
    }
  }, selector)
  await context.close()
  return { ...seen, held }
}

describe('the sample article’s photo', () => {
  it.each([
    { width: 320, height: 640, variant: 480, box: 288 },
    { width: 1280, height: 900, variant: 960, box: 672 },
  ])(
    'loads into its reserved box without shifting the page, as the $variant px AVIF, at $width px',
    async (spec) => {
      const seen = await loadPhoto(SAMPLE_PATH, '.figure img', spec)
      expect(seen.held.length, 'the photo was requested while the page waited').toBeGreaterThan(0)
      expect(seen.cls).toBe(0)
      // The narrowest variant that fills the article column (42rem on a desktop, the screen less
      // its margins on a phone), in the first format of the <picture> Chromium reads.
      expect(seen.currentSrc).toMatch(new RegExp(`/media/[0-9a-f]{16}-${spec.variant}\\.avif$`))
      expect(seen.width).toBe(spec.box)
      // 16:10 like the file, whatever the width.
      expect(Math.abs(seen.height - (seen.width * 10) / 16)).toBeLessThanOrEqual(1)
    },
  )

  it('leads the home page with its photo, which does not shift the page either', async () => {
    const seen = await loadPhoto('/', '.lead-story img', { width: 1280, height: 900 })
    expect(seen.cls).toBe(0)
    expect(seen.currentSrc).toMatch(/\/media\/[0-9a-f]{16}-960\.avif$/)
  })
})
