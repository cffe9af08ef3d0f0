// Types for code that runs inside the page (page.evaluate callbacks). The project type-checks
// without the DOM library (it would clash with the Workers types), so the few browser APIs the
// tests use are described here; a callback reaches them through `globalThis as unknown as Win`.

export interface Box {
  top: number
  bottom: number
  left: number
  right: number
}

export interface El {
  className: string
  textContent: string | null
  getAttribute(name: string): string | null
  closest(selector: string): El | null
  getBoundingClientRect(): Box
}

/** An <img> as the photo tests read it. */
export interface Img extends El {
  currentSrc: string
  complete: boolean
  naturalWidth: number
}

/** A layout-shift entry (Layout Instability API). */
export interface LayoutShift {
  value: number
  hadRecentInput: boolean
}

export interface Win {
  document: {
    documentElement: El & { lang: string; dir: string; scrollWidth: number; clientWidth: number }
    body: El
    activeElement: El | null
    head: { appendChild(element: El): void }
    createElement(tag: string): El
    querySelector(selector: string): El | null
    querySelectorAll(selector: string): ArrayLike<El>
  }
  getComputedStyle(element: El): {
    direction: string
    display: string
    backgroundColor: string
    outlineStyle: string
  }
  innerWidth: number
  innerHeight: number
  PerformanceObserver: new (callback: (list: { getEntries(): LayoutShift[] }) => void) => {
    observe(options: { type: string; buffered: boolean }): void
  }
  requestAnimationFrame(callback: () => void): void
  /** Set by the photo tests: the page's cumulative layout shift so far. */
  cls?: number
  location: { hash: string }
  axe: { run(): Promise<import('axe-core').AxeResults> }
}
