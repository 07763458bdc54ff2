import { deleteDB, openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb'
import { keysOf } from './keys.js'
import { Profile } from './profile.js'
import {
  applyChanges,
  buried,
  decodeEvent,
  encodeEvent,
  isJournalEntry,
  isStoredEvent,
  isStoredItem,
  markItem,
  normalizeSettings,
  planForget,
  SCHEMA_VERSION,
  TOMBSTONE_LIFE,
  touchedKeys,
  type Change,
  type CompactEvent,
  type Dump,
  type JournalEntry,
  type Limits,
  type Loaded,
  type ProfileMeta,
  type Settings,
  type Store,
  type Tombstone,
} from './store.js'
import type { StoredEvent, StoredItem, StoredKey } from './types.js'

interface Schema extends DBSchema {
  /** `profile` → {@link ProfileMeta}, `settings` → {@link Settings}. */
  meta: { key: string; value: unknown }
  /** One record per interest key (and per dimension total): the decayed masses. */
  keys: { key: string; value: StoredKey }
  /** The raw event log, bounded by `maxEvents` and `retentionDays`. */
  events: { key: number; value: CompactEvent; indexes: { t: number } }
  /** When an item was bought or dismissed. */
  items: { key: string; value: StoredItem }
  /** Events written but not yet folded into `keys` (see `append`). */
  journal: { key: number; value: JournalEntry }
}

type Db = IDBPDatabase<Schema>

/** Every this many merges, a tab recounts what is stored and sweeps old records (see `enforceLimits`). */
const RECOUNT = 100
type Names = StoreNames<Schema>[]

export interface IdbCallbacks {
  /**
   * Another tab is deleting or upgrading the database, or the browser closed the connection: the
   * store has let go of it and will not write again.
   */
  onLost(reason: 'versionchange' | 'terminated'): void
}

function sameHalfLives(a: unknown, b: readonly number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Opens (creating or upgrading) the profile database. Rejects when IndexedDB is missing, refuses
 * (private modes, sandboxed frames), or the open does not finish in time because another tab
 * holds an older version open and will not let go.
 */
export async function openIdbStore(
  name: string,
  createMeta: () => ProfileMeta,
  limits: Limits,
  callbacks: IdbCallbacks,
  timeoutMs = 3000,
): Promise<Store> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new Error('IndexedDB is not available')
  let lost = false
  const opening = openDB<Schema>(name, SCHEMA_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      // One step per schema version, so a database from any earlier version walks up to now.
      if (oldVersion < 1) {
        db.createObjectStore('meta')
        db.createObjectStore('keys', { keyPath: 'key' })
        db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
        db.createObjectStore('items', { keyPath: 'id' })
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
    },
    blocking(_current, _next, event) {
      // Another tab wants to upgrade or delete the database; holding on would block it forever.
      lost = true
      ;(event.target as IDBDatabase).close()
      callbacks.onLost('versionchange')
    },
    terminated() {
      lost = true
      callbacks.onLost('terminated')
    },
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`opening IndexedDB "${name}" timed out: another tab blocks the upgrade`)), timeoutMs)
  })
  let handle: Db
  try {
    handle = await Promise.race([opening, timeout])
  } catch (error) {
    opening.then((d) => d.close(), () => {})
    throw error
  } finally {
    clearTimeout(timer)
  }

  function live(): Db {
    if (lost) throw new Error('the IndexedDB connection was closed by another tab or the browser')
    return handle
  }

  /**
   * A transaction whose failure is always observed: when our own code throws half-way (or the
   * browser aborts), `done` rejects after the caller has stopped listening, and an unhandled
   * rejection would reach the storefront's error reporting.
   */
  const transaction = ((...args: unknown[]) => {
    const tx = (live().transaction as (...a: unknown[]) => { done: Promise<void> }).apply(handle, args)
    tx.done.catch(() => undefined)
    return quietWrites(tx)
  }) as Db['transaction']

  /**
   * Writes the profile's meta when it is missing (a new database), or when the stored values belong
   * to other half-lives — then they are rebuilt from the raw log rather than guessed.
   */
  async function repairMeta(): Promise<void> {
    const tx = transaction(['meta', 'keys', 'events'], 'readwrite')
    const meta = (await tx.objectStore('meta').get('profile')) as ProfileMeta | undefined
    if (!meta || typeof meta.id !== 'string') {
      tx.objectStore('meta').put(createMeta(), 'profile')
    } else if (!sameHalfLives(meta.halfLives, limits.model.halfLives)) {
      const profile = new Profile(limits.model)
      for (const record of await tx.objectStore('events').getAll()) {
        const event = decodeEvent(record)
        if (event) profile.add(keysOf(event.item), limits.weightOf(event.type), event.t, event.type === 'purchase')
      }
      await tx.objectStore('keys').clear()
      for (const key of profile.states.keys()) tx.objectStore('keys').put(profile.record(key)!)
      tx.objectStore('meta').put({ ...meta, halfLives: [...limits.model.halfLives] }, 'profile')
    }
    await tx.done
  }

  /**
   * What this tab knows of the store's size, so that a write does not count records every time:
   * exact after a sweep, kept up by this tab's own writes, recounted every {@link RECOUNT} merges
   * (other tabs write too).
   */
  let eventCount: number | undefined
  let keyCount: number | undefined
  let merges = 0

  /**
   * Deletes events past retention and beyond the cap, item marks past their time, and prunes keys.
   * The full sweep (retention, expiry, counts) runs for maintenance and every {@link RECOUNT}
   * merges; otherwise only when this tab's counts say a cap is exceeded.
   */
  async function enforceLimits(tx: IDBPTransaction<Schema, Names, 'readwrite'>, limits: Limits, sweep: boolean): Promise<void> {
    const eventStore = tx.objectStore('events')
    const keyStore = tx.objectStore('keys')
    if (sweep || eventCount === undefined || keyCount === undefined) {
      // Whole ranges and key lists, not a cursor: one round trip however many records go.
      for (const key of await eventStore.index('t').getAllKeys(IDBKeyRange.upperBound(limits.cutoff, true))) eventStore.delete(key)
      const itemStore = tx.objectStore('items')
      for (const item of await itemStore.getAll()) {
        if (!isStoredItem(item) || Math.max(item.purchased ?? 0, item.dismissed ?? 0) < limits.marksCutoff) itemStore.delete(item.id)
      }
      ;[eventCount, keyCount] = await Promise.all([eventStore.count(), keyStore.count()])
    }
    if (eventCount > limits.maxEvents) {
      // Down to 90% of the cap, so that the next trims come every few dozen events rather than on
      // every write. Ids grow with time: the oldest events have the smallest.
      const keep = Math.floor(limits.maxEvents * 0.9)
      const oldest = await eventStore.getAllKeys(null, eventCount - keep)
      if (oldest.length) eventStore.delete(IDBKeyRange.upperBound(oldest[oldest.length - 1]!))
      eventCount = keep
    }
    // Prune in steps of 10% so that a full profile does not rewrite itself on every flush.
    if (limits.maintenance || keyCount > limits.maxKeys * 1.1 + 5) {
      const profile = new Profile(limits.model)
      profile.load(await keyStore.getAll())
      for (const key of profile.prune(limits.now, limits.maxKeys)) keyStore.delete(key)
      keyCount = profile.states.size
    }
  }

  const store: Store = {
    kind: 'indexeddb',

    async load() {
      // One read-only transaction: the common case at start-up, with nothing to write.
      const tx = transaction(['meta', 'keys', 'items', 'journal'], 'readonly')
      const [meta, settings, keys, items, journal] = await Promise.all([
        tx.objectStore('meta').get('profile') as Promise<ProfileMeta | undefined>,
        tx.objectStore('meta').get('settings'),
        tx.objectStore('keys').getAll(),
        tx.objectStore('items').getAll(),
        tx.objectStore('journal').getAll(),
      ])
      await tx.done
      if (!meta || typeof meta.id !== 'string' || !sameHalfLives(meta.halfLives, limits.model.halfLives)) {
        await repairMeta()
        return store.load()
      }
      const loaded: Loaded = { meta, settings: normalizeSettings(settings), keys, items, journal }
      return loaded
    },

    append(changes: readonly Change[]) {
      // Everything here is issued synchronously, in one write-only transaction that is committed
      // at once: a page that is being unloaded (pagehide) has no time for the reads that folding
      // events into the profile needs, and Chromium aborts a transaction still waiting on them.
      const tx = transaction('journal', 'readwrite')
      for (const { event, weight } of changes) tx.store.add({ event, weight } as JournalEntry)
      tx.commit()
      return tx.done
    },

    async merge(limits: Limits, own: readonly Change[] = []) {
      const tx = transaction(['meta', 'keys', 'events', 'items', 'journal'], 'readwrite', { durability: 'relaxed' })
      const [entries, { live: tombstones, stale }] = await Promise.all([tx.objectStore('journal').getAll(), readTombstones(tx.objectStore('meta'), limits.now)])
      // A forgotten key's name must not outstay its tombstone.
      if (stale) tx.objectStore('meta').put(tombstones, 'forgotten')
      const changes: Change[] = []
      for (const entry of [...entries, ...own]) {
        const change = 'keys' in entry ? entry : isJournalEntry(entry) ? { event: entry.event, keys: keysOf(entry.event.item), weight: entry.weight } : null
        if (change && !buried(change, tombstones)) changes.push(change)
      }
      if (changes.length) {
        // Read-modify-write inside one transaction: tabs merging at once are serialized by
        // IndexedDB, and each journal entry is folded in exactly once, by whichever tab gets it.
        const keyStore = tx.objectStore('keys')
        const current = await Promise.all([...touchedKeys(changes)].map((key) => keyStore.get(key)))
        for (const record of applyChanges(current.filter(Boolean), changes, limits.model)) keyStore.put(record)
        if (keyCount !== undefined) keyCount += current.filter((record) => record === undefined).length
        const itemStore = tx.objectStore('items')
        for (const { event } of changes) tx.objectStore('events').add(encodeEvent(event))
        if (eventCount !== undefined) eventCount += changes.length
        const marked = changes.filter(({ event }) => event.type === 'purchase' || event.type === 'dismiss')
        const marks = new Map<string, StoredItem>()
        for (const stored of await Promise.all([...new Set(marked.map((c) => c.event.item.id))].map((id) => itemStore.get(id)))) {
          if (stored && isStoredItem(stored)) marks.set(stored.id, stored)
        }
        for (const { event } of marked) markItem(marks, event)
        for (const item of marks.values()) itemStore.put(item)
      }
      if (entries.length) tx.objectStore('journal').clear()
      await enforceLimits(tx, limits, limits.maintenance === true || ++merges % RECOUNT === 0)
      await tx.done
      return entries.length + own.length
    },

    async updateSettings(update: (current: Settings) => Settings) {
      // Read-modify-write: two tabs muting at once both keep their mute.
      const tx = transaction('meta', 'readwrite')
      const next = update(normalizeSettings(await tx.store.get('settings')))
      tx.store.put(next, 'settings')
      await tx.done
      return next
    },

    async forget(doomed: ReadonlySet<string>, tombstones: readonly string[], limits: Limits) {
      const tx = transaction(['meta', 'keys', 'events', 'items', 'journal'], 'readwrite')
      const [records, events, journal, { live: buriedBefore }] = await Promise.all([
        tx.objectStore('keys').getAll(),
        tx.objectStore('events').getAll(),
        tx.objectStore('journal').getAll(),
        readTombstones(tx.objectStore('meta'), limits.now),
      ])
      tx.objectStore('meta').put([...buriedBefore, ...tombstones.map((key) => ({ key, at: limits.now }))], 'forgotten')
      // Unmerged events that fed a forgotten key go too; the rest stay for the next merge.
      for (const entry of journal) {
        if (isJournalEntry(entry) && keysOf(entry.event.item).some((key) => doomed.has(key))) {
          tx.objectStore('journal').delete(entry.id!)
        }
      }
      const plan = planForget(records, events.map(decodeEvent), doomed, limits)
      for (const key of plan.deleteKeys) tx.objectStore('keys').delete(key)
      for (const record of plan.put) tx.objectStore('keys').put(record)
      for (const event of plan.deleteEvents) if (event.id !== undefined) tx.objectStore('events').delete(event.id)
      for (const id of plan.deleteItems) tx.objectStore('items').delete(id)
      await tx.done
    },

    async dump(): Promise<Dump> {
      const tx = transaction(['meta', 'keys', 'events', 'items', 'journal'], 'readonly')
      const [profile, settings, keys, events, items, journal, forgotten] = await Promise.all([
        tx.objectStore('meta').get('profile'),
        tx.objectStore('meta').get('settings'),
        tx.objectStore('keys').getAll(),
        tx.objectStore('events').getAll(),
        tx.objectStore('items').getAll(),
        tx.objectStore('journal').getAll(),
        tx.objectStore('meta').get('forgotten'),
      ])
      await tx.done
      const tombstones = Array.isArray(forgotten) ? (forgotten as Tombstone[]) : []
      return { meta: profile as ProfileMeta, settings: normalizeSettings(settings), keys, events: events.map((e) => decodeEvent(e) ?? e), items, journal, forgotten: tombstones }
    },

    async replace(next: Dump) {
      const tx = transaction(['meta', 'keys', 'events', 'items', 'journal'], 'readwrite')
      await Promise.all((['keys', 'events', 'items', 'journal'] as const).map((name) => tx.objectStore(name).clear()))
      tx.objectStore('meta').put(next.meta, 'profile')
      tx.objectStore('meta').put(next.settings, 'settings')
      tx.objectStore('meta').put(next.forgotten ?? [], 'forgotten')
      for (const record of next.keys as StoredKey[]) tx.objectStore('keys').put(record)
      for (const event of next.events as StoredEvent[]) tx.objectStore('events').put(encodeEvent(event))
      for (const item of next.items as StoredItem[]) tx.objectStore('items').put(item)
      await tx.done
    },

    close() {
      lost = true
      handle.close()
    },
  }
  return store
}

