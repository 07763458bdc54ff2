// useTrack(): a function that tracks with the instance of the moment.
import type { EventType, Item } from '@palate/core'
import { useStore } from './providePalate.js'

/**
 * A function that records what the shopper did (`palate.track`) with the instance of the moment.
 * It does not subscribe to the profile; without an instance it does nothing.
 *
 * @example
 * // <script setup lang="ts">
 * const props = defineProps<{ product: Product }>()
 * const track = useTrack()
 * onMounted(() => track('view', props.product))
 * // <button @click="track('add_to_cart', product)">Add to cart</button>
 *
 * @throws Error when used outside setup() or without {@link providePalate} above. The returned
 * function throws a TypeError for an unknown event type or a malformed item, as `palate.track` does.
 */
export function useTrack(): (type: EventType, item: Item) => void {
  const { palate } = useStore('useTrack')
  return (type, item) => palate.value?.track(type, item)
}
