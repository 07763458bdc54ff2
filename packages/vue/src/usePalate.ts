// usePalate(): the instance given to providePalate, as a computed ref.
import type { ComputedRef } from 'vue'
import type { Palate } from '@palate/core'
import { useStore } from './providePalate.js'

/**
 * The instance given to {@link providePalate}, or `null` when it was given none: for what the other
 * composables do not cover (`forget`, `mute`, `explain`, `export`). Reading it does not subscribe
 * to the profile.
 *
 * @example
 * // <script setup lang="ts">
 * const palate = usePalate()
 * const forget = (interest: Interest) => palate.value?.forget(interest.key)
 *
 * @throws Error when used outside setup() or without {@link providePalate} above.
 */
export function usePalate(): ComputedRef<Palate | null> {
  return useStore('usePalate').palate
}
