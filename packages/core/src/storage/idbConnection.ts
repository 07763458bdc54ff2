// The IndexedDB connection of a store (the profile's database): opening it (creating, or upgrading
// with the lazy migration), giving up on an open that another tab blocks, letting go of it when
// another tab or the browser wants it, plain requests and transactions whose failures never reach
// the page, and deleting the database and the inbox (an opt-out). The open, the creation of a new
// database, the start-up read and the deletion are plain IndexedDB requests: going through idb's
// wrapper, compiled on its first use in each page, made a page's profile ready about 6% later
// (scripts/bench/ready-ab.mjs). Every transaction that writes goes through idb, in the lazy part
// that writes (idbMerge.ts's `transactionOf`).
import { SCHEMA_VERSION, type ProfileMeta } from './store.js'
import { createProfile } from './idbSchema.js'
import { removeMarks } from './inbox.js'

export type LostReason = 'versionchange' | 'terminated' | 'other half-lives'

export interface IdbCallbacks {
  /**
   * Another tab is deleting or upgrading the database, the browser closed the connection, or a page
   * started since keeps the profile with other half-lives (a deploy changed them): the store has let
   * go of it and will not write again.
   */
  onLost(reason: LostReason): void
  /**
   * Asked when the database does not exist yet, as the upgrade that would create it begins: false
   * aborts it, and nothing is created (the open rejects with an AbortError).
   */
  mayCreate?(): boolean
}

/** A store's open connection. */
export interface Connections {
  /** The connection; throws once it is let go of. Transactions that write are opened through idb (idbMerge.ts). */
  db(): IDBDatabase
  /** The records `keys` of the `meta` store, in one read-only transaction (the start-up read). */
  read(keys: readonly string[]): Promise<unknown[]>
  /** The connection goes, and the engine hears it once (unless closed by the page itself). */
  letGo(reason: LostReason): void
  close(): void
}

/**
 * Opens the profile database `name`. Rejects when IndexedDB is missing, refuses (private modes,
 * sandboxed frames), or the open does not finish in `timeoutMs` because another tab holds an
 * older version open and will not let go.
 */
export async function openConnections(name: string, callbacks: IdbCallbacks, createMeta: () => ProfileMeta, timeoutMs: number): Promise<Connections> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new Error('IndexedDB is not available')
  let lost = false
  let db: IDBDatabase | undefined
  function letGo(reason: LostReason): void {
    if (lost) return
    lost = true
    db?.close()
    callbacks.onLost(reason)
  }
  db = await openProfile(name, callbacks, createMeta, letGo, timeoutMs)
  const raw = db
  const live = (): IDBDatabase => {
    if (lost) throw new Error('the IndexedDB connection was closed by another tab or the browser')
    return raw
  }
  return {
    db: live,
    async read(keys) {
      const store = live().transaction('meta', 'readonly').objectStore('meta')
      return Promise.all(keys.map((key) => request(store.get(key))))
    },
    letGo,
    close() {
      lost = true
      db.close()
    },
  }
}

/** A plain request's result, or its error (handled: it goes no further); `onUpgrade` for an open's upgrade. */
export function request<T>(req: IDBRequest<T>, onUpgrade?: (event: IDBVersionChangeEvent) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = (event) => {
      // Handled here: an unhandled failure would reach the page's error reporting.
      event.preventDefault()
      reject(req.error)
    }
    if (onUpgrade) (req as unknown as IDBOpenDBRequest).onupgradeneeded = onUpgrade
  })
}

/**
 * Opens the profile database, loading the migration and trying again when it meets an older
 * version. A new database gets its profile record (`createMeta`) as it is created.
 */
async function openProfile(name: string, callbacks: IdbCallbacks, createMeta: () => ProfileMeta, letGo: (reason: LostReason) => void, timeoutMs: number): Promise<IDBDatabase> {
  let migration: typeof import('./idbMigration.js') | null = null
  /** Set when an open met a database of an earlier version before the migration was loaded. */
  let older = false
  const open = async (): Promise<IDBDatabase> => {
    const opening = indexedDB.open(name, SCHEMA_VERSION)
    const db = await request(opening, (event) => {
      // An upgrade that aborts (a refused creation, a quota error) fails the open (see `request`).
      const tx = opening.transaction!
      if (event.oldVersion === 0) return callbacks.mayCreate?.() === false ? tx.abort() : createProfile(opening.result, createMeta())
      // An upgrade cannot wait for the network: the migration is loaded, and the open tried again.
      if (!migration) return void ((older = true), tx.abort())
      migration.runMigration(opening.result, event.oldVersion, tx)
    })
    db.onversionchange = () => {
      // Another tab wants to upgrade or delete the database; holding on would block it forever.
      db.close()
      letGo('versionchange')
    }
    db.onclose = () => letGo('terminated')
    return db
  }
  try {
    return await withTimeout(open(), name, timeoutMs)
  } catch (error) {
    if (!older) throw error
    migration = await import('./idbMigration.js')
    return await withTimeout(open(), name, timeoutMs)
  }
}

/** Waits for `opening`, or gives up after `timeoutMs` (another tab holding an older version open). */
async function withTimeout<T extends { close(): void }>(opening: Promise<T>, name: string, timeoutMs: number): Promise<T> {
  try {
    return await within(opening, timeoutMs, `opening IndexedDB "${name}" timed out: another tab blocks the upgrade`)
  } catch (error) {
    opening.then((d) => d.close(), () => {})
    throw error
  }
}

/** `work`, or a rejection with `message` once `ms` have passed first; the timer never outlives it. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Deletes the whole database, if there is one, and the inbox's localStorage entries. Other tabs close their connections when asked (see
 * `blocking`); a tab running old code that holds on would block the deletion, so after `timeoutMs`
 * this rejects, while the browser keeps the deletion queued until that tab lets go. `unless`, checked
 * just before the deletion is issued, calls it off (an opt-in elsewhere meanwhile: see startup.ts).
 */
export async function deleteIdb(name: string, timeoutMs = 3000, unless?: () => boolean): Promise<void> {
  // First, and without IndexedDB too: a page going away before its profile was read writes there.
  removeMarks(name)
  if (typeof indexedDB === 'undefined' || indexedDB === null) return
  // Checking first keeps a reload of an opted-out page from touching IndexedDB at all.
  if (typeof indexedDB.databases === 'function' && !(await indexedDB.databases()).some((db) => db.name === name)) return
  if (unless?.()) return
  await within(request(indexedDB.deleteDatabase(name)), timeoutMs, `deleting IndexedDB "${name}" waits for another tab to close it`)
}
