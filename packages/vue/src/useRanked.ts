// useRanked(): the storefront's items re-ranked, as a computed ref.
import { computed, toValue, type ComputedRef, type MaybeRefOrGetter } from 'vue'
import { DEFAULT_REASON, type Item, type Ranked, type RankOptions } from '@palate/core'
import { useStoreSnapshot } from './providePalate.js'

/**
 * Re-ranks the storefront's `items` for the shopper, as a computed ref that follows the profile,
 * the items and the options (each may be a plain value, a ref or a getter).
 *
 * On the server, while hydrating, while the stored profile is loading, and without an instance,
 * the items come back in the storefront's order with a default reason, so the server's HTML and
 * the hydrating render agree; the personalized order follows at once.
 *
 * @example
 * // <script setup lang="ts">
 * const props = defineProps<{ products: Product[] }>()
 * const shelf = useRanked(() => props.products, { limit: 8 })
 * // <li v-for="{ item, reason } in shelf" :key="item.id">{{ item.name }} <small>{{ reason.text }}</small></li>
 *
 * @throws Error when used outside setup() or without {@link providePalate} above. Reading the
 * value throws the TypeError of `palate.rank()` for bad items or options.
 */
export function useRanked<T extends Item>(items: MaybeRefOrGetter<readonly T[]>, options: MaybeRefOrGetter<RankOptions> = {}): ComputedRef<Ranked<T>[]> {
  const [snapshot, { palate }] = useStoreSnapshot('useRanked')
  return computed(() => {
    const list = toValue(items)
    const opts = toValue(options)
    return !palate.value || snapshot.value.status === 'loading'
      ? list.slice(0, opts.limit).map((item) => ({ item, score: 0, reason: DEFAULT_REASON }))
      : palate.value.rank(list, opts)
  })
}
