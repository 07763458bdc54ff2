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
    let cursor = await tx.objectStore('events').openCursor()
    while (cursor) {
      const old = cursor.value as unknown as StoredEvent
      if (isStoredEvent(old)) cursor.update(encodeEvent(old)).catch(ignore)
      else cursor.delete().catch(ignore)
      cursor = await cursor.continue()
    }
  }
  if (oldVersion === 1 || oldVersion === 2) {
    // 2 → 3: the `keys` and `items` stores' records become one array each in `meta`, and the
    // stores go. The journal is flagged, in case a page left entries in it.
    const old = tx as unknown as IDBPTransaction<unknown, ['keys', 'items'], 'versionchange'>
    const [keys, items, journaled] = await Promise.all([old.objectStore('keys').getAll(), old.objectStore('items').getAll(), tx.objectStore('journal').count()])
    tx.objectStore('meta').put(keys, 'keys')
    tx.objectStore('meta').put(items, 'items')
    if (journaled) tx.objectStore('meta').put(true, 'journaled')
    db.deleteObjectStore('keys' as never)
    db.deleteObjectStore('items' as never)
  }
}
