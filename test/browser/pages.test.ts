// The pages in a real browser: direction and language as Chromium computes them, layout at
// phone/tablet/desktop widths, console errors (CSP violations among them), axe-core, JSON-LD,
// the stylesheet as a static asset, dark mode, print and keyboard focus.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { STYLESHEET_PATH } from '../../src/worker/views/stylesheet'
import { launchChromium } from '../../tools/harness/chromium'
import { WITHDRAWN } from '../../tools/harness/site-server'
import type { Win } from './in-page'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const base = inject('siteUrl')
const path = (prefix: string, name: string) => `${prefix}/${encodeURIComponent(name)}`

/** Phone, tablet and desktop widths the pages must fit without horizontal scrolling. */
const VIEWPORTS = [
  { name: 'phone', width: 320, height: 640 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1280, height: 900 },
] as const

const SEED_TITLE = 'الانسحاب الأميركي من العراق على طاولة البحث من جديد'
const SEED_PATH = path('/articles', 'الانسحاب-الأميركي-من-العراق')

const PAGES = [
  { name: 'home', path: '/', status: 200, lang: 'ar', dir: 'rtl' },
  { name: 'seed article', path: SEED_PATH, status: 200, lang: 'ar', dir: 'rtl' },
  { name: 'English article', path: '/articles/sample-english-article', status: 200, lang: 'en', dir: 'ltr' },
  { name: 'section', path: path('/sections', 'سياسة'), status: 200, lang: 'ar', dir: 'rtl' },
  { name: 'tag', path: path('/tags', 'عينة'), status: 200, lang: 'ar', dir: 'rtl' },
  { name: '404', path: '/no-such-page', status: 404, lang: 'ar', dir: 'rtl' },
  { name: '410', path: path('/articles', WITHDRAWN.slug), status: 410, lang: 'ar', dir: 'rtl' },
] as const

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

/** Problems the browser reports while loading a page: console errors, failed or refused loads. */
interface Loaded {
  page: Page
  status: number | undefined
  problems: string[]
}

