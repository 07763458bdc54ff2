import { describe, itemFacts, keysOf, MAX_LENGTH, MAX_TAGS, normalizeKey, parseKey, underAny } from '../model/keys.js'
import { isStoredKey, isTotalKey, Profile, type Model } from '../model/profile.js'
import type { EventType, ProfileExport, StoredEvent, StoredItem, StoredKey } from '../types.js'

/** Current IndexedDB schema. Every bump gets a migration in `idbStore.ts` and a fixture test. */
export const SCHEMA_VERSION = 3

/**
 * How an event is kept in the `events` store since schema 2: short property names, because
 * IndexedDB stores every record's names again and the log is most of what Palate stores.
 * `export()` still gives the readable {@link StoredEvent}.
 */
export interface CompactEvent {
  id?: number
  t: number
  /** Event type. */
  e: EventType
  /** Item id, category, tags, brand. */
  i: string
  c?: string
  g?: string[]
  b?: string
}

export function encodeEvent({ id, t, type, item }: StoredEvent): CompactEvent {
  const out: CompactEvent = { t, e: type, i: item.id }
  if (id !== undefined) out.id = id
  if (item.category !== undefined) out.c = item.category
  if (item.tags !== undefined) out.g = item.tags
  if (item.brand !== undefined) out.b = item.brand
  return out
}

/** The readable event, or null for a record of the wrong shape. */
export function decodeEvent(record: unknown): StoredEvent | null {
  if (record === null || typeof record !== 'object') return null
  const { id, t, e, i, c, g, b } = record as Partial<CompactEvent>
  const event: StoredEvent = { t: t!, type: e!, item: { id: i! } }
  if (id !== undefined) event.id = id
  if (c !== undefined) event.item.category = c
  if (g !== undefined) event.item.tags = g
  if (b !== undefined) event.item.brand = b
  return isStoredEvent(event) ? event : null
}

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

/** How long a forgotten key's tombstone is kept: far longer than tabs take to write what they hold. */
export const TOMBSTONE_LIFE = 10 * 60_000

/** A forgotten key, and when: journal events from before it that feed the key are dropped. */
export interface Tombstone {
  key: string
  at: number
}

/** Journal entries a tombstone rules out: tracked before the forget, feeding a forgotten key. */
export function buried(change: Change, tombstones: readonly Tombstone[]): boolean {
  for (const { key, at } of tombstones) if (change.event.t <= at && change.keys.includes(key)) return true
  return false
}

/**
 * Settings as stored, with anything malformed replaced by the default, and mutes spelled as the
 * profile spells keys (an earlier version stored them as given).
 */
export function normalizeSettings(value: unknown): Settings {
  const s = (value ?? {}) as Partial<Settings>
  const muted = Array.isArray(s.muted) ? s.muted.map(normalizeKey).filter((k): k is string => k !== null) : []
  return {
    surprise: typeof s.surprise === 'boolean' ? s.surprise : DEFAULT_SETTINGS.surprise,
    muted: [...new Set(muted)],
  }
}

