import { deleteDB, openDB } from 'idb'
import { keysOf } from '../model/keys.js'
import { Profile } from '../model/profile.js'
import { buried, decodeEvent, encodeEvent, isJournalEntry, isStoredItem, normalizeSettings, type CompactEvent } from './records.js'
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { pruneKeys, TRIM_TO } from './caps.js'
import { SCHEMA_VERSION, TOMBSTONE_LIFE, type Dump, type JournalEntry, type Limits, type Loaded, type Merged, type ProfileMeta, type Settings, type Store, type Tombstone } from './store.js'
import type { StoredEvent, StoredItem } from '../types.js'
import { ALL, ignore, runMigration, type Db, type Schema, type WriteTx } from './idbSchema.js'

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
    upgrade(db, oldVersion, _newVersion, tx) {
      // An upgrade that aborts (a refused creation, a quota error) fails the open; `done` must not
      // reach the page as an unhandled rejection too.
      tx.done.catch(ignore)
      if (oldVersion === 0 && callbacks.mayCreate?.() === false) return tx.abort()
      return runMigration(db, oldVersion, tx)
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
   * The stored profile has other half-lives than this page's, though it had this page's when it was
   * opened: a page started since (a deploy changed them) rebuilt it. That page owns it now; this one
   * lets go, as when a newer schema opens, rather than write values of another shape over it.
   */
  function outdated(): Error {
    if (!lost) {
      lost = true
      handle.close()
      callbacks.onLost('other half-lives')
    }
    return new Error('the stored profile has other half-lives')
  }

  /** Whether `meta` is a profile's, with half-lives other than this page's. */
  const otherHalfLives = (meta: unknown): boolean =>
    !!meta && typeof (meta as ProfileMeta).id === 'string' && !sameHalfLives((meta as ProfileMeta).halfLives, limits.model.halfLives)
  /** Set once this page has read the profile: a later mismatch of half-lives is another page's doing. */
  let loadedOnce = false

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
   * to other half-lives (a deploy changed them) — then they are carried over to the new ones.
   */
  async function repairMeta(read: ProfileMeta | undefined): Promise<void> {
    // The repair is loaded first: a transaction does not survive waiting for the network.
    const repair = read && typeof read.id === 'string' ? await import('./idbRepair.js') : null
    const tx = transaction(['meta', 'events'], 'readwrite')
    const metaStore = tx.objectStore('meta')
    const meta = (await metaStore.get('profile')) as ProfileMeta | undefined
    if (!meta || typeof meta.id !== 'string') {
      metaStore.put(createMeta(), 'profile')
    } else if (repair && !sameHalfLives(meta.halfLives, limits.model.halfLives)) {
      // (Without `repair`, another page wrote the profile meanwhile: the next load comes back here.)
      // Every stored interest is kept: each new horizon starts from the stored one nearest to it.
      const stored = await metaStore.get('keys')
      const from = Array.isArray(meta.halfLives) ? meta.halfLives : []
      metaStore.put(Array.isArray(stored) ? repair.convertHorizons(stored, from, limits.model.halfLives) : [], 'keys')
      metaStore.put({ ...meta, halfLives: [...limits.model.halfLives] }, 'profile')
    }
    await tx.done
  }

  /**
   * Runs `body` in `tx` and waits for the commit. When `body` throws half-way, the transaction is
   * aborted: an exception in a promise continuation does not abort it by itself, and the writes
   * already issued would commit without the rest.
   */
  async function atomically<T>(tx: WriteTx, body: () => Promise<T>): Promise<T> {
    try {
      const result = await body()
      await tx.done
      return result
    } catch (error) {
      try {
        tx.abort()
      } catch {
        // Already finished or aborted.
      }
      throw error
    }
  }

  const store: Store = {
    kind: 'indexeddb',

    async load() {
      // The common case at start-up: one read-only transaction of `meta` alone. Everything is read
      // at once, and waiting for its commit would only delay the page.
      const read = (withJournal?: boolean) => {
        const tx = transaction(withJournal ? ALL : ['meta'], 'readonly')
        const meta = tx.objectStore('meta')
        return Promise.all([
          meta.get('profile') as Promise<ProfileMeta | undefined>,
          meta.get('settings'),
          readList(meta, 'keys'),
          readList(meta, 'items'),
          meta.get('journaled'),
          withJournal ? tx.objectStore('journal').getAll().then((stored) => unmerged(tx.objectStore('events'), stored)) : [],
        ])
      }
      let [meta, settings, keys, items, journaled, journal] = await read()
      // A page left events in the journal (it went away before folding them in): read everything
      // again with the journal, in one transaction, so that a merge by another tab in between
      // cannot leave them out of both the keys and the journal.
      if (journaled) [meta, settings, keys, items, journaled, journal] = await read(true)
      if (loadedOnce && otherHalfLives(meta)) throw outdated()
      if (!meta || typeof meta.id !== 'string' || !sameHalfLives(meta.halfLives, limits.model.halfLives)) {
        await repairMeta(meta)
        return store.load()
      }
      loadedOnce = true
      const loaded: Loaded = { meta, settings: normalizeSettings(settings), keys, items, journal }
      return loaded
    },

    append(changes: readonly Change[], inFlight: readonly Change[] = []) {
      // Everything here is issued synchronously, in one write-only transaction that is committed
      // at once: a page that is being unloaded (pagehide) has no time for the reads that folding
      // events into the profile needs, and Chromium aborts a transaction still waiting on them.
      const tx = transaction(['journal', 'meta'], 'readwrite')
      const journal = tx.objectStore('journal')
      for (const { event, weight } of changes) journal.add({ event, weight })
      for (const { event, weight } of inFlight) journal.add({ event, weight, inFlight: true })
      // So that the next page knows to read the journal (see `load`).
      tx.objectStore('meta').put(true, 'journaled')
      tx.commit()
      return tx.done
    },

    merge(limits: Limits, own: readonly Change[] = []): Promise<Merged> {
      const tx = transaction(ALL, 'readwrite', { durability: 'relaxed' })
      const meta = tx.objectStore('meta')
      const eventStore = tx.objectStore('events')
      const journalStore = tx.objectStore('journal')
      return atomically(tx, async () => {
        // Everything the write depends on is read at once: one round trip. Counting on every write
        // keeps the caps exact whatever other tabs, imports and forgets did meanwhile.
        const [profileMeta, stored, { live: tombstones, stale }, records, eventCount, expired, marks] = await Promise.all([
          meta.get('profile'),
          journalStore.getAll(),
          readTombstones(meta, limits.now),
          readList(meta, 'keys'),
          eventStore.count(),
          eventStore.index('t').getAllKeys(IDBKeyRange.upperBound(limits.cutoff, true)),
          readList(meta, 'items'),
        ])
        if (otherHalfLives(profileMeta)) throw outdated()
        // A forgotten key's name must not outstay its tombstone.
        if (stale) meta.put(tombstones, 'forgotten')
        const changes: Change[] = []
        for (const entry of await unmerged(eventStore, stored)) {
          if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
        }
        changes.push(...own)
        const kept = changes.filter((change) => !buried(change, tombstones))

        let removed = 0
        for (const key of expired) eventStore.delete(key)
        const items = new Map<string, StoredItem>()
        for (const item of marks) {
          if (isStoredItem(item) && Math.max(item.purchased ?? 0, item.dismissed ?? 0) >= limits.marksCutoff) items.set(item.id, item)
          else removed++
        }
        let marked = removed > 0
        // Read-modify-write inside one transaction: tabs merging at once are serialized by
        // IndexedDB, and each journal entry is folded in exactly once, by whichever tab gets it.
        const profile = new Profile(limits.model)
        profile.load(records)
        for (const change of kept) {
          const { event } = change
          fold(profile, change)
          eventStore.add(encodeEvent(event))
          if (markItem(items, event)) marked = true
        }
        if (marked) meta.put([...items.values()], 'items')
        if (stored.length) journalStore.clear()
        meta.delete('journaled')

        const events = eventCount - expired.length + kept.length
        if (events > limits.maxEvents) {
          // Ids grow with time: the oldest events have the smallest.
          const oldest = await eventStore.getAllKeys(null, events - Math.floor(limits.maxEvents * TRIM_TO))
          if (oldest.length) eventStore.delete(IDBKeyRange.upperBound(oldest[oldest.length - 1]!))
        }
        const pruned = pruneKeys(profile, limits)
        removed += pruned.length
        if (kept.length || pruned.length) meta.put(profile.records(), 'keys')
        return { folded: kept.length, removed }
      })
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
      // Loaded before the transaction opens: one does not survive waiting for the network.
      const { planForget } = await import('./forgetting.js')
      const tx = transaction(ALL, 'readwrite')
      const meta = tx.objectStore('meta')
      const [profileMeta, records, marks, events, journal, { live: buriedBefore }] = await Promise.all([
        meta.get('profile'),
        readList(meta, 'keys'),
        readList(meta, 'items'),
        tx.objectStore('events').getAll(),
        tx.objectStore('journal').getAll(),
        readTombstones(meta, limits.now),
      ])
      if (otherHalfLives(profileMeta)) {
        tx.abort()
        throw outdated()
      }
      meta.put([...buriedBefore, ...tombstones.map((key) => ({ key, at: limits.now }))], 'forgotten')
      // Unmerged events that fed a forgotten key go too; the rest stay for the next merge.
      for (const entry of journal) {
        if (isJournalEntry(entry) && keysOf(entry.event.item).some((key) => doomed.has(key))) {
          tx.objectStore('journal').delete(entry.id!)
        }
      }
      const plan = planForget(records, events.map(decodeEvent), doomed, limits)
      meta.put(plan.put, 'keys')
      for (const event of plan.deleteEvents) if (event.id !== undefined) tx.objectStore('events').delete(event.id)
      if (plan.deleteItems.length) {
        const gone = new Set(plan.deleteItems)
        meta.put(marks.filter((item) => !gone.has((item as StoredItem | null)?.id as string)), 'items')
      }
      await tx.done
    },

    async dump(): Promise<Dump> {
      const tx = transaction(ALL, 'readonly')
      const [profile, settings, keys, events, items, stored, { live: forgotten }] = await Promise.all([
        tx.objectStore('meta').get('profile'),
        tx.objectStore('meta').get('settings'),
        readList(tx.objectStore('meta'), 'keys'),
        tx.objectStore('events').getAll(),
        readList(tx.objectStore('meta'), 'items'),
        tx.objectStore('journal').getAll(),
        readTombstones(tx.objectStore('meta')),
      ])
      const journal = await unmerged(tx.objectStore('events'), stored)
      await tx.done
      return { meta: profile as ProfileMeta, settings: normalizeSettings(settings), keys, events: events.map((e) => decodeEvent(e) ?? e), items, journal, forgotten }
    },

    async replace(next: Dump) {
      const tx = transaction(ALL, 'readwrite')
      await Promise.all((['events', 'journal'] as const).map((name) => tx.objectStore(name).clear()))
      const meta = tx.objectStore('meta')
      meta.put(next.meta, 'profile')
      meta.put(next.settings, 'settings')
      meta.put(next.forgotten ?? [], 'forgotten')
      meta.put(next.keys, 'keys')
      meta.put(next.items, 'items')
      meta.delete('journaled')
      try {
        for (const event of next.events as StoredEvent[]) tx.objectStore('events').put(encodeEvent(event))
      } catch (error) {
        // A put that throws (a key the database refuses) does not abort by itself: the clears above
        // would commit. The whole replace is one transaction, and it fails as one.
        tx.abort()
        await tx.done.catch(ignore)
        throw error
      }
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

/**
 * The stored tombstones (see `Store.forget`) of the right shape — those still live at `now`, when
 * given — and whether any others are still stored.
 */
async function readTombstones(meta: { get(key: string): Promise<unknown> }, now?: number): Promise<{ live: Tombstone[]; stale: boolean }> {
  const stored = await meta.get('forgotten')
  if (!Array.isArray(stored)) return { live: [], stale: false }
  const live = stored.filter(
    (t): t is Tombstone => !!t && typeof t.key === 'string' && Number.isFinite(t.at) && (now === undefined || now - t.at < TOMBSTONE_LIFE),
  )
  return { live, stale: live.length < stored.length }
}

/** The stored interest keys or item marks (see `Schema.meta`): records of the wrong shape are the reader's to skip. */
async function readList(meta: { get(key: string): Promise<unknown> }, name: 'keys' | 'items'): Promise<unknown[]> {
  const stored = await meta.get(name)
  return Array.isArray(stored) ? stored : []
}

/** Identifies an event in the log well enough to tell whether a journaled copy of it was stored. */
const signature = (t: number, type: string, id: string): string => `${t} ${type} ${id}`

/**
 * The journal without the in-flight entries (see `JournalEntry.inFlight`) whose events the log
 * already holds: the write that held them committed after all. Costs a read only when there are
 * such entries, which is after a page left in the middle of a write.
 */
async function unmerged(events: { index(name: 't'): { getAll(range: IDBKeyRange): Promise<CompactEvent[]> } }, journal: unknown[]): Promise<unknown[]> {
  const doubtful = journal.filter((entry): entry is JournalEntry => isJournalEntry(entry) && entry.inFlight === true)
  if (!doubtful.length) return journal
  const times = doubtful.map((entry) => entry.event.t)
  const logged = await events.index('t').getAll(IDBKeyRange.bound(Math.min(...times), Math.max(...times)))
  const seen = new Set(logged.map((record) => signature(record.t, record.e, record.i)))
  const stored = new Set(doubtful.filter(({ event }) => seen.has(signature(event.t, event.type, event.item.id))))
  return journal.filter((entry) => !stored.has(entry as JournalEntry))
}

/**
 * Deletes the whole database, if there is one. Other tabs close their connections when asked (see
 * `blocking`); a tab running old code that holds on would block the deletion, so after `timeoutMs`
 * this rejects, while the browser keeps the deletion queued until that tab lets go. `unless`, checked
 * just before the deletion is issued, calls it off (an opt-in elsewhere meanwhile: see startup.ts).
 */
export async function deleteIdb(name: string, timeoutMs = 3000, unless?: () => boolean): Promise<void> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) return
  // Checking first keeps a reload of an opted-out page from touching IndexedDB at all.
  if (typeof indexedDB.databases === 'function') {
    const existing = await indexedDB.databases()
    if (!existing.some((db) => db.name === name)) return
  }
  if (unless?.()) return
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
