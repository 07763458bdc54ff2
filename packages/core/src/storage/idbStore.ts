import { deleteDB, openDB } from 'idb'
import { Profile } from '../model/profile.js'
import { buried, decodeEvent, encodeEvent, isJournalEntry, isStoredItem, normalizeSettings, type CompactEvent } from './records.js'
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { pruneKeys, TRIM_TO } from './caps.js'
import { SCHEMA_VERSION, TOMBSTONE_LIFE, type Dump, type JournalEntry, type Limits, type Loaded, type Merged, type ProfileMeta, type Settings, type Store, type Tombstone } from './store.js'
import type { StoredEvent, StoredItem } from '../types.js'
import { createInbox, createProfile, ignore, INBOX_VERSION, PROFILE, type Db, type Folded, type InboxDb, type InboxSchema, type Schema, type WriteTx } from './idbSchema.js'

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

/** The name of the inbox database of the profile `name` (see `InboxSchema`). */
export const inboxName = (name: string): string => `palate:${name}:inbox`

/**
 * The localStorage marks appends leave, one per append (`palate:<name>:inbox:<time>-<random>`),
 * set before its write is issued and removed once a page has folded it in. A page reads the inbox
 * at start-up only when there are some: a read there makes a closing page's write wait, and a
 * start-up that reads it for nothing competes with every tab that closes meanwhile.
 */
const markPrefix = (name: string): string => `${inboxName(name)}:`
/** A mark whose append left nothing in the inbox this long after (its write died with its page) goes. */
const MARK_LIFE = 10_000

/** The marks of appends not yet folded in, or null when localStorage cannot tell (missing, throwing). */
function readMarks(name: string): string[] | null {
  try {
    const out: string[] = []
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (key?.startsWith(markPrefix(name))) out.push(key.slice(markPrefix(name).length))
    }
    return out
  } catch {
    return null
  }
}

