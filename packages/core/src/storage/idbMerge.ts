// The write transaction of the IndexedDB store: folding the inbox and a page's own events into the
// stored profile, with the caps, retention and expiry enforced, in one read-write transaction of
// the profile database; and what it shares with the other operations (live tombstones, which
// in-flight inbox entries the log already holds).
import { Profile } from '../model/profile.js'
import { buried, isJournalEntry, isStoredItem } from './records.js'
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { markInUse, pruneKeys, TRIM_TO } from './caps.js'
import { TOMBSTONE_LIFE, type JournalEntry, type Limits, type Merged, type Tombstone } from './store.js'
import type { StoredEvent, StoredItem } from '../types.js'
import type { Folded, ProfileRecord, WriteTx } from './idbSchema.js'
import { packItems, packKeys, packLog, unpackItems, unpackKeys, unpackLog } from './packed.js'
import { doubtful, foldTo, unfolded, type Inbox } from './inbox.js'

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
    for (const entry of pending(unfolded(record.carried, inbox, record.folded), logged)) {
      if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
    }
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
    if (stale || marked || upTo || kept.length || pruned.length || record.carried !== undefined) meta.put(next, 'profile')
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

/**
 * The stored tombstones (see `Store.forget`) of the right shape — those still live at `now`, when
 * given — and whether any others are still stored.
 */
export function liveTombstones(stored: unknown, now?: number): { live: Tombstone[]; stale: boolean } {
  if (!Array.isArray(stored)) return { live: [], stale: false }
  const live = stored.filter(
    (t): t is Tombstone => !!t && typeof t.key === 'string' && Number.isFinite(t.at) && (now === undefined || now - t.at < TOMBSTONE_LIFE),
  )
  return { live, stale: live.length < stored.length }
}

/** Identifies an event well enough to tell whether a journaled copy of it was logged. */
const signature = ({ t, type, item }: StoredEvent): string => `${t} ${type} ${item.id}`

/**
 * `entries` without the in-flight ones (see `JournalEntry.inFlight`) whose events the log already
 * holds (the write that held them committed after all), and, given `tombstones`, without those a
 * forget ruled out. `logged` is the log, read only when there are in-flight entries, which is
 * after a page left in the middle of a write: null when it was not read.
 */
export function pending(entries: unknown[], logged: readonly StoredEvent[] | null, tombstones: readonly Tombstone[] = []): unknown[] {
  let fresh = entries
  if (tombstones.length) fresh = fresh.filter((entry) => !isJournalEntry(entry) || !buried(changeOf(entry.event, entry.weight), tombstones))
  const inFlight = fresh.filter((entry): entry is JournalEntry => doubtful(entry))
  if (!inFlight.length || !logged) return fresh
  const seen = new Set(logged.map(signature))
  const stored = new Set(inFlight.filter(({ event }) => seen.has(signature(event))))
  return fresh.filter((entry) => !stored.has(entry as JournalEntry))
}
