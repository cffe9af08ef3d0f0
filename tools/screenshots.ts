// `npm run screenshots`: full-page PNGs of the home page and the seed article (plus the English
// sample, the photo sample and dark mode) on a phone and a desktop, in screenshots/ (git-ignored), from the site as
// `npm start` serves it, in Debian's Chromium.
import { mkdir } from 'node:fs/promises'
import { goOffline } from '../src/publish/offline-env'
import { launchChromium } from './harness/chromium'
import { startSiteServer } from './harness/site-server'

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'seed-article', path: `/articles/${encodeURIComponent('الانسحاب-الأميركي-من-العراق')}` },
  { name: 'english-article', path: '/articles/sample-english-article' },
  { name: 'photo-article', path: `/articles/${encodeURIComponent('صورة-عينة')}` },
]

const DEVICES = [
  {
    name: 'phone',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    colorScheme: 'light',
  },
  {
    name: 'phone-dark',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    colorScheme: 'dark',
  },
  {
    name: 'desktop',
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    isMobile: false,
    colorScheme: 'light',
  },
] as const

const OUT_DIR = 'screenshots'

goOffline()
const server = await startSiteServer()
const browser = await launchChromium()
try {
  await mkdir(OUT_DIR, { recursive: true })
  for (const device of DEVICES) {
    const { name: deviceName, ...options } = device
    const context = await browser.newContext(options)
    const page = await context.newPage()
    for (const { name, path } of PAGES) {
      await page.goto(server.url + path, { waitUntil: 'load' })
      const file = `${OUT_DIR}/${name}-${deviceName}.png`
      await page.screenshot({ path: file, fullPage: true })
      console.log(`wrote ${file}`)
    }
    await context.close()
  }
} finally {
  await browser.close()
  await server.stop()
}
