// Wiring a page's markup to an instance: clicks and events on item elements, views (views.ts),
// and shelves (`data-palate-rank`) re-ranked when the profile changes, as long as they hold still
// while the shopper looks at them; elements added or changed later are picked up.
import type { Palate, Reason } from '@palate/core'
import { ITEM, warnOnce } from './itemOf.js'
import { LIMIT, RANK, rankChildren, SURPRISE } from './rankChildren.js'
import { createViews, matching, PAGE, type Views } from './views.js'

export { PAGE } from './views.js'

const EVENT = 'data-palate-event'

/**
 * Options of {@link wire}.
 * @example wire(palate, document, { dwell: 2000 })
 */
export interface WireOptions {
  /**
   * How long an item must stay at least half visible before it counts as viewed, in milliseconds.
   * Tests shorten it; the default is the usual "viewable impression" second.
   * @default 1000
   */
  dwell?: number
}

/**
 * Connects a page's markup to a Palate instance, and returns the function that disconnects it.
 *
 * What is recorded, by where an item element (`data-palate-item`, the product as JSON) sits:
 *
 * - Inside a `data-palate-rank` container (a shelf, a ranked listing): nothing for being seen —
 *   what Palate itself put on screen is not interest. A click on it is a `click`.
 * - Marked `data-palate-page-item` (the product of a product page): a `view` as soon as the page
 *   is visible.
 * - Anywhere else: a `view` once it has been at least half visible for `dwell` ms while the page
 *   is visible; a click is a `click`.
 * - A `data-palate-event="add_to_cart"` (or `purchase`, `wishlist`, `dismiss`, …) on an element
 *   inside an item tracks that event on click instead of `click`, wherever the item is.
 * - A view of the same item (by id) counts once per visit: `palate.track` sees to that, across the
 *   visit's page loads too, so a reloaded product page is not a second view.
 *
 * Ranking: a container with `data-palate-rank` has its children reordered by `palate.rank()` once
 * the profile is ready and after every change, moving the existing nodes. A child is an item when
 * it carries `data-palate-item` itself or holds exactly one element that does (a card inside a
 * column wrapper): the child is what moves. The item element is marked with `data-palate-reason`
 * (text), `data-palate-reason-kind` (`interest` | `surprise` | `popular` | `default`) and, on
 * surprises only, `data-palate-surprise`; an element inside it marked `data-palate-reason-slot`
 * gets the reason's text as its content. Other children keep their index.
 * `data-palate-limit="N"` personalizes only the first N slots (the rest follow in the store's
 * order, unmarked); `data-palate-surprise="true|false|0.3"` overrides the shopper's setting.
 * - Elements added or changed later are picked up. Malformed JSON and misplaced attributes are
 *   warned about once per element (`[palate] …`, naming it); the rest of the page keeps working.
 *
 * Do not put `data-palate-rank` on a list a framework renders (React, Vue…): the framework owns
 * those nodes. Use `@palate/react` there.
 *
 * @example
 * import { createPalate, wire } from 'palate'
 * const palate = createPalate({ name: 'shop' })
 * const unwire = wire(palate, document.querySelector('main')!, { dwell: 1000 })
 * // <article data-palate-page-item data-palate-item='{"id":"sku-1","category":"outdoors/hiking/boots"}'>
 * //   <button data-palate-event="add_to_cart">Add to cart</button></article>
 *
 * @param root What to watch, `document` by default; elements outside it are ignored.
 * @returns `unwire()`: stops observing and tracking. Nodes keep their current order and marks.
 * @throws TypeError when `dwell` is not a number >= 0.
 */
export function wire(palate: Palate, root: Document | Element | DocumentFragment = document, options: WireOptions = {}): () => void {
  const dwell = options.dwell ?? 1000
  if (typeof dwell !== 'number' || !(dwell >= 0)) throw new TypeError(`[palate] wire(): options.dwell must be a number of ms >= 0, got ${String(dwell)}`)

  const doc = root.ownerDocument ?? (root as Document)
  const views = createViews(palate, doc, dwell)
  let closed = false
  // Our own moves are not news: their records are handled at once, without re-ranking what was just ranked.
  const shelves = createShelves(palate, root, (ranked) => onMutations(mutations.takeRecords(), views, schedule, ranked))
  const { schedule } = shelves

  /**
   * A hidden tab shows nothing: its dwell timers stop. On return, the items that were in view are
   * observed afresh, which reports their current visibility and starts a full dwell again.
   */
  function onVisibility(): void {
    if (doc.visibilityState === 'hidden') {
      // Nobody is looking: a good moment for shelves that held still to catch up.
      shelves.catchUp()
      views.hidden()
    } else views.shown()
  }
  doc.addEventListener('visibilitychange', onVisibility)

  const mutations = new MutationObserver((records) => onMutations(records, views, schedule))
  mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: [ITEM, PAGE, RANK, LIMIT, SURPRISE] })

  /** Capture phase: a storefront handler that stops propagation must not hide the click from us. */
  function onClick(event: Event): void {
    const target = event.target as Element | null
    if (!target?.closest) return
    const button = target.closest(`[${EVENT}]`)
    const element = (button ?? target).closest(`[${ITEM}]`)
    if (button && !element) warnOnce(button, `${EVENT} outside any [${ITEM}] element was ignored`)
    else if (element) views.track(button?.getAttribute(EVENT) ?? 'click', element)
  }
  root.addEventListener('click', onClick, true)

  // A page item without the product on it is warned about; with it, it is an item like the others.
  for (const element of matching(root, `[${PAGE}]:not([${ITEM}])`)) views.watch(element)
  for (const element of matching(root, `[${ITEM}]`)) views.watch(element)
  const unsubscribe = palate.subscribe(() => shelves.rankAll())
  void palate.ready.then(() => {
    if (!closed) shelves.start()
  })

  return function unwire(): void {
    if (closed) return
    closed = true
    root.removeEventListener('click', onClick, true)
    doc.removeEventListener('visibilitychange', onVisibility)
    views.close()
    shelves.close()
    mutations.disconnect()
    unsubscribe()
  }
}

