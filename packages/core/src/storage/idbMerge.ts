// The write transaction of the IndexedDB store: folding the inbox and a page's own events into the
// stored profile, with the caps, retention and expiry enforced, in one read-write transaction of
// the profile database; and the reads it shares with the other operations (tombstones, the key and
// item lists, which in-flight inbox entries the log already holds).
import { Profile } from '../model/profile.js'
import { buried, encodeEvent, isJournalEntry, isStoredItem, type CompactEvent } from './records.js'
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { markInUse, pruneKeys, TRIM_TO } from './caps.js'
import { TOMBSTONE_LIFE, type JournalEntry, type Limits, type Merged, type Tombstone } from './store.js'
import type { StoredItem } from '../types.js'
import type { WriteTx } from './idbSchema.js'
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
 * Folds `inbox` (the appends `folded` does not list yet) and `mine` into the profile in `tx`, and
 * enforces `limits`. `check` is given the stored profile meta first and throws
 * when this page must not write it. Read, fold and write back inside one transaction: tabs merging
 * at once are serialized by IndexedDB, and each append is folded in exactly once, by whichever tab
 * first adds it to `folded`. Returns `folded` as written (null: unchanged).
 */
export function mergeIn(tx: WriteTx, inbox: Inbox, mine: readonly Change[], limits: Limits, check: (meta: unknown) => void): Promise<{ merged: Merged; folded: [string, number][] | null }> {
  const meta = tx.objectStore('meta')
  const eventStore = tx.objectStore('events')
  return atomically(tx, async () => {
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
    check(profileMeta)
    // A forgotten key's name must not outstay its tombstone.
    if (stale) meta.put(tombstones, 'forgotten')
    const changes: Change[] = []
    for (const entry of await pending(unfolded(carried, inbox, folded), eventStore)) {
      if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
    }
    if (carried !== undefined) meta.delete('carried')
    changes.push(...mine)
    const kept = changes.filter((change) => !buried(change, tombstones))

    for (const key of expired) eventStore.delete(key)
    const { items, removed: marksRemoved } = liveMarks(marks, limits)
    let marked = marksRemoved > 0
    const profile = new Profile(limits.model)
    profile.load(records)
    for (const change of kept) {
      fold(profile, change)
      eventStore.add(encodeEvent(change.event))
      if (markItem(items, change.event)) marked = true
    }
    if (marked) meta.put([...items.values()], 'items')
    const next = foldTo(inbox, folded)
    if (next) meta.put(next, 'folded')
    await trimLog(tx, eventCount - expired.length + kept.length, limits)
    const pruned = pruneKeys(profile, limits)
    if (kept.length || pruned.length) meta.put(profile.records(), 'keys')
    return { merged: { folded: kept.length, removed: marksRemoved + pruned.length }, folded: next }
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

/** Deletes the oldest events when the log, `events` long once this merge commits, is over its cap. */
async function trimLog(tx: WriteTx, events: number, limits: Limits): Promise<void> {
  if (events <= limits.maxEvents) return
  const eventStore = tx.objectStore('events')
  // Ids grow with time: the oldest events have the smallest.
  const oldest = await eventStore.getAllKeys(null, events - Math.floor(limits.maxEvents * TRIM_TO))
  if (oldest.length) eventStore.delete(IDBKeyRange.upperBound(oldest[oldest.length - 1]!))
}

/**
 * The stored tombstones (see `Store.forget`) of the right shape — those still live at `now`, when
 * given — and whether any others are still stored.
 */
export async function readTombstones(meta: { get(key: string): Promise<unknown> }, now?: number): Promise<{ live: Tombstone[]; stale: boolean }> {
  const stored = await meta.get('forgotten')
  if (!Array.isArray(stored)) return { live: [], stale: false }
  const live = stored.filter(
    (t): t is Tombstone => !!t && typeof t.key === 'string' && Number.isFinite(t.at) && (now === undefined || now - t.at < TOMBSTONE_LIFE),
  )
  return { live, stale: live.length < stored.length }
}

/** The stored interest keys or item marks (see `Schema.meta`): records of the wrong shape are the reader's to skip. */
export async function readList(meta: { get(key: string): Promise<unknown> }, name: 'keys' | 'items'): Promise<unknown[]> {
  const stored = await meta.get(name)
  return Array.isArray(stored) ? stored : []
}

/** Identifies an event in the log well enough to tell whether a journaled copy of it was stored. */
const signature = (t: number, type: string, id: string): string => `${t} ${type} ${id}`

/**
 * `entries` without the in-flight ones (see `JournalEntry.inFlight`) whose events the log already
 * holds (the write that held them committed after all), and, given `tombstones`, without those a
 * forget ruled out. Costs a read of the log only when there are in-flight entries, which is after
 * a page left in the middle of a write.
 */
export async function pending(
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
