// useShift(): the shift in the shopper's interests, if any.
import type { Shift } from '@palate/core'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * The shift in the shopper's interests, if there is one: a recent leader that has displaced their
 * long-term one, the cue for "new to hiking? start here". `null` otherwise, and while rendering on
 * the server and hydrating.
 *
 * @example
 * function ShiftBanner() {
 *   const shift = useShift()
 *   return shift ? <Banner>New to {labelOf(shift.to)}? Start here</Banner> : null
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}.
 */
export function useShift(): Shift | null {
  return useStoreSnapshot('useShift')[0].shift
}
