// Forget planning: which keys, logged events and item marks a forget() deletes, and what the
// forgotten events fed elsewhere, retracted exactly. Loaded with import() on the first forget().
import { fold } from '../model/events.js'
import { keysOf } from '../model/keys.js'
import { isTotalKey, Profile } from '../model/profile.js'
import type { StoredEvent, StoredKey } from '../types.js'
import { isStoredEvent } from './records.js'
import type { Limits } from './store.js'

/** What forgetting changes in a store. */
export interface Forgetting {
  put: StoredKey[]
  deleteKeys: string[]
  deleteEvents: StoredEvent[]
  deleteItems: string[]
}

/**
 * Plans `forget`: the doomed keys go, and so does every logged event that fed one of them, with
 * its contribution to the keys it also fed (the broader category, tags, brand) retracted exactly.
 * Mass from events already gone from the log (past retention) cannot be retracted from those.
 */
export function planForget(
  records: readonly unknown[],
  events: readonly unknown[],
  doomed: ReadonlySet<string>,
  { model, weightOf }: Pick<Limits, 'model' | 'weightOf'>,
): Forgetting {
  const profile = new Profile(model)
  profile.load(records)
  const deleteEvents: StoredEvent[] = []
  const kept = new Set<string>()
  for (const event of events) {
    if (!isStoredEvent(event)) continue
    const keys = keysOf(event.item)
    if (keys.some((key) => doomed.has(key))) {
      deleteEvents.push(event)
      fold(profile, { event, keys, weight: weightOf(event.type) }, true)
    } else if (event.type === 'purchase' || event.type === 'dismiss') {
      kept.add(event.item.id)
    }
  }
  // The doomed keys, and any key that only the forgotten events fed: not even its name stays.
  const deleteKeys = [...doomed].filter((key) => profile.states.has(key))
  profile.delete(deleteKeys)
  for (const [key, state] of profile.states) {
    if (!isTotalKey(key) && state.v.every((v) => Math.abs(v) < 1e-9)) deleteKeys.push(key)
  }
  profile.delete(deleteKeys)
  const put = profile.records()
  const deleteItems = [...new Set(deleteEvents.filter((e) => !kept.has(e.item.id)).map((e) => e.item.id))]
  return { put, deleteKeys, deleteEvents, deleteItems }
}
