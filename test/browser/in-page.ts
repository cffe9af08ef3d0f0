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

export interface Win {
  document: {
    documentElement: El & { lang: string; dir: string; scrollWidth: number; clientWidth: number }
    body: El
    activeElement: El | null
    head: { appendChild(element: El): void }
    createElement(tag: string): El
    querySelector(selector: string): El | null
  }
  getComputedStyle(element: El): {
    direction: string
    display: string
    backgroundColor: string
    outlineStyle: string
  }
  innerWidth: number
  innerHeight: number
  location: { hash: string }
  axe: { run(): Promise<import('axe-core').AxeResults> }
}
