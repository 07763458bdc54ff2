// The IndexedDB schema: its object stores, and their creation in a new database. Upgrading a
// database of an earlier version is idbMigration.ts's, loaded only when one is met.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { Packed } from './packed.js'
import type { JournalEntry, ProfileMeta, Settings, Tombstone } from './store.js'

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
 * their compact form, see packed.ts), how far the inbox is folded in (`folded`), the tombstones of
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

/** Creates the object store of a new profile database, at the current version. */
export function createProfile(db: Db): void {
  db.createObjectStore('meta')
}
