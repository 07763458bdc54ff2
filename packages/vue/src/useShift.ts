// useShift(): the shift in the shopper's interests, if any, as a computed ref.
import { computed, type ComputedRef } from 'vue'
import type { Shift } from '@palate/core'
import { useStoreSnapshot } from './providePalate.js'

/**
 * The shift in the shopper's interests, if there is one: a recent leader that has displaced their
 * long-term one, the cue for "new to hiking? start here". `null` otherwise, on the server and
 * while hydrating.
 *
 * @example
 * // <script setup lang="ts">
 * const shift = useShift()
 * // <aside v-if="shift">New to {{ labelOf(shift.to) }}? Start here.</aside>
 *
 * @throws Error when used outside setup() or without {@link providePalate} above.
 */
export function useShift(): ComputedRef<Shift | null> {
  const [snapshot] = useStoreSnapshot('useShift')
  return computed(() => snapshot.value.shift)
}
