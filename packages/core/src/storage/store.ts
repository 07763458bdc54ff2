// The storage contract: what a store keeps (record types) and the operations every store offers.
// Nothing else: the IndexedDB store, the memory store, record checks and migrations live beside it.
import type { Change } from '../model/events.js'
import type { Model } from '../model/profile.js'
import type { EventType, StoredEvent } from '../types.js'

/** Current IndexedDB schema. Every bump gets a migration in `idbMigration.ts` and a fixture test. */
export const SCHEMA_VERSION = 4

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

/** One change of the settings, as the shopper made it: a mute, an unmute, "surprise me" on or off. */
export type SettingsChange = readonly ['mute' | 'unmute', string] | readonly ['surprise', boolean]

/**
 * A settings change written to the journal (the inbox), waiting to be saved with the settings.
 * `t` orders the changes of every tab: they are applied oldest first.
 */
export interface SettingsEntry {
  settings: SettingsChange
  t: number
}

/** How long a forgotten key's tombstone is kept: far longer than tabs take to write what they hold. */
export const TOMBSTONE_LIFE = 10 * 60_000

/** A forgotten key, and when: journal events from before it that feed the key are dropped. */
export interface Tombstone {
  key: string
  at: number
}

/** An event written to the journal (the inbox, see inbox.ts), waiting to be folded into the profile. */
export interface JournalEntry {
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

/** What a merge did: events folded in, and stored keys or item marks it removed. */
export interface Merged {
  folded: number
  removed: number
}

export interface Limits {
  model: Model
  /** The weight each event type adds (to rebuild from, or retract, logged events). */
  weightOf: WeightOf
  maxKeys: number
  maxEvents: number
  /** Events older than this time (ms) are deleted. */
  cutoff: number
  /**
   * A purchase mark is kept while it can still hold the item back (satiation: purchases after this
   * time); a dismissal, as long as events are (`cutoff`). See `markInUse` in caps.ts.
   */
  satiationCutoff: number
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
   * Journals events; the write is done (IndexedDB: under way) before this returns. `inFlight` are events a `merge`
   * still under way is writing: they are journaled too, and counted once whichever commits.
   */
  append(changes: readonly Change[], inFlight?: readonly Change[]): Promise<void>
  /**
   * Folds journaled events, and `own` events given directly, into the profile and enforces the
   * limits (retention, caps, expiry), in one transaction. `own` is called as that transaction is
   * issued: until then the caller may still take its events back (and journal them instead).
   */
  merge(limits: Limits, own?: () => readonly Change[]): Promise<Merged>
  /**
   * Journals settings changes at once, as `append` does events, when the store can (the IndexedDB
   * store, in its inbox): from then on they are saved, whatever becomes of the write that follows,
   * and `load` shows them. False when it cannot (the memory store; localStorage refusing).
   */
  journalSettings?(changes: readonly SettingsChange[]): boolean
  /**
   * Saves the journaled settings changes (every tab's, oldest first) and then `changes`, in one
   * transaction; drops the stored mutes `drop` names; returns the settings as stored.
   */
  updateSettings(changes: readonly SettingsChange[], drop?: (key: string) => boolean): Promise<Settings>
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

/** The weight a logged event added, undone when it is forgotten. */
export type WeightOf = (type: EventType) => number
