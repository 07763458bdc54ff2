// The IndexedDB store's operations few visits use: forget(), and the reading and replacing of
// everything stored behind export() and import() (and a muted category's feeding). Loaded with
// import() on the first one (see `rare` in idbStore.ts).
import { applyChanges, isStoredItem, liveTombstones, normalizeSettings } from './records.js'
import type { Dump, Limits, ProfileMeta } from './store.js'
import type { StoredEvent, StoredItem, StoredKey } from '../types.js'
import { ignore, type ProfileRecord } from './idbSchema.js'
import { pending, readInbox, splitJournal, unfolded } from './inbox.js'
import { foldTo, transactionOf } from './idbMerge.js'
import { packItems, packKeys, packLog } from './packing.js'
import { unpackItems, unpackKeys, unpackLog } from './packed.js'
import { horizons, otherHalfLives, outdated, settle, type IdbContext } from './idbStore.js'

/** The stored profile's identity alone. */
const metaOf = ({ id, createdAt, halfLives }: ProfileRecord): ProfileMeta => ({ id, createdAt, halfLives })

/** {@link Store.forget}; `foldInbox` merges what waits in the inbox. */
export async function forget(x: IdbContext, doomed: ReadonlySet<string>, tombstones: readonly string[], limits: Limits, foldInbox: () => Promise<unknown>): Promise<void> {
  // Loaded before the transaction opens: one does not survive waiting for the network.
  const { planForget } = await import('./forgetting.js')
  // What waits in the inbox is folded in first, so that the plan sees it in the log. Entries
  // appended after that fold are buried by the tombstones written here (see `buried`).
  await foldInbox()
  const tx = transactionOf(x.c)('meta', 'readwrite')
  const [stored, log] = await Promise.all([tx.store.get('profile'), tx.store.get('log')])
  if (otherHalfLives(x, stored)) {
    tx.abort()
    throw outdated(x)
  }
  const record = (stored ?? x.createMeta()) as ProfileRecord
  const events = unpackLog(log)
  const plan = planForget(unpackKeys(record.keys, horizons(x)), events, doomed, limits)
  const next: ProfileRecord = { ...record, keys: packKeys(plan.put, horizons(x)) }
  next.forgotten = [...liveTombstones(record.forgotten, limits.now).live, ...tombstones.map((key) => ({ key, at: limits.now }))]
  if (plan.deleteItems.length) {
    const gone = new Set(plan.deleteItems)
    next.items = packItems(unpackItems(record.items).filter((item): item is StoredItem => isStoredItem(item) && !gone.has(item.id)))
  }
  tx.store.put(next, 'profile')
  const deleted = new Set(plan.deleteEvents)
  if (deleted.size) tx.store.put(packLog(events.filter((event) => !deleted.has(event))), 'log')
  await tx.done
}

export async function dump(x: IdbContext): Promise<Dump> {
  // The inbox first, then the profile (see `load`).
  const inbox = readInbox(x.name)
  const store = transactionOf(x.c)('meta', 'readonly').store
  const [stored, log] = await Promise.all([store.get('profile'), store.get('log')])
  const record = (stored ?? x.createMeta()) as ProfileRecord
  const events = unpackLog(log)
  const journal = splitJournal(pending(unfolded(record.carried, inbox, record.folded), events))
  const forgotten = liveTombstones(record.forgotten).live
  // (The settings as the shopper last chose them: those still in the inbox, too.)
  const settings = applyChanges(normalizeSettings(record.settings), journal.settings)
  return { meta: metaOf(record), settings, keys: unpackKeys(record.keys, horizons(x)), events, items: unpackItems(record.items), journal: journal.events, forgotten }
}

export async function replace(x: IdbContext, next: Dump): Promise<void> {
  // What waits in the inbox belongs to the profile being replaced: `folded` moves past it.
  const inbox = readInbox(x.name)
  const tx = transactionOf(x.c)('meta', 'readwrite')
  const stored = (await tx.store.get('profile')) as ProfileRecord | undefined
  const upTo = foldTo(inbox, stored?.folded)
  const record: ProfileRecord = { ...next.meta, settings: next.settings, forgotten: next.forgotten ?? [] }
  const folded = upTo ?? stored?.folded
  if (folded) record.folded = folded
  try {
    record.keys = packKeys(next.keys as StoredKey[], horizons(x))
    record.items = packItems(next.items as StoredItem[])
    tx.store.put(record, 'profile')
    tx.store.put(packLog(next.events as StoredEvent[]), 'log')
  } catch (error) {
    // A put that throws (a value the database refuses) does not abort by itself: what was put
    // before it would commit. The whole replace is one transaction, and it fails as one.
    tx.abort()
    await tx.done.catch(ignore)
    throw error
  }
  await tx.done
  settle(x, inbox, upTo)
}
