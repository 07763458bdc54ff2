// The migration of a profile database of any earlier version up to the current one
// (SCHEMA_VERSION, store.ts). Each bump gets a step here and a fixture test. Loaded with import()
// when an open meets an older database, which happens once per profile and version.
import type { IDBPTransaction } from 'idb'
import type { StoredEvent } from '../types.js'
import { observed, ignore, type Db, type Names, type Schema } from './idbSchema.js'
import { encodeEvent, isStoredEvent } from './records.js'

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
    const meta = tx.objectStore('meta')
    observed(meta.put(await keys, 'keys'))
    observed(meta.put(await items, 'items'))
    db.deleteObjectStore('keys' as never)
    db.deleteObjectStore('items' as never)
  }
  if (oldVersion >= 1 && oldVersion <= 3) await fromJournal(db, tx)
}

/**
 * 3 → 4: what waits in the `journal` store is carried in `meta` (folded in by the next merge), and
 * `journal` goes, with the `journaled` flag that said whether to read it: pages now write to the
 * inbox (in localStorage, see inbox.ts) instead. Interest keys an older version stored in another
 * Unicode form are spelled in NFC, as keys are built today.
 */
async function fromJournal(db: Db, tx: IDBPTransaction<Schema, Names, 'versionchange'>): Promise<void> {
  const old = tx as unknown as IDBPTransaction<unknown, ['journal'], 'versionchange'>
  const waiting = observed(old.objectStore('journal').getAll())
  const meta = tx.objectStore('meta')
  const keys = observed(meta.get('keys'))
  const carried = await waiting
  if (carried.length) observed(meta.put(carried, 'carried'))
  const stored = await keys
  if (Array.isArray(stored)) observed(meta.put(nfcKeys(stored), 'keys'))
  observed(meta.delete('journaled'))
  db.deleteObjectStore('journal' as never)
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
