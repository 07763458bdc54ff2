// useRanked(): the storefront's items re-ranked, memoized per snapshot, items and option values.
import { useMemo } from 'react'
import { DEFAULT_REASON, type Item, type Ranked, type RankOptions } from '@palate/core'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * Re-ranks the storefront's `items` for the shopper, re-rendering when the profile changes.
 *
 * While rendering on the server, while hydrating, while the stored profile is loading, and when the
 * provider has no instance, the items come back in the storefront's order with a default reason,
 * so the server's HTML and the hydrating render agree; the personalized order follows at once.
 *
 * The result keeps its identity until the profile, `items` or the option values change: an inline
 * `options` object is fine, but pass the same `items` array (memoize a filtered list) for a stable result.
 *
 * @example
 * function Shelf({ products }: { products: Product[] }) {
 *   const ranked = useRanked(products, { limit: 8 })
 *   return ranked.map(({ item, reason }) => <ProductCard key={item.id} product={item} note={reason.text} />)
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}; TypeError from `palate.rank()` for bad items or options.
 */
export function useRanked<T extends Item>(items: readonly T[], options: RankOptions = {}): Ranked<T>[] {
  const [snapshot, { palate }] = useStoreSnapshot('useRanked')
  const { limit, surprise } = options
  return useMemo(
    () =>
      !palate || snapshot.status === 'loading'
        ? items.slice(0, limit).map((item) => ({ item, score: 0, reason: DEFAULT_REASON }))
        : palate.rank(items, options),
    // The option values, not the object: an inline object is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [palate, snapshot, items, limit, surprise],
  )
}
