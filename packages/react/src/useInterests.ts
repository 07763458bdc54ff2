// useInterests(): the listed interests, memoized per snapshot and option values.
import { useMemo } from 'react'
import type { Interest, InterestsOptions } from '@palate/core'
import { useStoreSnapshot } from './PalateProvider.js'

/**
 * The shopper's learned interests, strongest first, re-rendering when they change. Empty while
 * rendering on the server, while hydrating, after an opt-out, and when the provider has no instance.
 *
 * The result keeps its identity until the profile or the option values change.
 *
 * @example
 * function YourInterests() {
 *   const interests = useInterests({ dimension: 'category', limit: 5 })
 *   return <ul>{interests.map((i) => <li key={i.key}>{i.label}</li>)}</ul>
 * }
 *
 * @param options `limit` (default 10) and `dimension` (default: every dimension), as for `palate.interests()`.
 * @throws Error when used outside a {@link PalateProvider}; TypeError from `palate.interests()` for bad options.
 */
export function useInterests(options: InterestsOptions = {}): Interest[] {
  const [snapshot, { palate, server }] = useStoreSnapshot('useInterests')
  const { limit, dimension } = options
  return useMemo(
    () =>
      // Without options the snapshot already holds the answer; the server's one is always empty.
      palate && snapshot !== server() && (limit !== undefined || dimension !== undefined)
        ? palate.interests(options)
        : snapshot.interests,
    // The option values, not the object: an inline object is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [palate, snapshot, server, limit, dimension],
  )
}
