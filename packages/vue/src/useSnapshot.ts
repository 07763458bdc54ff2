// useSnapshot(): the whole snapshot as a ref.
import type { Ref } from 'vue'
import type { Snapshot } from '@palate/core'
import { useStoreSnapshot } from './providePalate.js'

/**
 * The whole {@link Snapshot} as a ref that follows every change. On the server, while hydrating,
 * and without an instance it is a constant one with status `'loading'`, no interests, no shift and
 * surprise off.
 *
 * @example
 * // <script setup lang="ts">
 * const snapshot = useSnapshot()
 * const personalized = computed(() => ['ready', 'memory'].includes(snapshot.value.status))
 *
 * @throws Error when used outside setup() or without {@link providePalate} above.
 */
export function useSnapshot(): Readonly<Ref<Snapshot>> {
  return useStoreSnapshot('useSnapshot')[0]
}
