// The product an element carries in `data-palate-item`, parsed once per attribute text, and the
// warnings (once per element) that name the element a bad attribute sits on.
import { itemKeys, type Item } from '@palate/core'

/** The attribute that carries a product, as JSON. */
export const ITEM = 'data-palate-item'

/** Elements already warned about. */
const warned = new WeakSet<Element>()

/** `<div id="a" class="col x">` as `div#a.col.x`: enough to find the element from a console line. */
function nameOf(element: Element): string {
  return element.localName + (element.id ? '#' + element.id : '') + [...element.classList].map((c) => '.' + c).join('')
}

/**
 * Logs `[palate] message (on div.col)` with the element (so devtools can reveal it), once per
 * element: a dev warning that repeats on every scroll is noise.
 */
export function warnOnce(element: Element, message: string): void {
  if (warned.has(element)) return
  warned.add(element)
  console.warn(`[palate] ${message} (on ${nameOf(element)})`, element)
}

/** Core's messages already carry `[palate] fn(): `; the warning names the attribute instead. */
export function messageOf(error: unknown): string {
  return String(error instanceof Error ? error.message : error).replace(/^\[palate\] [^:]*: /, '')
}

/**
 * Parsed items by element, kept while the attribute text is unchanged: parsing on every re-rank
 * would cost more than the ranking, and core caches its own work by item identity.
 */
const parsed = new WeakMap<Element, { raw: string; item: Item | null }>()

/**
 * The item an element carries in `data-palate-item`, or null when it has none. Malformed JSON
 * and items core would reject are warned about once, with the element, and read as null so that
 * the rest of the page keeps working.
 */
export function itemOf(element: Element): Item | null {
  const raw = element.getAttribute(ITEM)
  if (raw === null) return null
  const hit = parsed.get(element)
  if (hit && hit.raw === raw) return hit.item
  let item: Item | null = null
  try {
    const value = JSON.parse(raw) as Item
    // The same checks track() and rank() make, done once here so that neither throws later.
    itemKeys(value)
    item = value
  } catch (error) {
    warnOnce(element, `ignored ${ITEM}: ${messageOf(error)}`)
  }
  parsed.set(element, { raw, item })
  return item
}
