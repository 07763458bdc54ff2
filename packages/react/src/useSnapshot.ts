// useSnapshot(): the whole snapshot.
import type { Snapshot } from '@palate/core'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * The whole {@link Snapshot}, re-rendering when it changes. While rendering on the server, while
 * hydrating, and when the provider has no instance, it is a constant one with status `'loading'`,
 * no interests, no shift and surprise off.
 *
 * @example
 * function PersonalizedBadge() {
 *   const { status } = useSnapshot()
 *   return status === 'ready' || status === 'memory' ? <span>Picked for you</span> : null
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}.
 */
export function useSnapshot(): Snapshot {
  return useStoreSnapshot('useSnapshot')[0]
}
