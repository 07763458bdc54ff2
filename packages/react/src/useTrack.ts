// useTrack(): a stable function that tracks with the instance of the moment.
import { useCallback } from 'react'
import type { EventType, Item } from '@palate/core'
import { useStore } from './PalateProvider.js'

/**
 * A function that records what the shopper did (`palate.track`). It keeps its identity while the
 * instance is the same, so it can sit in effect dependencies, and changes when an instance arrives,
 * so an effect that tracks a view runs again once there is something to track with. It never
 * re-renders the component; without an instance it does nothing.
 *
 * A `view` of an item (by id) already viewed in this visit counts once (`palate.track` sees to it):
 * going back to a product page, or React StrictMode running an effect twice in development, is one
 * view. A visit ends after 30 minutes without activity, or at an opt-out. Other events always count.
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
      palate?.track(type, item)
    },
    [palate],
  )
}
