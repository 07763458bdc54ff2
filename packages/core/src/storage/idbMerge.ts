// The IndexedDB store's writes, through idb: folding the inbox and a page's own events into the
// stored profile, with the caps, retention and expiry enforced, in one read-write transaction of
// the profile database (`merge`); saving settings changes (`updateSettings`); writing a profile
// record that is missing or has other half-lives (`repairMeta`); and the transactions all of them,
// and the rare operations, open. A lazy part: loaded with import() on the first write (a flush,
// the maintenance sweep after start-up, a settings change, a forget), so a page reads its profile
// without it. A settings change does not wait for it: it is in the inbox, and shown, at once.
import { wrap } from 'idb'
import { Profile } from '../model/profile.js'
import { applyChanges, buried, isJournalEntry, isSettingsEntry, isStoredItem, liveTombstones, normalizeSettings } from './records.js'
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { markInUse, pruneKeys, TRIM_TO } from './caps.js'
import type { Limits, Merged, Settings, SettingsChange } from './store.js'
import type { StoredItem } from '../types.js'
import { ignore, type Db, type Folded, type ProfileRecord, type WriteTx } from './idbSchema.js'
import type { Connections } from './idbConnection.js'
import { packItems, packKeys, packLog } from './packing.js'
import { unpackItems, unpackKeys, unpackLog } from './packed.js'
import { foldedList, pending, readInbox, splitJournal, unfolded, type Inbox } from './inbox.js'
import { otherHalfLives, outdated, sameHalfLives, settle, type IdbContext } from './idbStore.js'

/**
 * A folded append's key is remembered this long after it was folded in, once it is gone: a tab
 * that read the inbox just before may be about to look for it, and another tab's copy of
 * localStorage may still show it for a moment; neither must fold it in again.
 */
const FOLDED_LIFE = 60_000

/**
 * What `folded` becomes once every append in `inbox` (or those of `marks`) is folded in: a list of
 * `[key, when]`, those appends and the earlier ones still in the inbox or folded less than
 * `FOLDED_LIFE` ago. The inbox is read before the transaction that writes this reads `folded`: an
 * append folded in and deleted by another tab in between is still listed then. Null when the list
 * stays as it is. (Here, not in inbox.ts: only writes need it, and a page starts without them.)
 */
export function foldTo(inbox: Inbox, folded: unknown, marks: Iterable<string> = inbox.keys()): [string, number][] | null {
  const before = foldedList(folded)
  const now = Date.now()
  const next: [string, number][] = [...before].filter(([mark, at]) => inbox.has(mark) || at > now - FOLDED_LIFE)
  for (const mark of marks) if (!before.has(mark)) next.push([mark, now])
  return next.length === before.size && next.every(([mark]) => before.has(mark)) ? null : next
}

/**
 * {@link Store.merge}. With nothing to fold in and no sweep asked for, no transaction is opened.
 */
export async function merge(x: IdbContext, limits: Limits, own: () => readonly Change[]): Promise<Merged> {
  // The inbox is read before `own` hands over its events: should the page go while this write is
  // under way, the copies it journals are for the next merge, which finds them in the log (see
  // `pending`). Before the transaction reads `folded`, too (see `foldTo`).
  const inbox = readInbox(x.name)
  // Taken as the transaction is issued (below, in the same task).
  const mine = own()
  if (!mine.length && !inbox.size && !limits.maintenance && !x.carried) return { folded: 0, removed: 0 }
  const tx = transactionOf(x.c)('meta', 'readwrite', { durability: 'relaxed' })
  const { merged, upTo } = await mergeIn(tx, inbox, mine, limits, (record) => {
    if (otherHalfLives(x, record)) throw outdated(x)
    return (record ?? x.createMeta()) as ProfileRecord
  })
  x.carried = false
  settle(x, inbox, upTo)
  return merged
}

/**
 * {@link Store.updateSettings}: the settings changes waiting in the inbox, every tab's, oldest
 * first, then `changes`, in one read-modify-write, so two tabs muting at once both keep their
 * mute, and a mute whose write failed cannot come back after the unmute that followed it. The
 * appends it saves are marked folded, as a merge marks those it folds.
 */
export async function updateSettings(x: IdbContext, changes: readonly SettingsChange[], drop?: (key: string) => boolean): Promise<Settings> {
  // The inbox before the transaction reads `folded` (see `foldTo`).
  const inbox = readInbox(x.name)
  const marks = settingsMarks(inbox)
  const tx = transactionOf(x.c)('meta', 'readwrite')
  const { settings, upTo } = await atomically(tx, async () => {
    const record = ((await tx.store.get('profile')) ?? x.createMeta()) as ProfileRecord
    const waiting = splitJournal(unfolded(undefined, new Map(marks.map((mark) => [mark, inbox.get(mark)!])), record.folded)).settings
    const settings = applyChanges(normalizeSettings(record.settings), [...waiting, ...changes], drop)
    const upTo = foldTo(inbox, record.folded, marks)
    tx.store.put(upTo ? { ...record, settings, folded: upTo } : { ...record, settings }, 'profile')
    return { settings, upTo }
  })
  settle(x, inbox, upTo)
  return settings
}

/** The marks of the appends in `inbox` that hold settings changes only (see `appendSettings`). */
const settingsMarks = (inbox: Inbox): string[] => [...inbox].filter(([, entries]) => entries.length > 0 && entries.every(isSettingsEntry)).map(([mark]) => mark)

