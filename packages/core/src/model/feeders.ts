// What fed each tag and brand, by category: muting a category takes with it the tags and brands
// only its items fed. Pure; used by the lazy part that reads the event log (live/feeding.ts).
import { isMuted } from './interests.js'

/** Each tag or brand key → the categories of the items that fed it (`''` for an item with none). */
export type Feeders = Map<string, Set<string>>

/** Notes what an event fed: a positive one's tags and brand, by its item's category. */
export function feed(feeders: Feeders, keys: readonly string[], weight: number): void {
  if (weight <= 0) return
  let category = ''
  for (const key of keys) if (key.startsWith('category:')) category = key
  for (const key of keys) {
    if (key.startsWith('category:')) continue
    let from = feeders.get(key)
    if (!from) feeders.set(key, (from = new Set()))
    from.add(category)
  }
}

/**
 * The tags and brands that only items of muted categories fed: muting Gym takes its "strength" tag
 * and its gym-only brand with it, while a tag hiking items fed too stays.
 */
export function fedOnlyByMuted(feeders: Feeders, muted: ReadonlySet<string>): Set<string> {
  const only = new Set<string>()
  for (const [key, from] of feeders) if ([...from].every((category) => category && isMuted(category, muted))) only.add(key)
  return only
}
