// The caps every store enforces on write: how far the event log and the interest keys are trimmed,
// and how long an item mark is kept.
import { isTotalKey, type Profile } from '../model/profile.js'
import type { StoredItem } from '../types.js'
import type { Limits } from './store.js'

/**
 * The event log is trimmed to this share of its cap when it exceeds it, so that trims come every
 * few dozen events rather than on every write.
 */
export const TRIM_TO = 0.9

/**
 * Enforces the key cap on a profile about to be stored: beyond `maxKeys` interest keys, the weakest
 * go, down to {@link TRIM_TO} of the cap, so that prunes come every few dozen new keys rather than
 * on every write; the sweep (`maintenance`) also drops faded and expired keys. Returns the keys
 * dropped.
 */
export function pruneKeys(profile: Profile, limits: Limits): string[] {
  let count = 0
  for (const key of profile.states.keys()) if (!isTotalKey(key)) count++
  if (count > limits.maxKeys) return profile.prune(limits.now, Math.floor(limits.maxKeys * TRIM_TO))
  return limits.maintenance ? profile.prune(limits.now, limits.maxKeys) : []
}

/**
 * Whether an item mark still does something: a purchase within satiation, or a dismissal within
 * retention. A mark that does neither is deleted (a year of shopping keeps 30 days of purchases,
 * not 90).
 */
export function markInUse(item: StoredItem, limits: Pick<Limits, 'cutoff' | 'satiationCutoff'>): boolean {
  return (item.purchased ?? -Infinity) >= limits.satiationCutoff || (item.dismissed ?? -Infinity) >= limits.cutoff
}