/**
 * What the page changed: items added or re-marked are watched, items gone are let go, and the
 * shelves they sit on are re-ranked (except those a pass of ours just reordered).
 */
function onMutations(records: MutationRecord[], views: Views, schedule: (container: Element) => void, justRanked?: Set<Element>): void {
  for (const record of records) {
    const target = record.target as Element
    if (record.type === 'attributes') {
      if (target.hasAttribute(RANK)) schedule(target)
      if (record.attributeName === ITEM || record.attributeName === PAGE) {
        views.watch(target)
        const container = target.parentElement?.closest(`[${RANK}]`)
        if (container) schedule(container)
      }
      continue
    }
    for (const node of record.addedNodes) {
      for (const element of matching(node, `[${ITEM}]`)) views.watch(element)
      for (const container of matching(node, `[${RANK}]`)) schedule(container)
      // A card added to a shelf, or into one of its children (a column wrapper filled later).
      const container = target.closest?.(`[${RANK}]`)
      if (container && !justRanked?.has(container) && (container === target || matching(node, `[${ITEM}]`).length)) schedule(container)
    }
    // Moved nodes come back in the same batch; only what really left the page is let go.
    for (const node of record.removedNodes) if (!node.isConnected) views.forget(node)
  }
}

/**
 * Shelves hold still while the shopper looks at them: what they just viewed must not jump away.
 * A change the shopper asked for (consent, surprise me, mutes, the profile becoming ready) shows
 * at once, and so does one that leaves a shelf naming an interest the profile no longer lists (a
 * forget, the tags a muted category took with it): a shelf on screen may hold still, never lie.
 * What the profile merely learned reorders a shelf that is off screen now, and one on screen once
 * it scrolls away or the tab is hidden. Nothing is ranked before `start()` (the profile is ready);
 * `ranked` hears which shelves a pass reordered.
 */
function createShelves(palate: Palate, root: Document | Element | DocumentFragment, ranked: (containers: Set<Element>) => void) {
  const dirty = new Set<Element>()
  const onScreen = new Set<Element>()
  const stale = new Set<Element>()
  let ready = false
  let closed = false
  let scheduled = false
  let controls = ''
  /** The listed interests each shelf's reasons name, as it was last ranked. */
  const named = new WeakMap<Element, string[]>()
  const shelves = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (isIntersecting) onScreen.add(target)
      else {
        onScreen.delete(target)
        if (stale.delete(target)) schedule(target)
      }
    }
  })

  /** `force`: as if the shopper had asked (the profile just became ready). */
  function rankAll(force = false): void {
    const snapshot = palate.getSnapshot()
    const now = [snapshot.status, snapshot.consent, snapshot.surprise, snapshot.muted.join()].join('|')
    const asked = force || now !== controls
    controls = now
    let listed: Set<string> | undefined
    const lies = (container: Element): boolean => {
      const keys = named.get(container)
      if (!keys?.length) return false
      listed ??= listedKeys(palate)
      return keys.some((key) => !listed!.has(key))
    }
    for (const container of matching(root, `[${RANK}]`)) {
      shelves.observe(container)
      if (asked || !onScreen.has(container) || lies(container)) {
        stale.delete(container)
        schedule(container)
      } else stale.add(container)
    }
  }

  function schedule(container: Element): void {
    dirty.add(container)
    if (scheduled || !ready) return
    scheduled = true
    // One pass per burst: a snapshot change and the mutations it causes are handled together.
    queueMicrotask(() => {
      scheduled = false
      if (closed) return
      const pass = [...dirty]
      dirty.clear()
      for (const container of pass) if (container.isConnected) named.set(container, namedKeys(palate, rankChildren(palate, container)))
      ranked(new Set(pass))
    })
  }

  return {
    rankAll,
    schedule,
    start() {
      ready = true
      rankAll(true)
    },
    /** Shelves that held still while on screen are reordered now. */
    catchUp() {
      for (const container of stale) schedule(container)
      stale.clear()
    },
    close() {
      closed = true
      shelves.disconnect()
    },
  }
}

/**
 * The listed interests `reasons` name. Only what is listed now: a reason naming a key the list
 * leaves out must not count as a lie on every change.
 */
function namedKeys(palate: Palate, reasons: readonly Reason[]): string[] {
  const keys = reasons.flatMap((reason) => (reason.kind === 'interest' && reason.key ? [reason.key] : []))
  if (!keys.length) return keys
  const listed = listedKeys(palate)
  return keys.filter((key) => listed.has(key))
}

/** Every interest the profile lists now (what a reason may name). */
function listedKeys(palate: Palate): Set<string> {
  return new Set(palate.interests({ limit: Number.MAX_SAFE_INTEGER }).map((interest) => interest.key))
}
