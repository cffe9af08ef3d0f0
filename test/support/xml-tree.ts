// A strict XML 1.0 parse (saxes) into a small tree for assertions. Throws on the first
// well-formedness error, so every feed a test reads is proven well-formed.
import { SaxesParser } from 'saxes'

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** Concatenated text content (entities and CDATA decoded). */
  text: string
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  parser.on('error', (error) => {
    throw error
  })
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      name: tag.name,
      attributes: Object.fromEntries(
        Object.entries(tag.attributes).map(([name, value]) => [name, String(value)]),
      ),
      children: [],
      text: '',
    }
    stack.at(-1)?.children.push(element)
    root ??= element
    stack.push(element)
  })
  const addText = (text: string) => {
    for (const element of stack) element.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => {
    stack.pop()
  })
  parser.write(xml).close()
  if (!root) throw new Error('no root element')
  return root
}

/** Direct children named `name`. */
export const childrenNamed = (element: XmlElement, name: string) =>
  element.children.filter((child) => child.name === name)

/** The first direct child named `name` (throws if none). */
export function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((each) => each.name === name)
  if (!found) throw new Error(`<${element.name}> has no <${name}>`)
  return found
}
