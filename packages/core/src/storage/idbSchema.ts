// The IndexedDB schema: its object stores, and their creation in a new database. Upgrading a
// database of an earlier version is idbMigration.ts's, loaded only when one is met.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { CompactEvent } from './records.js'

export interface Schema extends DBSchema {
  /**
   * `profile` → {@link ProfileMeta}, `settings` → {@link Settings}, `forgotten` → tombstones, and
   * `keys` → every interest key's decayed masses (and the per-dimension totals) as one array of
   * {@link StoredKey}, `items` → the item marks ({@link StoredItem}: when an item was bought or
   * dismissed) as one array, `folded` → the inbox appends (see inbox.ts) folded into the keys,
   * and `carried` → events an older version's page left unfolded, carried over by the upgrade.
   *
   * Schema 3 keeps all a page needs at start-up in this one store, read in one transaction: 500
   * key records read one by one cost several times as long as one record, and every further store
   * in a transaction costs a page's start-up milliseconds more (before, `keys` and `items` stores).
   */
  meta: { key: string; value: unknown }
  /** The raw event log, bounded by `maxEvents` and `retentionDays`. */
  events: { key: number; value: CompactEvent; indexes: { t: number } }
}

export type Db = IDBPDatabase<Schema>
export type Names = StoreNames<Schema>[]
export type WriteTx = IDBPTransaction<Schema, Names, 'readwrite'>
export const PROFILE: Names = ['meta', 'events']

export const ignore = (): void => undefined

/** A request's promise, observed: should the transaction abort, its rejection reaches no one. */
export function observed<T>(request: Promise<T>): Promise<T> {
  request.catch(ignore)
  return request
}

/** Creates the object stores of a new profile database, at the current version. */
export function createProfile(db: Db): void {
  db.createObjectStore('meta')
  db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
}