function removeMark(name: string, mark: string): void {
  try {
    localStorage.removeItem(markPrefix(name) + mark)
  } catch {
    // Another page reads the inbox once for nothing.
  }
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
  /** Both connections go, and the engine hears it once. */
  function letGo(reason: LostReason): void {
    if (lost) return
    lost = true
    handle?.close()
    inboxHandle?.close()
    callbacks.onLost(reason)
  }
  let migration: typeof import('./idbMigration.js') | null = null
  /** Set when an open met a database of an earlier version before the migration was loaded. */
  let older = false
  const open = () =>
    openDB<Schema>(name, SCHEMA_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // An upgrade that aborts (a refused creation, a quota error) fails the open; `done` must not
        // reach the page as an unhandled rejection too.
        tx.done.catch(ignore)
        if (oldVersion === 0) return callbacks.mayCreate?.() === false ? tx.abort() : createProfile(db)
        // An upgrade cannot wait for the network: the migration is loaded, and the open tried again.
        if (!migration) return void ((older = true), tx.abort())
        migration.runMigration(db, oldVersion, tx)
      },
      blocking(_current, _next, event) {
        // Another tab wants to upgrade or delete the database; holding on would block it forever.
        ;(event.target as IDBDatabase).close()
        letGo('versionchange')
      },
      terminated: () => letGo('terminated'),
    })
  let handle: Db | undefined
  let inboxHandle: InboxDb | undefined
  try {
    handle = await withTimeout(open(), name, timeoutMs)
  } catch (error) {
    if (!older) throw error
    migration = await import('./idbMigration.js')
    handle = await withTimeout(open(), name, timeoutMs)
  }
  // Opened once the profile is: should consent be withdrawn meanwhile, it is not created either.
  const inboxOpening = openDB<InboxSchema>(inboxName(name), INBOX_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      tx.done.catch(ignore)
      if (oldVersion === 0 && callbacks.mayCreate?.() === false) return tx.abort()
      createInbox(db, tx)
    },
    blocking(_current, _next, event) {
      ;(event.target as IDBDatabase).close()
      letGo('versionchange')
    },
    terminated: () => letGo('terminated'),
  })
  try {
    inboxHandle = await withTimeout(inboxOpening, inboxName(name), timeoutMs)
  } catch (error) {
    handle.close()
    throw error
  }
  const db = handle
  const inboxDb = inboxHandle

  function live(): Db {
    if (lost) throw new Error('the IndexedDB connection was closed by another tab or the browser')
    return db
  }

  /**
   * The stored profile has other half-lives than this page's, though it had this page's when it was
   * opened: a page started since (a deploy changed them) rebuilt it. That page owns it now; this one
   * lets go, as when a newer schema opens, rather than write values of another shape over it.
   */
  function outdated(): Error {
    letGo('other half-lives')
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
    const tx = (live().transaction as (...a: unknown[]) => { done: Promise<void> }).apply(db, args)
    tx.done.catch(() => undefined)
    return quietWrites(tx)
  }) as Db['transaction']

  /** {@link transaction}, in the inbox database. */
  const inboxTransaction = ((...args: unknown[]) => {
    live()
    const tx = (inboxDb.transaction as (...a: unknown[]) => { done: Promise<void> }).apply(inboxDb, args)
    tx.done.catch(() => undefined)
    return quietWrites(tx)
  }) as InboxDb['transaction']

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

  /** Appends this connection issued (see `readInbox`). */
  let appended = 0
  /**
   * Whether the inbox may hold entries this page has not folded in and deleted: at start-up, and
   * after this page appended. Another tab's page folds in what it appended itself, or, when it went
   * away first, the next page to start does.
   */
  const left = readMarks(name)
  let mayHold = left === null || left.length > 0

  /**
   * Every inbox entry, read in a transaction of the inbox alone — or none, without reading, when
   * this page has no reason to think there are any and `always` is not set. The inbox is read as
   * rarely as that because a page that goes away must find it free: Chromium aborts the pagehide
   * write of a closing page if it has to wait for any other transaction on the inbox, even a read.
   */
  async function readInbox(always = false): Promise<Inbox> {
    const seen = appended
    if (!mayHold && !always) return { waiting: [], id: null, seen, marks: [], at: 0 }
    // The marks first: every one read here whose append has committed has its entries in the read.
    const marks = readMarks(name) ?? []
    const at = Date.now()
    const tx = inboxTransaction(['inbox', 'meta'], 'readonly')
    const [waiting, id] = await Promise.all([tx.objectStore('inbox').getAll(), tx.objectStore('meta').get('id')])
    return { waiting, id: id ?? null, seen, marks, at }
  }

  /** Once what `inbox` read is folded in and deleted: the marks of its appends go, and those of appends that died. */
  function unmark(inbox: Inbox): void {
    const read = new Set(inbox.waiting.map((entry) => (entry as JournalEntry | null)?.u))
    for (const mark of inbox.marks) {
      if (read.has(mark) || parseInt(mark, 36) < inbox.at - MARK_LIFE) removeMark(name, mark)
    }
  }

  /** After a merge or a replace: what it folded in is deleted from the inbox, with its marks. */
  async function finish(inbox: Inbox, upTo: Folded | null): Promise<void> {
    if (upTo) return clearInbox(upTo.upTo, inbox)
    if (inbox.waiting.length) return
    unmark(inbox)
    settled(inbox.seen)
  }

  /** The inbox held nothing more than `waiting`, and that is folded in and deleted. */
  function settled(seen: number): void {
    if (seen === appended) mayHold = false
  }

  /**
   * Deletes the inbox entries up to `upTo`, once a merge has folded them in (and moved `folded`
   * past them): in a transaction of its own, after the merge's, so that appends never wait for a
   * merge. Should it fail or the page go first, the next merge deletes them; they are not folded
   * twice meanwhile, being at or before `folded`.
   */
  async function clearInbox(upTo: number, inbox: Inbox): Promise<void> {
    try {
      const tx = inboxTransaction('inbox', 'readwrite')
      tx.store.delete(IDBKeyRange.upperBound(upTo))
      await tx.done
      unmark(inbox)
      settled(inbox.seen)
    } catch {
      // Left for the next merge.
    }
  }

  /** Leaves the mark of an append about to be issued (see `markPrefix`), and returns it. */
  function markAppend(): string {
    const mark = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    try {
      localStorage.setItem(markPrefix(name) + mark, '')
    } catch {
      // Without localStorage every page reads the inbox at start-up (see `readMarks`); when it is
      // full, this append waits for the next page that reads it for another one.
    }
    return mark
  }

  /** {@link Store.merge}; with `always`, the inbox is read even when this page has no reason to think it holds anything. */
  async function merge(limits: Limits, own: () => readonly Change[], always: boolean): Promise<Merged> {
    const inbox = await readInbox(always)
    const tx = transaction(PROFILE, 'readwrite', { durability: 'relaxed' })
    const mine = own()
    const meta = tx.objectStore('meta')
    const eventStore = tx.objectStore('events')
    const { merged, upTo } = await atomically(tx, async () => {
      // Everything the write depends on is read at once: one round trip. Counting on every write
      // keeps the caps exact whatever other tabs, imports and forgets did meanwhile.
      const [profileMeta, folded, carried, { live: tombstones, stale }, records, eventCount, expired, marks] = await Promise.all([
        meta.get('profile'),
        meta.get('folded'),
        meta.get('carried'),
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
      for (const entry of await pending(unfolded(carried, inbox, folded), eventStore)) {
        if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
      }
      if (carried !== undefined) meta.delete('carried')
      changes.push(...mine)
      const kept = changes.filter((change) => !buried(change, tombstones))

      let removed = 0
      for (const key of expired) eventStore.delete(key)
      const items = new Map<string, StoredItem>()
      for (const item of marks) {
        if (isStoredItem(item) && Math.max(item.purchased ?? 0, item.dismissed ?? 0) >= limits.marksCutoff) items.set(item.id, item)
        else removed++
      }
      let marked = removed > 0
      // Read, fold and write back inside one transaction: tabs merging at once are serialized by
      // IndexedDB, and each inbox entry is folded in exactly once, by whichever tab moves
      // `folded` past it.
      const profile = new Profile(limits.model)
      profile.load(records)
      for (const change of kept) {
        const { event } = change
        fold(profile, change)
        eventStore.add(encodeEvent(event))
        if (markItem(items, event)) marked = true
      }
      if (marked) meta.put([...items.values()], 'items')
      const upTo = foldTo(inbox, folded)
      if (upTo) meta.put(upTo, 'folded')

      const events = eventCount - expired.length + kept.length
      if (events > limits.maxEvents) {
        // Ids grow with time: the oldest events have the smallest.
        const oldest = await eventStore.getAllKeys(null, events - Math.floor(limits.maxEvents * TRIM_TO))
        if (oldest.length) eventStore.delete(IDBKeyRange.upperBound(oldest[oldest.length - 1]!))
      }
      const pruned = pruneKeys(profile, limits)
      removed += pruned.length
      if (kept.length || pruned.length) meta.put(profile.records(), 'keys')
      return { merged: { folded: kept.length, removed }, upTo }
    })
    await finish(inbox, upTo)
    return merged
  }

  /**
   * {@link Store.load}, once the inbox is read. `withLog`: events read as well, to tell which
   * in-flight entries were written (see `pending`); the common case at start-up is one read-only
   * transaction of `meta` alone. Everything is read at once, and waiting for its commit would only
   * delay the page.
   */
  async function read(inbox: Inbox, withLog: boolean): Promise<Loaded> {
    const tx = transaction(withLog ? PROFILE : ['meta'], 'readonly')
    const metaStore = tx.objectStore('meta')
    const [meta, settings, keys, items, folded, carried, { live: tombstones }] = await Promise.all([
      metaStore.get('profile') as Promise<ProfileMeta | undefined>,
      metaStore.get('settings'),
      readList(metaStore, 'keys'),
      readList(metaStore, 'items'),
      metaStore.get('folded'),
      metaStore.get('carried'),
      // Every stored tombstone: an event tracked before a forget never brings its key back.
      readTombstones(metaStore),
    ])
    if (loadedOnce && otherHalfLives(meta)) throw outdated()
    if (!meta || typeof meta.id !== 'string' || !sameHalfLives(meta.halfLives, limits.model.halfLives)) {
      await repairMeta(meta)
      return store.load()
    }
    const entries = unfolded(carried, inbox, folded)
    if (!withLog && entries.some(doubtful)) return read(inbox, true)
    const journal = await pending(entries, withLog ? tx.objectStore('events') : null, tombstones)
    if (!inbox.waiting.length) {
      unmark(inbox)
      settled(inbox.seen)
    }
    loadedOnce = true
    return { meta, settings: normalizeSettings(settings), keys, items, journal }
  }

  const store: Store = {
    kind: 'indexeddb',

    async load() {
      // The inbox first, then the profile: every entry deleted from the inbox by then had been
      // folded into the keys read after it (see `clearInbox`). (They are two databases: no one
      // transaction could read both.)
      const inbox = await readInbox()
      return read(inbox, inbox.waiting.some(doubtful))
    },

    append(changes: readonly Change[], inFlight: readonly Change[] = []) {
      // Everything here is issued synchronously, in one write-only transaction that is committed
      // at once: a page that is being unloaded (pagehide) has no time for the reads that folding
      // events into the profile needs, and Chromium aborts a transaction still waiting on them.
      // The inbox is a database no merge writes to, so this write never waits for another tab's.
      const u = markAppend()
      const tx = inboxTransaction('inbox', 'readwrite')
      appended++
      mayHold = true
      for (const { event, weight } of changes) tx.store.add({ event, weight, u } as JournalEntry)
      for (const { event, weight } of inFlight) tx.store.add({ event, weight, inFlight: true, u } as JournalEntry)
      tx.commit()
      return tx.done
    },

    merge(limits: Limits, own: () => readonly Change[] = () => []): Promise<Merged> {
      return merge(limits, own, false)
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
      // What waits in the inbox is folded in first, so that the plan sees it in the log. Entries
      // appended after that fold are buried by the tombstones written here (see `buried`).
      await merge(limits, () => [], true)
      const tx = transaction(PROFILE, 'readwrite')
      const meta = tx.objectStore('meta')
      const [profileMeta, records, marks, events, { live: buriedBefore }] = await Promise.all([
        meta.get('profile'),
        readList(meta, 'keys'),
        readList(meta, 'items'),
        tx.objectStore('events').getAll(),
        readTombstones(meta, limits.now),
      ])
      if (otherHalfLives(profileMeta)) {
        tx.abort()
        throw outdated()
      }
      meta.put([...buriedBefore, ...tombstones.map((key) => ({ key, at: limits.now }))], 'forgotten')
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
      // The inbox first, then the profile (see `load`); always: an export is everything stored.
      const inbox = await readInbox(true)
      const tx = transaction(PROFILE, 'readonly')
      const [profile, settings, keys, events, items, folded, carried, { live: forgotten }] = await Promise.all([
        tx.objectStore('meta').get('profile'),
        tx.objectStore('meta').get('settings'),
        readList(tx.objectStore('meta'), 'keys'),
        tx.objectStore('events').getAll(),
        readList(tx.objectStore('meta'), 'items'),
        tx.objectStore('meta').get('folded'),
        tx.objectStore('meta').get('carried'),
        readTombstones(tx.objectStore('meta')),
      ])
      const journal = await pending(unfolded(carried, inbox, folded), tx.objectStore('events'))
      await tx.done
      return { meta: profile as ProfileMeta, settings: normalizeSettings(settings), keys, events: events.map((e) => decodeEvent(e) ?? e), items, journal, forgotten }
    },

    async replace(next: Dump) {
      // What waits in the inbox belongs to the profile being replaced: `folded` moves past it.
      const inbox = await readInbox(true)
      const tx = transaction(PROFILE, 'readwrite')
      const meta = tx.objectStore('meta')
      const [folded] = await Promise.all([meta.get('folded'), tx.objectStore('events').clear()])
      const upTo = foldTo(inbox, folded)
      if (upTo) meta.put(upTo, 'folded')
      meta.delete('carried')
      meta.put(next.meta, 'profile')
      meta.put(next.settings, 'settings')
      meta.put(next.forgotten ?? [], 'forgotten')
      meta.put(next.keys, 'keys')
      meta.put(next.items, 'items')
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
      await finish(inbox, upTo)
    },

    close() {
      lost = true
      db.close()
      inboxDb.close()
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

/** The inbox as a merge or a load read it: its entries and identity (none when it was not read). */
interface Inbox {
  waiting: unknown[]
  id: string | null
  /** `appended` when it was read. */
  seen: number
  /** The marks read just before it, and when (see `markPrefix`). */
  marks: string[]
  at: number
}

/** An inbox entry's id (its key), or 0 for a record without one. */
const entryId = (entry: unknown): number => {
  const id = (entry as { id?: unknown } | null)?.id
  return typeof id === 'number' && Number.isFinite(id) ? id : 0
}

const doubtful = (entry: unknown): boolean => isJournalEntry(entry) && entry.inFlight === true

/** How far the stored `folded` says `inbox` is folded in: 0 when it is about another inbox (one created anew). */
function foldedUpTo(folded: unknown, inbox: Inbox): number {
  const f = folded as Partial<Folded> | null | undefined
  return f && f.inbox === inbox.id && typeof f.upTo === 'number' && Number.isFinite(f.upTo) ? f.upTo : 0
}

/** What `folded` becomes once every entry read from `inbox` is folded in; null when it stays. */
function foldTo(inbox: Inbox, folded: unknown): Folded | null {
  if (inbox.id === null || !inbox.waiting.length) return null
  const before = foldedUpTo(folded, inbox)
  const upTo = Math.max(before, ...inbox.waiting.map(entryId))
  return upTo > before || (folded as Partial<Folded> | undefined)?.inbox !== inbox.id ? { inbox: inbox.id, upTo } : null
}

/** The events waiting to be folded in: those an upgrade carried over, and the inbox entries after `folded`. */
function unfolded(carried: unknown, inbox: Inbox, folded: unknown): unknown[] {
  const after = foldedUpTo(folded, inbox)
  return [...(Array.isArray(carried) ? carried : []), ...inbox.waiting.filter((entry) => entryId(entry) > after)]
}

/**
 * `entries` without the in-flight ones (see `JournalEntry.inFlight`) whose events the log already
 * holds (the write that held them committed after all), and, given `tombstones`, without those a
 * forget ruled out. Costs a read of the log only when there are in-flight entries, which is after
 * a page left in the middle of a write.
 */
async function pending(
  entries: unknown[],
  events: { index(name: 't'): { getAll(range: IDBKeyRange): Promise<CompactEvent[]> } } | null,
  tombstones: readonly Tombstone[] = [],
): Promise<unknown[]> {
  let fresh = entries
  if (tombstones.length) fresh = fresh.filter((entry) => !isJournalEntry(entry) || !buried(changeOf(entry.event, entry.weight), tombstones))
  const inFlight = fresh.filter((entry): entry is JournalEntry => doubtful(entry))
  if (!inFlight.length || !events) return fresh
  const times = inFlight.map((entry) => entry.event.t)
  const logged = await events.index('t').getAll(IDBKeyRange.bound(Math.min(...times), Math.max(...times)))
  const seen = new Set(logged.map((record) => signature(record.t, record.e, record.i)))
  const stored = new Set(inFlight.filter(({ event }) => seen.has(signature(event.t, event.type, event.item.id))))
  return fresh.filter((entry) => !stored.has(entry as JournalEntry))
}

/** Waits for `opening`, or gives up after `timeoutMs` (another tab holding an older version open). */
async function withTimeout<T extends { close(): void }>(opening: Promise<T>, name: string, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`opening IndexedDB "${name}" timed out: another tab blocks the upgrade`)), timeoutMs)
  })
  try {
    return await Promise.race([opening, timeout])
  } catch (error) {
    opening.then((d) => d.close(), () => {})
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Deletes the whole database and its inbox, if there are any. Other tabs close their connections when asked (see
 * `blocking`); a tab running old code that holds on would block the deletion, so after `timeoutMs`
 * this rejects, while the browser keeps the deletion queued until that tab lets go. `unless`, checked
 * just before the deletion is issued, calls it off (an opt-in elsewhere meanwhile: see startup.ts).
 */
export async function deleteIdb(name: string, timeoutMs = 3000, unless?: () => boolean): Promise<void> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) return
  for (const mark of readMarks(name) ?? []) removeMark(name, mark)
  let names = [name, inboxName(name)]
  // Checking first keeps a reload of an opted-out page from touching IndexedDB at all.
  if (typeof indexedDB.databases === 'function') {
    const existing = new Set((await indexedDB.databases()).map((db) => db.name))
    names = names.filter((n) => existing.has(n))
    if (!names.length) return
  }
  if (unless?.()) return
  let timer: ReturnType<typeof setTimeout> | undefined
  const deleting = Promise.all(names.map((n) => deleteDB(n)))
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deleting IndexedDB "${name}" waits for another tab to close it`)), timeoutMs)
  })
  try {
    await Promise.race([deleting, late])
  } finally {
    clearTimeout(timer)
  }
}