/** An event written to the journal, waiting to be folded into the profile. */
export interface JournalEntry {
  id?: number
  event: StoredEvent
  weight: number
  /**
   * Journaled while a write that holds the same event was under way (the page was going away):
   * folded in only when the event log shows that write did not commit.
   */
  inFlight?: true
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

/** What a merge did: events folded in, and stored keys or item marks it removed. */
export interface Merged {
  folded: number
  removed: number
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
  /** Events older than this time (ms) are deleted. */
  cutoff: number
  /** Item marks older than this are deleted: retention, or satiation when that is longer. */
  marksCutoff: number
  now: number
  /** Also prune every key that has expired or faded (once per page load, not on every write). */
  maintenance?: boolean
}

/** Everything stored, for `export()`. */
export interface Dump extends Loaded {
  events: unknown[]
  /** Tombstones of recently forgotten keys (see `Store.forget`). */
  forgotten?: Tombstone[]
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
  /**
   * Journals events; the write is under way before this returns. `inFlight` are events a `merge`
   * still under way is writing: they are journaled too, and counted once whichever commits.
   */
  append(changes: readonly Change[], inFlight?: readonly Change[]): Promise<void>
  /**
   * Folds journaled events, and `own` events given directly, into the profile and enforces the
   * limits (retention, caps, expiry), in one transaction.
   */
  merge(limits: Limits, own?: readonly Change[]): Promise<Merged>
  /** Reads the stored settings, applies `update` and writes the result, in one transaction. */
  updateSettings(update: (current: Settings) => Settings): Promise<Settings>
  /**
   * Deletes the keys, and every logged event that fed one of them (undoing what else it fed).
   * `tombstones` are kept for {@link TOMBSTONE_LIFE}, so that an event another tab tracked before the
   * forget, and journals only after it, is dropped instead of bringing the key back.
   */
  forget(keys: ReadonlySet<string>, tombstones: readonly string[], limits: Limits): Promise<void>
  dump(): Promise<Dump>
  /** Replaces everything stored with `dump` (an import). */
  replace(dump: Dump): Promise<void>
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
  const put = profile.records()
  const deleteItems = [...new Set(deleteEvents.filter((e) => !kept.has(e.item.id)).map((e) => e.item.id))]
  return { put, deleteKeys, deleteEvents, deleteItems }
}

/** Whether a stored event record has the shape the engine writes. */
export function isStoredEvent(value: unknown): value is StoredEvent {
  if (value === null || typeof value !== 'object') return false
  const { t, type, item } = value as Partial<StoredEvent>
  if (!Number.isFinite(t) || !isEventType(type) || item === null || typeof item !== 'object') return false
  const { id, category, tags, brand } = item
  const text = (s: unknown): boolean => typeof s === 'string' && s.length <= MAX_LENGTH
  // Everything the keys are built from must be what the engine writes: a record of another shape
  // (another program, a corrupt write) is dropped, not allowed to break the profile.
  return (
    text(id) &&
    (category === undefined || text(category)) &&
    (brand === undefined || text(brand)) &&
    (tags === undefined || (Array.isArray(tags) && tags.length <= MAX_TAGS && tags.every(text)))
  )
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

/**
 * Checks an export before it replaces anything, so a bad file loses nothing: every record must have
 * the shape Palate writes, items are validated like tracked ones, and sensitive categories are left
 * out. Throws a TypeError naming the first bad part.
 */
export function readExport(data: unknown, halfLives: readonly number[], sensitive: readonly string[], meta: ProfileMeta): { dump: Dump; sameHorizons: boolean } {
  const fail = (what: string): never => {
    throw new TypeError(`[palate] import(): ${what}`)
  }
  if (data === null || typeof data !== 'object') fail(`expected an object from export(), got ${describe(data)}`)
  const d = data as Partial<ProfileExport>
  if (d.format !== 'palate-profile') fail(`format must be "palate-profile", got ${describe(d.format)}`)
  if (!Number.isInteger(d.schemaVersion) || d.schemaVersion! < 1 || d.schemaVersion! > SCHEMA_VERSION) {
    fail(`schemaVersion must be 1 to ${SCHEMA_VERSION}, got ${describe(d.schemaVersion)}`)
  }
  const list = (name: 'keys' | 'events' | 'items'): unknown[] => (Array.isArray(d[name]) ? d[name] : fail(`${name} must be an array, got ${describe(d[name])}`))
  const horizons = Array.isArray(d.halfLives) && d.halfLives.every((h) => typeof h === 'number' && h > 0) ? d.halfLives : fail(`halfLives must be an array of positive numbers`)
  const under = (category: string | undefined) => underAny(category, sensitive)
  const keys = list('keys').map((record, i) => (isStoredKey(record, horizons.length) ? record : fail(`keys[${i}] is not a stored interest`)))
  const events = list('events').map((record, i) => {
    if (!isStoredEvent(record)) fail(`events[${i}] is not a stored event`)
    const event = record as StoredEvent
    return { ...event, item: itemFacts(`import(): events[${i}]`, event.item) }
  })
  // Marks of items seen only under sensitive categories would name them: they stay out too.
  const sensitiveIds = new Set(events.filter((e) => under(e.item.category)).map((e) => e.item.id))
  for (const e of events) if (!under(e.item.category)) sensitiveIds.delete(e.item.id)
  const items = list('items')
    .map((record, i) => (isStoredItem(record) ? record : fail(`items[${i}] is not a stored item mark`)))
    .filter((item) => !sensitiveIds.has(item.id))
  const settings = d.settings
  if (!settings || typeof settings.surprise !== 'boolean' || !Array.isArray(settings.muted) || !settings.muted.every((k) => parseKey(k))) {
    fail(`settings must be { surprise: boolean, muted: interest keys }`)
  }
  return {
    sameHorizons: horizons.length === halfLives.length && horizons.every((h, i) => h === halfLives[i]),
    dump: {
      meta: { ...meta, id: typeof d.profileId === 'string' ? d.profileId : meta.id, createdAt: Number.isFinite(d.createdAt) ? d.createdAt! : meta.createdAt },
      settings: { surprise: settings!.surprise, muted: settings!.muted.filter((k) => !(k.startsWith('category:') && under(k.slice(9)))) },
      keys: keys.filter((k) => !(k.key.startsWith('category:') && under(k.key.slice(9)))),
      events: events.filter((e) => !under(e.item.category)),
      items,
      journal: [],
    },
  }
}