/**
 * Writes the profile's record when it is missing (a database an older version created, or one
 * emptied by something else: a new one gets its record as it is created), or when its values
 * belong to other half-lives (a deploy changed them) — then they are carried over to the new ones.
 */
export async function repairMeta(x: IdbContext, read: ProfileRecord | undefined): Promise<void> {
  const { halfLives } = x.limits.model
  // The repair is loaded first: a transaction does not survive waiting for the network.
  const repair = read && typeof read.id === 'string' ? await import('./idbRepair.js') : null
  const tx = transactionOf(x.c)('meta', 'readwrite')
  const record = (await tx.store.get('profile')) as ProfileRecord | undefined
  if (!record || typeof record.id !== 'string') {
    tx.store.put({ ...record, ...x.createMeta() }, 'profile')
  } else if (repair && !sameHalfLives(record.halfLives, halfLives)) {
    // (Without `repair`, another page wrote the profile meanwhile: the next load comes back here.)
    // Every stored interest is kept: each new horizon starts from the stored one nearest to it.
    const from = Array.isArray(record.halfLives) ? record.halfLives : []
    tx.store.put({ ...record, halfLives: [...halfLives], keys: repair.repackHorizons(record.keys, from, halfLives) }, 'profile')
  }
  await tx.done
}

/**
 * `db.transaction` through idb on connection `c`, refused once the connection is let go of, for
 * transactions whose failure is always observed: when our own code throws half-way (or the
 * browser aborts), `done` rejects after the caller has stopped listening, and an unhandled
 * rejection would reach the storefront's error reporting. (idb wraps a connection once.)
 */
export function transactionOf(c: Connections): Db['transaction'] {
  return ((...args: unknown[]) => {
    const db = wrap(c.db()) as unknown as Db
    const tx = (db.transaction as (...a: unknown[]) => { done: Promise<void> }).apply(db, args)
    tx.done.catch(ignore)
    return quietWrites(tx)
  }) as Db['transaction']
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
          const write = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
          write.catch(ignore)
          return write
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
 * Runs `body` in `tx` and waits for the commit. When `body` throws half-way, the transaction is
 * aborted: an exception in a promise continuation does not abort it by itself, and the writes
 * already issued would commit without the rest.
 */
export async function atomically<T>(tx: WriteTx, body: () => Promise<T>): Promise<T> {
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

/**
 * Folds what `inbox` read (the entries `folded` does not cover yet) and `mine` into the profile in
 * `tx`, and enforces `limits`. `check` is given the stored profile record first and throws when
 * this page must not write it; it returns the record to write on (a new one when none is stored). Read, fold and write back inside one transaction: tabs merging at
 * once are serialized by IndexedDB, and each inbox entry is folded in exactly once, by whichever
 * tab moves `folded` past it. Two records are read and, when they changed, written back.
 */
export function mergeIn(tx: WriteTx, inbox: Inbox, mine: readonly Change[], limits: Limits, check: (record: unknown) => ProfileRecord): Promise<{ merged: Merged; upTo: Folded | null }> {
  const meta = tx.objectStore('meta')
  return atomically(tx, async () => {
    const [stored, log] = await Promise.all([meta.get('profile'), meta.get('log')])
    const record = check(stored)
    const next: ProfileRecord = { ...record }
    const horizons = limits.model.halfLives.length
    // A forgotten key's name must not outstay its tombstone.
    const { live: tombstones, stale } = liveTombstones(record.forgotten, limits.now)
    if (stale) next.forgotten = tombstones
    const logged = unpackLog(log)
    const changes: Change[] = []
    const journal = splitJournal(pending(unfolded(record.carried, inbox, record.folded), logged))
    for (const entry of journal.events) {
      if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
    }
    // Settings changes another page journaled (its write failed, or it went first) are saved too.
    if (journal.settings.length) next.settings = applyChanges(normalizeSettings(record.settings), journal.settings)
    delete next.carried
    changes.push(...mine)
    const kept = changes.filter((change) => !buried(change, tombstones))

    let events = logged.filter((event) => event.t >= limits.cutoff)
    const { items, removed: marksRemoved } = liveMarks(unpackItems(record.items), limits)
    let marked = marksRemoved > 0
    const profile = new Profile(limits.model)
    profile.load(unpackKeys(record.keys, horizons))
    for (const change of kept) {
      fold(profile, change)
      events.push(change.event)
      if (markItem(items, change.event)) marked = true
    }
    // Trimmed to a share of the cap, so that trims come every few dozen events.
    if (events.length > limits.maxEvents) events = events.slice(events.length - Math.floor(limits.maxEvents * TRIM_TO))
    if (marked) next.items = packItems(items.values())
    const upTo = foldTo(inbox, record.folded)
    if (upTo) next.folded = upTo
    const pruned = pruneKeys(profile, limits)
    if (kept.length || pruned.length) next.keys = packKeys(profile.records(), horizons)
    if (stale || marked || upTo || kept.length || pruned.length || journal.settings.length || record.carried !== undefined) meta.put(next, 'profile')
    if (kept.length || events.length < logged.length) meta.put(packLog(events), 'log')
    return { merged: { folded: kept.length, removed: marksRemoved + pruned.length }, upTo }
  })
}

/** The item marks still in use (see `markInUse`), by item id, and how many others there were. */
function liveMarks(marks: unknown[], limits: Limits): { items: Map<string, StoredItem>; removed: number } {
  let removed = 0
  const items = new Map<string, StoredItem>()
  for (const item of marks) {
    if (isStoredItem(item) && markInUse(item, limits)) items.set(item.id, item)
    else removed++
  }
  return { items, removed }
}
