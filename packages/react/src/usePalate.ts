// usePalate(): the instance given to PalateProvider.
import type { Palate } from '@palate/core'
import { useStore } from './PalateProvider.js'

/**
 * The Palate instance given to {@link PalateProvider}, or `null` when it was given none. For what
 * the hooks do not cover: `forget`, `mute`, `explain`, `export`. Reading it never re-renders the
 * component when the profile changes.
 *
 * @example
 * function ForgetButton({ interest }: { interest: Interest }) {
 *   const palate = usePalate()
 *   return <button onClick={() => palate?.forget(interest.key)}>Forget {interest.label}</button>
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}.
 */
export function usePalate(): Palate | null {
  return useStore('usePalate').palate
}
