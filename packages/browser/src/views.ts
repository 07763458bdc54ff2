// What counts as a view on a wired page: an item at least half visible for the dwell time, the
// page's own product as soon as the page shows, and no dwell while the tab is hidden (a repeat view
// within the visit is counted once by core's track()). Used by wire.ts.
import type { EventType, Palate } from '@palate/core'
import { ITEM, itemOf, messageOf, warnOnce } from './itemOf.js'
import { RANK } from './rankChildren.js'

/** Marks the page's own product (a product page's main element): viewed as soon as the page shows. */
export const PAGE = 'data-palate-page-item'
/** The element itself, when it matches, then its matching descendants. */
export function matching(node: Node, selector: string): Element[] {
  // Duck-typed rather than instanceof: text nodes have neither, and a frame's nodes are of another realm.
  if (!('querySelectorAll' in node)) return []
  const found = [...(node as ParentNode).querySelectorAll(selector)]
  if ('matches' in node && (node as Element).matches(selector)) found.unshift(node as Element)
  return found
}

export interface Views {
  /** Starts watching an item element (or tracks a page item's view). */
  watch(element: Element): void
  /** Lets go of the item elements in a node that left the page. */
  forget(node: Node): void
  /** Tracks `type` for the element's item; a bad item is warned about once. */
  track(type: string, element: Element): void
  /** The tab is hidden: dwell timers stop. */
  hidden(): void
  /** The tab is shown again: page items waiting for it are viewed, items in view dwell afresh. */
  shown(): void
  close(): void
}

/** Tracks `type` for the element's item; a bad item is warned about once, naming the element. */
function track(palate: Palate, type: string, element: Element): void {
  const item = itemOf(element)
  if (!item) return
  try {
    palate.track(type as EventType, item)
  } catch (error) {
    warnOnce(element, messageOf(error))
  }
}

/** Calls `dwelt` for an element that stayed at least half visible for `dwell` ms, once. */
function dwellObserver(dwell: number, timers: Map<Element, ReturnType<typeof setTimeout>>, cancel: (element: Element) => void, dwelt: (element: Element) => void): IntersectionObserver {
  const visibility = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting, intersectionRatio } of entries) {
        // Crossing back below the threshold is reported as intersecting too: check the ratio.
        if (!isIntersecting || intersectionRatio < 0.5) cancel(target)
        else if (!timers.has(target)) {
          timers.set(
            target,
            setTimeout(() => {
              timers.delete(target)
              if (!target.isConnected) return
              visibility.unobserve(target)
              dwelt(target)
            }, dwell),
          )
        }
      }
    },
    { threshold: 0.5 },
  )
  return visibility
}

export function createViews(palate: Palate, doc: Document, dwell: number): Views {
  /** Page items waiting for the page to be visible. */
  const pending = new Set<Element>()
  const timers = new Map<Element, ReturnType<typeof setTimeout>>()
  let closed = false
  let paused: Element[] = []

  /** Core counts a repeat view of an item within the visit once: no record of views is kept here. */
  function view(element: Element): void {
    if (!closed) track(palate, 'view', element)
  }

  function cancel(element: Element): void {
    clearTimeout(timers.get(element))
    timers.delete(element)
  }

  const visibility = dwellObserver(dwell, timers, cancel, view)

  return {
    track: (type, element) => track(palate, type, element),
    watch(element) {
      const item = itemOf(element)
      if (element.hasAttribute(PAGE)) {
        if (!item) {
          if (!element.hasAttribute(ITEM)) warnOnce(element, `${PAGE} needs ${ITEM} on the same element`)
        } else if (doc.visibilityState === 'hidden') pending.add(element)
        else view(element)
      } else if (item && !element.parentElement?.closest(`[${RANK}]`)) visibility.observe(element)
    },
    forget(node) {
      for (const element of matching(node, `[${ITEM}]`)) {
        pending.delete(element)
        cancel(element)
        visibility.unobserve(element)
      }
    },
    hidden() {
      paused = [...timers.keys()]
      paused.forEach(cancel)
    },
    shown() {
      for (const element of pending) view(element)
      pending.clear()
      // Observed afresh: that reports their current visibility and starts a full dwell again.
      for (const element of paused.splice(0)) {
        visibility.unobserve(element)
        visibility.observe(element)
      }
    },
    close() {
      closed = true
      pending.clear()
      visibility.disconnect()
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
