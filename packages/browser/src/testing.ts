// Helpers for this package's tests (not exported from the package).
import type { Item } from '@palate/core'

/** A database name no other test uses: browser test files share one origin. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}`
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Two frames: long enough for IntersectionObserver and MutationObserver to have reported. */
export const frames = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve))))

/** An element carrying `item`, with its own `data-palate-item`, built without innerHTML. */
export function itemElement(item: Item | string, tag = 'li'): HTMLElement {
  const element = document.createElement(tag)
  element.setAttribute('data-palate-item', typeof item === 'string' ? item : JSON.stringify(item))
  element.textContent = typeof item === 'string' ? 'broken' : item.id
  return element
}

/**
 * A 100 px tall box pinned so that `fraction` of it is inside the viewport, at the bottom edge.
 * Fixed positioning keeps the test page's own layout (and scrolling) out of it.
 */
export function showFraction(element: HTMLElement, fraction: number): void {
  element.style.cssText = `position:fixed;left:0;width:100px;height:100px;margin:0;top:${window.innerHeight - fraction * 100}px`
}
