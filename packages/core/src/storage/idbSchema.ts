// The IndexedDB schema: its object stores, and their creation in a new database. Upgrading a
// database of an earlier version is idbMigration.ts's, loaded only when one is met.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { CompactEvent } from './records.js'
import type { JournalEntry } from './store.js'

export interface Schema extends DBSchema {
  /**
   * `profile` → {@link ProfileMeta}, `settings` → {@link Settings}, `forgotten` → tombstones, and
   * `keys` → every interest key's decayed masses (and the per-dimension totals) as one array of
   * {@link StoredKey}, `items` → the item marks ({@link StoredItem}: when an item was bought or
   * dismissed) as one array, `folded` → {@link Folded}, how far the inbox is folded into the keys,
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

/**
 * The inbox: a database of its own (`palate:<name>:inbox`), where a page writes what it tracked
 * as it goes away (see `Store.append`). Chromium runs one database's read-write transactions one
 * after another whatever object stores they name, and aborts a closing page's transaction that is
 * still waiting: in the profile's database, that write waits behind any other tab's merge and dies
 * with the page. Nothing but appends, and the deletion of what a merge folded in, writes here.
 */
export interface InboxSchema extends DBSchema {
  inbox: { key: number; value: JournalEntry }
  /** `id` → this inbox's identity: entry ids start again at 1 in an inbox created anew. */
  meta: { key: string; value: string }
}

export type InboxDb = IDBPDatabase<InboxSchema>
export const INBOX_VERSION = 1

/** How far the inbox is folded into the keys: every entry up to `upTo` of the inbox `inbox`. */
export interface Folded {
  inbox: string
  upTo: number
}

/** Creates the inbox database (its only version so far). */
export function createInbox(db: InboxDb, tx: IDBPTransaction<InboxSchema, ('inbox' | 'meta')[], 'versionchange'>): void {
  db.createObjectStore('inbox', { keyPath: 'id', autoIncrement: true })
  db.createObjectStore('meta')
  observed(tx.objectStore('meta').put(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, 'id'))
}

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
