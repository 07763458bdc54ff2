// useSurprise(): the "surprise me" switch as a computed ref, and its setter.
import { computed, type ComputedRef } from 'vue'
import { useStoreSnapshot, withPalate } from './providePalate.js'

/**
 * The shopper's persisted "surprise me" switch and its setter. Off on the server and while
 * hydrating; without an instance the setter does nothing and resolves.
 *
 * @example
 * // <script setup lang="ts">
 * const [surprise, setSurprise] = useSurprise()
 * // <button role="switch" :aria-checked="surprise" @click="setSurprise(!surprise)">Surprise me</button>
 *
 * @throws Error when used outside setup() or without {@link providePalate} above.
 */
export function useSurprise(): [on: ComputedRef<boolean>, set: (on: boolean) => Promise<void>] {
  const [snapshot, { palate }] = useStoreSnapshot('useSurprise')
  return [computed(() => snapshot.value.surprise), withPalate(palate)((p, on: boolean) => p.setSurprise(on))]
}
