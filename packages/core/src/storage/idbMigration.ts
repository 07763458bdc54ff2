// The migration of a profile database of any earlier version up to the current one
// (SCHEMA_VERSION, store.ts). Each bump gets a step here and a fixture test. Loaded with import()
// when an open meets an older database, which happens once per profile and version.
import { wrap, type IDBPTransaction } from 'idb'
import { isStoredKey } from '../model/profile.js'
import type { StoredEvent, StoredKey } from '../types.js'
import type { Settings } from './store.js'
import { ignore, observed, type Db, type Names, type ProfileRecord, type Schema } from './idbSchema.js'
import { packItems, packKeys, packLog } from './packing.js'
import { isStoredEvent, isStoredItem } from './records.js'

/**
 * {@link migrate}, as the upgrade runs it: should the browser abort the upgrade half-way (a quota
 * error, another connection closing), the open fails (and is handled there) while the migration's
 * own steps stop quietly — nothing calls it back, so a rejection here would reach the page as an
 * unhandled one.
 */
export function runMigration(raw: IDBDatabase, oldVersion: number, rawTx: IDBTransaction): void {
  // Through idb, as every write.
  const db = wrap(raw) as unknown as Db
  const tx = wrap(rawTx) as unknown as IDBPTransaction<Schema, Names, 'versionchange'>
  // The open reports an upgrade that aborts; `done` must not reach the page as an unhandled rejection too.
  tx.done.catch(ignore)
  migrate(db, oldVersion, tx).catch(() => {
    try {
      tx.abort()
    } catch {
      // Already finished: the open reports why.
    }
  })
}

/**
 * How schemas 2 and 3 kept an event: short property names (item id, category, tags, brand), one
 * record per event. Schema 1 kept the readable {@link StoredEvent}.
 */
interface CompactEvent {
  t: number
  e: StoredEvent['type']
  i: string
  c?: string
  g?: string[]
  b?: string
}

/** An event record of schema 1, 2 or 3, readable; null for a record of the wrong shape. */
export function readableEvent(record: unknown): StoredEvent | null {
  if (isStoredEvent(record)) return { t: record.t, type: record.type, item: record.item }
  if (record === null || typeof record !== 'object') return null
  const { t, e, i, c, g, b } = record as CompactEvent
  const event: StoredEvent = { t, type: e, item: { id: i } }
  if (c !== undefined) event.item.category = c
  if (g !== undefined) event.item.tags = g
  if (b !== undefined) event.item.brand = b
  return isStoredEvent(event) ? event : null
}

/**
 * Schemas 1 to 3 → 4: everything a page reads at start-up becomes one record (`profile`), with
 * the interest keys and item marks in their compact form, and the event log one record (`log`).
 * The `keys`, `items` (schemas 1 and 2), `events` and `journal` stores go; what waits in the
 * journal is carried in the profile record (folded in by the next merge): pages now write to the
 * inbox (in localStorage, see inbox.ts) instead. Records of the wrong shape are dropped rather than carried over, and
 * interest keys an older version stored in another Unicode form are spelled in NFC, as keys are
 * built today.
 */
export async function migrate(db: Db, oldVersion: number, tx: IDBPTransaction<Schema, Names, 'versionchange'>): Promise<void> {
  const old = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>
  const stores = [...db.objectStoreNames] as string[]
  const meta = tx.objectStore('meta')
  // Every read is issued at once, each observed: should the browser abort the upgrade at one of
  // them, the others (which then throw, or reject) reach no one.
  const read = (request: () => Promise<unknown>): Promise<unknown> => {
    try {
      return observed(request())
    } catch (error) {
      return observed(Promise.reject(error))
    }
  }
  const all = (store: string) => read(() => (stores.includes(store) ? old.objectStore(store).getAll() : Promise.resolve([])))
  const reads = [...['profile', 'settings', 'forgotten', 'keys', 'items'].map((key) => read(() => meta.get(key))), ...['keys', 'items', 'events', 'journal'].map(all)]
  const [profile, settings, forgotten, keyList, itemList, keyStore, itemStore, events, journal] = (await Promise.all(reads)) as [unknown, unknown, unknown, unknown, unknown, unknown[], unknown[], unknown[], unknown[]]
  const record = (profile ?? {}) as ProfileRecord
  const horizons = Array.isArray(record.halfLives) ? record.halfLives.length : 0
  const keys = nfcKeys(oldVersion < 3 ? keyStore : Array.isArray(keyList) ? keyList : [])
  const items = (oldVersion < 3 ? itemStore : Array.isArray(itemList) ? itemList : []).filter(isStoredItem)
  const next: ProfileRecord = { ...record, keys: packKeys(keys.filter((key): key is StoredKey => isStoredKey(key, horizons)), horizons), items: packItems(items) }
  if (settings !== undefined) next.settings = settings as Settings
  if (Array.isArray(forgotten)) next.forgotten = forgotten
  if (journal.length) next.carried = journal
  for (const key of ['settings', 'forgotten', 'keys', 'items', 'journaled']) observed(meta.delete(key))
  if (profile !== undefined) observed(meta.put(next, 'profile'))
  observed(meta.put(packLog(events.map(readableEvent).filter((event): event is StoredEvent => event !== null)), 'log'))
  for (const store of ['keys', 'items', 'events', 'journal']) if (stores.includes(store)) db.deleteObjectStore(store as never)
}

/** Stored keys with their names in NFC; where two spellings of one key were both kept, the first stays. */
function nfcKeys(records: unknown[]): unknown[] {
  const seen = new Set<string>()
  const out: unknown[] = []
  for (const record of records) {
    const key = (record as { key?: unknown } | null)?.key
    if (typeof key !== 'string') {
      out.push(record)
      continue
    }
    const nfc = key.normalize('NFC')
    if (seen.has(nfc)) continue
    seen.add(nfc)
    out.push(nfc === key ? record : { ...(record as object), key: nfc })
  }
  return out
}
