// Reordering one shelf (`data-palate-rank`): its item children ranked from the storefront's own
// first-seen order, its limit and surprise attributes, and each card's reason as text.
import type { Palate, RankOptions, Reason } from '@palate/core'
import { ITEM, itemOf, messageOf, warnOnce } from './itemOf.js'

export const RANK = 'data-palate-rank'
export const LIMIT = 'data-palate-limit'
export const SURPRISE = 'data-palate-surprise'
const REASON = 'data-palate-reason'
const KIND = 'data-palate-reason-kind'
/** An element inside a card that shows the reason as text: readable by everyone, styled as the card's own. */
const SLOT = 'data-palate-reason-slot'

/**
 * The storefront's own order of each container's items, as first seen. rank() keeps the input
 * order for ties, so feeding it this order (not the personalized one already in the DOM) is what
 * puts the store's order back once the profile says nothing, e.g. right after an opt-out.
 */
const storeOrder = new WeakMap<Element, Element[]>()

function setAttr(element: Element, name: string, value: string): void {
  // Only real changes: a no-op write still costs a mutation record and a style recalculation.
  if (element.getAttribute(name) !== value) element.setAttribute(name, value)
}

function mark(element: Element, reason: Reason | undefined): void {
  const slot = element.querySelector(`[${SLOT}]`)
  if (slot && slot.textContent !== (reason?.text ?? '')) slot.textContent = reason?.text ?? ''
  if (reason) {
    setAttr(element, REASON, reason.text)
    setAttr(element, KIND, reason.kind)
  } else {
    element.removeAttribute(REASON)
    element.removeAttribute(KIND)
  }
  element.toggleAttribute(SURPRISE, reason?.kind === 'surprise')
}

/** `data-palate-limit` and `data-palate-surprise` of a container; bad values are warned about and ignored. */
function optionsOf(container: Element): RankOptions {
  const options: RankOptions = {}
  const limit = container.getAttribute(LIMIT)
  if (limit !== null) {
    const n = Number(limit)
    if (limit.trim() !== '' && Number.isInteger(n) && n >= 0) options.limit = n
    else warnOnce(container, `ignored ${LIMIT}="${limit}": expected an integer >= 0`)
  }
  const surprise = container.getAttribute(SURPRISE)
  if (surprise !== null) {
    const share = Number(surprise)
    if (surprise === 'true' || surprise === 'false') options.surprise = surprise === 'true'
    else if (surprise.trim() !== '' && share >= 0 && share <= 1) options.surprise = share
    else warnOnce(container, `ignored ${SURPRISE}="${surprise}": expected true, false or a share in [0, 1]`)
  }
  return options
}

/**
 * The item element a container's child stands for: the child itself, or the one element inside it
 * that carries `data-palate-item` (a card in a column wrapper). A child holding several is
 * ambiguous, warned about once, and stays where it is.
 */
function cardOf(child: Element): Element | null {
  if (child.hasAttribute(ITEM)) return child
  const found = child.querySelectorAll(`[${ITEM}]`)
  if (found.length > 1) warnOnce(child, `this ${RANK} child holds ${found.length} items, so it stays in place: give each item its own child`)
  return found.length === 1 ? found[0]! : null
}

/**
 * Reorders a container's item children (children that are, or hold exactly one, element with a
 * valid `data-palate-item`) by `palate.rank()`, moving the existing nodes, and marks each item
 * element with its reason (and its `data-palate-reason-slot` element with the text). Item children trade
 * places among the positions item children held; every other child node (headings, ads, text)
 * stays at its index. Children beyond `data-palate-limit`, and repeats of an id, follow the
 * ranked ones in the store's order, unmarked. Nothing in the DOM is touched when the order and
 * the marks are already right. Returns the reasons now shown, in order (none when it could not rank).
 */
export function rankChildren(palate: Palate, container: Element): readonly Reason[] {
  const present: Element[] = []
  const cards = new Map<Element, Element>()
  for (const child of container.children) {
    const card = cardOf(child)
    if (card && itemOf(card)) {
      present.push(child)
      cards.set(child, card)
    }
  }
  if (!present.length && container.children.length && !container.querySelector(`[${ITEM}]`)) {
    warnOnce(container, `nothing to rank: no ${ITEM} in the children of this ${RANK}`)
  }

  // The store's order: what was seen before, then newcomers after the item that precedes them.
  const isItem = new Set(present)
  const base = (storeOrder.get(container) ?? []).filter((el) => isItem.has(el))
  const known = new Set(base)
  for (let i = 0; i < present.length; i++) {
    const el = present[i]!
    if (known.has(el)) continue
    const before = present[i - 1]
    base.splice(before ? base.indexOf(before) + 1 : 0, 0, el)
    known.add(el)
  }
  storeOrder.set(container, base)

  const byItem = new Map(base.map((el) => [itemOf(cards.get(el)!)!, el]))
  let ranked
  try {
    ranked = palate.rank([...byItem.keys()], optionsOf(container))
  } catch (error) {
    warnOnce(container, `could not rank ${RANK} children: ${messageOf(error)}`)
    return []
  }
  const order = ranked.map((r) => byItem.get(r.item)!)
  const placed = new Set(order)
  for (const el of base) if (!placed.has(el)) order.push(el)
  order.forEach((el, i) => mark(cards.get(el)!, ranked[i]?.reason))

  const reasons = ranked.map((r) => r.reason)
  if (order.every((el, i) => el === present[i])) return reasons
  const active = container.ownerDocument.activeElement
  const target: Node[] = []
  let next = 0
  for (const node of container.childNodes) target.push(isItem.has(node as Element) ? order[next++]! : node)
  // Walk the wanted sequence, moving a node only where it differs: at most one move per item.
  for (let i = 0; i < target.length; i++) {
    const at = container.childNodes[i]
    if (at !== target[i]) container.insertBefore(target[i]!, at ?? null)
  }
  // Moving a node takes focus away from what is inside it; a keyboard shopper must not lose their place.
  if (active instanceof HTMLElement && container.contains(active) && container.ownerDocument.activeElement !== active) {
    active.focus({ preventScroll: true })
  }
  return reasons
}
