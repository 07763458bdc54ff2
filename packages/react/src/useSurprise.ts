// useSurprise(): the "surprise me" switch and its setter.
import { useCallback } from 'react'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * The shopper's persisted "surprise me" switch and its setter, like `useState`. The setter keeps its
 * identity while the instance is the same; without an instance it does nothing and resolves.
 * Off while rendering on the server and while hydrating.
 *
 * @example
 * function SurpriseToggle() {
 *   const [on, setOn] = useSurprise()
 *   return <input type="checkbox" checked={on} onChange={(e) => void setOn(e.target.checked)} />
 * }
 *
 * @throws Error when used outside a {@link PalateProvider}.
 */
export function useSurprise(): [on: boolean, set: (on: boolean) => Promise<void>] {
  const [snapshot, { palate }] = useStoreSnapshot('useSurprise')
  const set = useCallback((on: boolean) => (palate ? palate.setSurprise(on) : Promise.resolve()), [palate])
  return [snapshot.surprise, set]
}
