// The IndexedDB schema: its object stores, and their creation in a new database. Upgrading a
// database of an earlier version is idbMigration.ts's, loaded only when one is met.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { Packed } from './packed.js'
import type { ProfileMeta, Settings, Tombstone } from './store.js'

export interface Schema extends DBSchema {
  /**
   * Two records: `profile` → {@link ProfileRecord}, everything a page needs at start-up, and `log`
   * → the event log ({@link PackedLog}), bounded by `maxEvents` and `retentionDays`.
   *
   * Schema 4 keeps all a page needs at start-up in that one record, read with one request: 500 key
   * records read one by one cost several times as long as one record, and each further record or
   * store a read names costs a page's start-up more (before, `keys`, `items`, `settings` and more
   * records in this store, and the log as an `events` store of one record per event).
   */
  meta: { key: string; value: unknown }
}

/**
 * The start-up record: the profile's identity, its settings, its interest keys and item marks (in
 * their compact form, see packed.ts), which inbox appends are folded in (`folded`), the tombstones of
 * recently forgotten keys, and the events an older version's page left unfolded (`carried`, until
 * the next merge folds them in).
 */
export interface ProfileRecord extends ProfileMeta {
  settings?: Settings
  keys?: Packed
  items?: Packed
  folded?: Folded
  forgotten?: Tombstone[]
  carried?: unknown[]
}

export type Db = IDBPDatabase<Schema>
export type Names = StoreNames<Schema>[]
export type WriteTx = IDBPTransaction<Schema, ['meta'], 'readwrite'>

/** The inbox appends folded into the keys, each with when (see `foldTo` in idbMerge.ts). */
export type Folded = [string, number][]

export const ignore = (): void => undefined

/** A request's promise, observed: should the transaction abort, its rejection reaches no one. */
export function observed<T>(request: Promise<T>): Promise<T> {
  request.catch(ignore)
  return request
}

/**
 * Creates the object store of a new profile database, at the current version, with its profile
 * record (`meta`): the start-up read that follows finds it, and nothing more is written for it.
 */
export function createProfile(db: IDBDatabase, meta: ProfileMeta): void {
  db.createObjectStore('meta').put(meta, 'profile')
}
