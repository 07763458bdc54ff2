import { keysOf } from './keys.js'
import { isTotalKey, Profile, type Model } from './profile.js'
import type { EventType, StoredEvent, StoredItem, StoredKey } from './types.js'

/** Current IndexedDB schema. Every bump gets a migration in `idbStore.ts` and a fixture test. */
export const SCHEMA_VERSION = 1

/** The profile's identity, kept in the `meta` store. */
export interface ProfileMeta {
  id: string
  createdAt: number
  /** The half-lives the stored key values were computed with. */
  halfLives: number[]
}

/** The shopper's settings, kept in the `meta` store. */
export interface Settings {
  surprise: boolean
  muted: string[]
}

export const DEFAULT_SETTINGS: Settings = { surprise: false, muted: [] }

/** Settings as stored, with anything malformed replaced by the default. */
export function normalizeSettings(value: unknown): Settings {
  const s = (value ?? {}) as Partial<Settings>
  return {
    surprise: typeof s.surprise === 'boolean' ? s.surprise : DEFAULT_SETTINGS.surprise,
    muted: Array.isArray(s.muted) ? s.muted.filter((k): k is string => typeof k === 'string') : [],
  }
}

/** An event written to the journal, waiting to be folded into the profile. */
export interface JournalEntry {
  id?: number
  event: StoredEvent
  weight: number
}

/**
 * What a store hands the engine. Records are unchecked: the engine validates them. The profile is
 * `keys` plus whatever still waits in `journal`: every event is in exactly one of the two.
 */
export interface Loaded {
  meta: ProfileMeta
  settings: Settings
  keys: unknown[]
  items: unknown[]
  journal: unknown[]
}

/** One tracked event on its way to storage, with what it feeds. */
export interface Change {
  event: StoredEvent
  keys: string[]
  weight: number
}

export interface Limits {
  model: Model
  /** The weight each event type adds (to rebuild from, or retract, logged events). */
  weightOf: WeightOf
  maxKeys: number
  maxEvents: number
  /** Events and item marks older than this time (ms) are deleted. */
  cutoff: number
  now: number
  /** Also sweep every key for expiry (once per page load, not on every write). */
  maintenance?: boolean
}

/** Everything stored, for `export()`. */
export interface Dump extends Loaded {
  events: unknown[]
}

/**
 * Where a profile is kept. The engine holds a live in-memory profile; a store is the durable copy
 * that every tab reads back. Writing is two steps: `append` journals events at once (it must work
 * from a `pagehide` handler), `merge` folds the journal into the profile with a read-modify-write
 * transaction, so concurrent tabs add up instead of overwriting each other.
 */
export interface Store {
  readonly kind: 'indexeddb' | 'memory'
  /** Reads the whole profile back (after another tab wrote to it, say). */
  load(): Promise<Loaded>
  /** Writes events; the write is under way before this returns. */
  append(changes: readonly Change[]): Promise<void>
  /** Folds journaled events into the profile and enforces the limits. Resolves to the number folded. */
  merge(limits: Limits): Promise<number>
  saveSettings(settings: Settings): Promise<void>
  /** Deletes the keys, and every logged event that fed one of them (undoing what else it fed). */
  forget(keys: ReadonlySet<string>, limits: Limits): Promise<void>
  dump(): Promise<Dump>
  close(): void
}

export function isEventType(value: unknown): value is EventType {
  return (
    value === 'view' ||
    value === 'click' ||
    value === 'add_to_cart' ||
    value === 'purchase' ||
    value === 'wishlist' ||
    value === 'search' ||
    value === 'dismiss'
  )
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

/**
 * Applies changes to a set of stored key records; returns the records to write. The same code runs
 * in the memory store and inside an IndexedDB transaction.
 */
export function applyChanges(records: readonly unknown[], changes: readonly Change[], model: Model): StoredKey[] {
  const profile = new Profile(model)
  profile.load(records)
  const touched = new Set<string>()
  for (const { keys, weight, event } of changes) {
    profile.add(keys, weight, event.t, event.type === 'purchase')
    for (const key of keys) touched.add(key)
  }
  for (const key of profile.states.keys()) if (isTotalKey(key)) touched.add(key)
  const out: StoredKey[] = []
  for (const key of touched) {
    const record = profile.record(key)
    if (record) out.push(record)
  }
  return out
}

/** The key names a change touches, totals included, for fetching them before applying it. */
export function touchedKeys(changes: readonly Change[]): Set<string> {
  const keys = new Set<string>()
  for (const change of changes) {
    for (const key of change.keys) {
      keys.add(key)
      if (change.weight > 0) keys.add('#' + key.slice(0, key.indexOf(':')))
    }
  }
  return keys
}

/** The weight a logged event added, undone when it is forgotten. */
export type WeightOf = (type: EventType) => number

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
      profile.retract(keys, weightOf(event.type), event.t, event.type === 'purchase')
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
  const put: StoredKey[] = []
  for (const key of profile.states.keys()) put.push(profile.record(key)!)
  const deleteItems = [...new Set(deleteEvents.filter((e) => !kept.has(e.item.id)).map((e) => e.item.id))]
  return { put, deleteKeys, deleteEvents, deleteItems }
}

/** Whether a stored event record has the shape the engine writes. */
export function isStoredEvent(value: unknown): value is StoredEvent {
  if (value === null || typeof value !== 'object') return false
  const { t, type, item } = value as Partial<StoredEvent>
  return Number.isFinite(t) && isEventType(type) && item !== null && typeof item === 'object' && typeof item.id === 'string'
}

/** Whether a journal record has the shape the engine writes. */
export function isJournalEntry(value: unknown): value is JournalEntry {
  if (value === null || typeof value !== 'object') return false
  const { event, weight } = value as Partial<JournalEntry>
  return isStoredEvent(event) && typeof weight === 'number' && Number.isFinite(weight)
}

/** Whether a stored item record has the shape the engine writes. */
export function isStoredItem(value: unknown): value is StoredItem {
  if (value === null || typeof value !== 'object') return false
  const { id, purchased, dismissed } = value as Partial<StoredItem>
  return typeof id === 'string' && (purchased === undefined || Number.isFinite(purchased)) && (dismissed === undefined || Number.isFinite(dismissed))
}
