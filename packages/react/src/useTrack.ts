import { useCallback } from 'react'
import type { EventType, Item, Palate } from '@palate/core'
import { useStore } from './PalateProvider.js'

/** As analytics tools count visits: a view of the same item after this much quiet counts again. */
const VISIT_GAP = 30 * 60_000

/** Per instance: when the last view was tracked, and the ids viewed in this visit. */
const visits = new WeakMap<Palate, { at: number; ids: Set<string> }>()

/**
 * A function that records what the shopper did (`palate.track`). It keeps its identity while the
 * instance is the same, so it can sit in effect dependencies, and changes when an instance arrives,
 * so an effect that tracks a view runs again once there is something to track with. It never
 * re-renders the component; without an instance it does nothing.
 *
 * A `view` of an item (by id) already viewed in this visit is not tracked again: going back to a
 * product page, or React StrictMode running an effect twice in development, is one view. A visit
 * ends after 30 minutes without a view, or at an opt-out. Other events always count.
 *
 * @example
 * function ProductPage({ product }: { product: Product }) {
 *   const track = useTrack()
 *   useEffect(() => track('view', product), [track, product])
 *   return <button onClick={() => track('add_to_cart', product)}>Add to cart</button>
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}. The returned function throws a TypeError
 * for an unknown event type or a malformed item, as `palate.track` does.
 */
export function useTrack(): (type: EventType, item: Item) => void {
  const { palate } = useStore('useTrack')
  return useCallback(
    (type: EventType, item: Item) => {
      if (!palate) return
      if (type !== 'view') return palate.track(type, item)
      const now = Date.now()
      let visit = visits.get(palate)
      if (!visit || now - visit.at > VISIT_GAP || palate.consent() === 'denied') visits.set(palate, (visit = { at: now, ids: new Set() }))
      visit.at = now
      if (visit.ids.has(item?.id)) return
      // Tracked first: a malformed item throws here and is not remembered.
      palate.track(type, item)
      visit.ids.add(item.id)
    },
    [palate],
  )
}
