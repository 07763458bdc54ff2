// useInterests(): the listed interests as a computed ref.
import { computed, toValue, type ComputedRef, type MaybeRefOrGetter } from 'vue'
import type { Interest, InterestsOptions } from '@palate/core'
import { useStoreSnapshot } from './providePalate.js'

/**
 * The shopper's learned interests, strongest first, as a computed ref that follows the profile and
 * the options. Empty on the server, while hydrating, after an opt-out, and without an instance.
 *
 * @example
 * // <script setup lang="ts">
 * const interests = useInterests({ dimension: 'category', limit: 5 })
 * // <li v-for="i in interests" :key="i.key">{{ i.label }}</li>
 *
 * @param options `limit` (default 10) and `dimension` (default: every dimension), as for
 * `palate.interests()`; a plain object, a ref or a getter.
 * @throws Error when used outside setup() or without {@link providePalate} above. Reading the
 * value throws the TypeError of `palate.interests()` for bad options.
 */
export function useInterests(options: MaybeRefOrGetter<InterestsOptions> = {}): ComputedRef<Interest[]> {
  const [snapshot, { palate, server }] = useStoreSnapshot('useInterests')
  return computed(() => {
    const opts = toValue(options)
    const current = snapshot.value
    // Without options the snapshot already holds the answer; the server's one is always empty.
    return palate.value && current !== server && (opts.limit !== undefined || opts.dimension !== undefined)
      ? palate.value.interests(opts)
      : current.interests
  })
}
