// The event types, and what one event does to a profile: the one place either is written.
import type { StoredEvent, StoredItem } from '../types.js'
import { keysOf } from './keys.js'
import type { Profile } from './profile.js'

/** Every event type a storefront may track. `EventType` (types.ts) is derived from this list. */
export const EVENT_TYPES = ['view', 'click', 'add_to_cart', 'purchase', 'wishlist', 'search', 'dismiss'] as const

export function isEventType(value: unknown): value is (typeof EVENT_TYPES)[number] {
  return (EVENT_TYPES as readonly unknown[]).includes(value)
}

/** One tracked event on its way into a profile, with the keys it feeds and its weight. */
export interface Change {
  event: StoredEvent
  keys: string[]
  weight: number
}

/** The change a stored event makes: the keys are derived again from its item. */
export function changeOf(event: StoredEvent, weight: number): Change {
  return { event, keys: keysOf(event.item), weight }
}

/**
 * Folds an event into a profile (or, with `undo`, takes it out again, exactly). A purchase counts
 * as durable taste (see `Profile.add`).
 */
export function fold(profile: Profile, { event, keys, weight }: Change, undo = false): void {
  if (undo) profile.retract(keys, weight, event.t, event.type === 'purchase')
  else profile.add(keys, weight, event.t, event.type === 'purchase')
}

/** Item marks an event leaves: a purchase satiates, a dismissal demotes. */
export function markItem(items: Map<string, StoredItem>, event: StoredEvent): StoredItem | null {
  if (event.type !== 'purchase' && event.type !== 'dismiss') return null
  const id = event.item.id
  const item: StoredItem = { ...items.get(id), id }
  if (event.type === 'purchase') item.purchased = Math.max(item.purchased ?? 0, event.t)
  else item.dismissed = Math.max(item.dismissed ?? 0, event.t)
  items.set(id, item)
  return item
}
