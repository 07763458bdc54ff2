// The IndexedDB schema: its object stores, and the migration of a database of any earlier version
// up to the current one (SCHEMA_VERSION, store.ts). Each bump gets a step here and a fixture test.
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { StoredEvent } from '../types.js'
import { encodeEvent, isStoredEvent, type CompactEvent } from './records.js'
import type { JournalEntry } from './store.js'

export interface Schema extends DBSchema {
  /**
   * `profile` → {@link ProfileMeta}, `settings` → {@link Settings}, `forgotten` → tombstones, and
   * `keys` → every interest key's decayed masses (and the per-dimension totals) as one array of
   * {@link StoredKey}, `items` → the item marks ({@link StoredItem}: when an item was bought or
   * dismissed) as one array, and `journaled` → set while the journal may hold entries.
   *
   * Schema 3 keeps all a page needs at start-up in this one store, read in one transaction: 500
   * key records read one by one cost several times as long as one record, and every further store
   * in a transaction costs a page's start-up milliseconds more (before, `keys` and `items` stores).
   */
  meta: { key: string; value: unknown }
  /** The raw event log, bounded by `maxEvents` and `retentionDays`. */
  events: { key: number; value: CompactEvent; indexes: { t: number } }
  /** Events written but not yet folded into the keys (see `append`). */
  journal: { key: number; value: JournalEntry }
}

export type Db = IDBPDatabase<Schema>
export type Names = StoreNames<Schema>[]
export type WriteTx = IDBPTransaction<Schema, Names, 'readwrite'>
export const ALL: Names = ['meta', 'events', 'journal']

export const ignore = (): void => undefined

/** A request's promise, observed: should the transaction abort, its rejection reaches no one. */
function observed<T>(request: Promise<T>): Promise<T> {
  request.catch(ignore)
  return request
}

/**
 * {@link migrate}, as the upgrade runs it: should the browser abort the upgrade half-way (a quota
 * error, another connection closing), the open fails (and is handled there) while the migration's
 * own steps stop quietly — nothing calls it back, so a rejection here would reach the page as an
 * unhandled one.
 */
export function runMigration(db: Db, oldVersion: number, tx: IDBPTransaction<Schema, Names, 'versionchange'>): void {
  migrate(db, oldVersion, tx).catch(() => {
    try {
      tx.abort()
    } catch {
      // Already finished: the open reports why.
    }
  })
}

/** One step per schema version, so a database from any earlier version walks up to now. */
export async function migrate(db: Db, oldVersion: number, tx: IDBPTransaction<Schema, Names, 'versionchange'>): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('meta')
    db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
    db.createObjectStore('journal', { keyPath: 'id', autoIncrement: true })
  }
  if (oldVersion === 1) {
    // 1 → 2: events become compact records (same store, same ids, same index on t). A record
    // of the wrong shape is dropped rather than carried into the new schema.
    let cursor = await observed(tx.objectStore('events').openCursor())
    while (cursor) {
      const old = cursor.value as unknown as StoredEvent
      if (isStoredEvent(old)) cursor.update(encodeEvent(old)).catch(ignore)
      else cursor.delete().catch(ignore)
      cursor = await observed(cursor.continue())
    }
  }
  if (oldVersion === 1 || oldVersion === 2) {
    // 2 → 3: the `keys` and `items` stores' records become one array each in `meta`, and the
    // stores go. The journal is flagged, in case a page left entries in it.
    const old = tx as unknown as IDBPTransaction<unknown, ['keys', 'items'], 'versionchange'>
    const keys = observed(old.objectStore('keys').getAll())
    const items = observed(old.objectStore('items').getAll())
    const journaled = observed(tx.objectStore('journal').count())
    const meta = tx.objectStore('meta')
    observed(meta.put(await keys, 'keys'))
    observed(meta.put(await items, 'items'))
    if (await journaled) observed(meta.put(true, 'journaled'))
    db.deleteObjectStore('keys' as never)
    db.deleteObjectStore('items' as never)
  }
}