async function load(pagePath: string, options: BrowserContextOptions = {}): Promise<Loaded> {
  const context = await browser.newContext({ viewport: VIEWPORTS[2], ...options })
  const page = await context.newPage()
  const problems: string[] = []
  const url = base + pagePath
  page.on('console', (message) => {
    // The document's own 404/410 status is reported as a console error; that one is intended.
    const ownStatus = message.location().url === url && /status of 4(04|10)/.test(message.text())
    if (message.type() === 'error' && !ownStatus) problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`))
  page.on('response', (response) => {
    if (response.url() !== url && response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
  })
  const response = await page.goto(url, { waitUntil: 'load' })
  return { page, status: response?.status(), problems }
}

async function axeViolations(page: Page) {
  await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(() => (globalThis as unknown as Win).axe.run())
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    nodes: violation.nodes.map((node) => node.target.join(' ')),
  }))
}

// Each page is loaded once at desktop width for the checks below, in order; the phone and dark
// checks resize it and switch its colour scheme (what a reader's rotation or setting does) instead
// of loading it again.
describe.each(PAGES)('$name page ($path)', (spec) => {
  let loaded: Loaded

  beforeAll(async () => {
    loaded = await load(spec.path)
  })

  afterAll(async () => {
    await loaded?.page.context().close()
  })

  it('loads with no console errors, CSP violations or failed requests', () => {
    expect(loaded.problems).toEqual([])
  })

  it(`answers ${spec.status} with lang="${spec.lang}" and computed direction ${spec.dir}`, async () => {
    expect(loaded.status).toBe(spec.status)
    const computed = await loaded.page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as Win
      return {
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        direction: getComputedStyle(document.body).direction,
      }
    })
    expect(computed).toEqual({ lang: spec.lang, dir: spec.dir, direction: spec.dir })
  })

  it('fits 320, 768 and 1280 px wide screens without horizontal scrolling', async () => {
    const { page } = loaded
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      const overflow = await page.evaluate(() => {
        const { documentElement } = (globalThis as unknown as Win).document
        return documentElement.scrollWidth - documentElement.clientWidth
      })
      expect(overflow, `${viewport.width} px`).toBeLessThanOrEqual(0)
    }
  })

  it.each(['light', 'dark'] as const)('has no axe-core violations in the %s scheme', async (colorScheme) => {
    const { page } = loaded
    await page.setViewportSize(VIEWPORTS[2])
    await page.emulateMedia({ colorScheme })
    expect(await axeViolations(page)).toEqual([])
  })

  it('has no axe-core violations on a phone', async () => {
    const { page } = loaded
    await page.setViewportSize(VIEWPORTS[0])
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await axeViolations(page)).toEqual([])
  })
})

describe('the seed article', () => {
  it('shows its heading and its photo caption with the agency credit', async () => {
    const { page } = await load(SEED_PATH, { viewport: VIEWPORTS[0] })
    await expect(page.getByRole('heading', { level: 1, name: SEED_TITLE }).isVisible()).resolves.toBe(true)
    const caption = page.locator('figure figcaption')
    expect(await caption.isVisible()).toBe(true)
    expect(await caption.textContent()).toMatch(/البرج 22.*\(الفرنسية\)$/)
    await page.context().close()
  })

  it('carries a NewsArticle in JSON-LD that parses', async () => {
    const { page } = await load(SEED_PATH)
    const blocks = await page.$$eval('script[type="application/ld+json"]', (scripts) =>
      scripts.map((script) => JSON.parse(script.textContent ?? '') as Record<string, unknown>),
    )
    expect(blocks).toHaveLength(1)
    expect(blocks[0]).toMatchObject({
      '@type': 'NewsArticle',
      headline: SEED_TITLE,
      inLanguage: 'ar',
      mainEntityOfPage: base + SEED_PATH,
    })
    await page.context().close()
  })

  it('lists the latest articles, an English one left to right inside the Arabic aside', async () => {
    const { page } = await load(SEED_PATH)
    const english = page.locator('aside li[lang="en"]')
    expect(await english.first().evaluate((li) => (globalThis as unknown as Win).getComputedStyle(li).direction)).toBe('ltr')
    await page.context().close()
  })
})

describe('an English article in the Arabic site', () => {
  it('lays out its text left to right and keeps the Arabic chrome right to left', async () => {
    const { page } = await load('/articles/sample-english-article')
    const directions = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as Win
      const style = (selector: string) => {
        const element = document.querySelector(selector)!
        return { direction: getComputedStyle(element).direction, lang: element.closest('[lang]')!.getAttribute('lang') }
      }
      return { article: style('article'), masthead: style('.masthead'), footer: style('.site-footer'), aside: style('.aside') }
    })
    expect(directions).toEqual({
      article: { direction: 'ltr', lang: 'en' },
      masthead: { direction: 'rtl', lang: 'ar' },
      footer: { direction: 'rtl', lang: 'ar' },
      aside: { direction: 'rtl', lang: 'ar' },
    })
    // Text starts at the left edge in the article, at the right edge in the masthead.
    const edges = await page.evaluate(() => {
      const { document } = globalThis as unknown as Win
      return {
        title: document.querySelector('.article-title')!.getBoundingClientRect().left,
        brand: document.querySelector('.brand')!.getBoundingClientRect().right,
        width: document.documentElement.clientWidth,
      }
    })
    expect(edges.title).toBeLessThan(edges.width / 2)
    expect(edges.brand).toBeGreaterThan(edges.width / 2)
    await page.context().close()
  })
})

describe('the stylesheet and the page chrome', () => {
  it('serves the stylesheet as a hashed static file cached for a year', async () => {
    const response = await fetch(base + STYLESHEET_PATH)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/css; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
  })

  it('enforces the Content-Security-Policy: an injected inline style is refused and reported', async () => {
    const { page } = await load('/')
    const report = page.waitForEvent('console', (message) => message.text().includes('Content Security Policy'))
    const background = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as Win
      const style = document.createElement('style')
      style.textContent = 'body { background: rgb(255, 0, 0) }'
      document.head.appendChild(style)
      return getComputedStyle(document.body).backgroundColor
    })
    expect(background).toBe('rgb(253, 252, 249)')
    expect((await report).text()).toContain("style-src 'self'")
    await page.context().close()
  })

  it('switches to dark colours when the reader prefers them', async () => {
    const background = async (colorScheme: 'light' | 'dark') => {
      const { page } = await load('/', { colorScheme })
      const color = await page.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as Win
        return getComputedStyle(document.body).backgroundColor
      })
      await page.context().close()
      return color
    }
    expect(await background('light')).toBe('rgb(253, 252, 249)')
    expect(await background('dark')).toBe('rgb(21, 22, 26)')
  })

  it('prints the article without navigation, side column or feed links', async () => {
    const { page } = await load(SEED_PATH)
    await page.emulateMedia({ media: 'print' })
    const displays = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as Win
      return ['.site-nav', '.aside', '.feeds', 'article'].map(
        (selector) => getComputedStyle(document.querySelector(selector)!).display,
      )
    })
    expect(displays).toEqual(['none', 'none', 'none', 'block'])
    await page.context().close()
  })

  it('shows the skip link on the first Tab, with a visible focus outline, and it leads to main', async () => {
    const { page } = await load(SEED_PATH, { viewport: VIEWPORTS[0] })
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const { document, getComputedStyle, innerHeight, innerWidth } = globalThis as unknown as Win
      const element = document.activeElement!
      const box = element.getBoundingClientRect()
      const style = getComputedStyle(element)
      return {
        className: element.className,
        inView: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth,
        outline: style.outlineStyle,
      }
    })
    expect(focused).toEqual({ className: 'skip-link', inView: true, outline: 'solid' })
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (globalThis as unknown as Win).location.hash)).toBe('#main')
    await page.context().close()
  })

})