const WRITES = new Set<PropertyKey>(['put', 'add', 'delete', 'clear'])
const ignore = (): void => undefined

/**
 * A transaction whose object stores' writes observe their own promises. Writes are issued without
 * awaiting each one (they run in order inside the transaction, and `done` says whether it
 * committed); when it aborts, every one of them rejects too, and an unobserved rejection would
 * reach the storefront's error reporting.
 */
function quietWrites<T extends object>(tx: T): T {
  const quiet = (store: object): object =>
    new Proxy(store, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target)
        if (typeof value !== 'function') return value
        if (!WRITES.has(prop)) return value.bind(target)
        return (...args: unknown[]) => {
          const request = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
          request.catch(ignore)
          return request
        }
      },
    })
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target)
      if (prop === 'store' && value) return quiet(value as object)
      if (prop === 'objectStore') return (name: string) => quiet((value as (n: string) => object).call(target, name))
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The live tombstones (see `Store.forget`), and whether expired ones are still stored. */
async function readTombstones(meta: { get(key: string): Promise<unknown> }, now: number): Promise<{ live: Tombstone[]; stale: boolean }> {
  const stored = await meta.get('forgotten')
  if (!Array.isArray(stored)) return { live: [], stale: false }
  const live = stored.filter((t): t is Tombstone => !!t && typeof t.key === 'string' && Number.isFinite(t.at) && now - t.at < TOMBSTONE_LIFE)
  return { live, stale: live.length < stored.length }
}

/**
 * Deletes the whole database, if there is one. Other tabs close their connections when asked (see
 * `blocking`); a tab running old code that holds on would block the deletion, so after `timeoutMs`
 * this rejects, while the browser keeps the deletion queued until that tab lets go.
 */
export async function deleteIdb(name: string, timeoutMs = 3000): Promise<void> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) return
  // Checking first keeps a reload of an opted-out page from touching IndexedDB at all.
  if (typeof indexedDB.databases === 'function') {
    const existing = await indexedDB.databases()
    if (!existing.some((db) => db.name === name)) return
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const deleting = deleteDB(name)
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deleting IndexedDB "${name}" waits for another tab to close it`)), timeoutMs)
  })
  try {
    await Promise.race([deleting, late])
  } finally {
    clearTimeout(timer)
  }
}
