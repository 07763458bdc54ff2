// The IndexedDB store (through idb): the Store operations on a profile database and its inbox (in
// localStorage). The connection is idbConnection.ts's, the inbox inbox.ts's, and the write
// transaction idbMerge.ts's; here is what each operation reads and writes, and in what order.
import { decodeEvent, encodeEvent, normalizeSettings } from './records.js'
import type { Change } from '../model/events.js'
import type { Dump, Limits, Loaded, Merged, ProfileMeta, Settings, Store } from './store.js'
import type { StoredEvent, StoredItem } from '../types.js'
import { ignore, PROFILE } from './idbSchema.js'
import { openConnections, type Connections, type IdbCallbacks } from './idbConnection.js'
import { appendToInbox, doubtful, foldTo, readInbox, removeMarks, unfolded, type Inbox } from './inbox.js'
import { mergeIn, pending, readList, readTombstones } from './idbMerge.js'

export { deleteIdb, type IdbCallbacks, type LostReason } from './idbConnection.js'
export { inboxName } from './inbox.js'

function sameHalfLives(a: unknown, b: readonly number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i])
}

/** What the operations of one store share. */
interface IdbContext {
  c: Connections
  name: string
  createMeta: () => ProfileMeta
  limits: Limits
  /** Set once this page has read the profile: a later mismatch of half-lives is another page's doing. */
  loadedOnce: boolean
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
  const c = await openConnections(name, callbacks, timeoutMs)
  const x: IdbContext = { c, name, createMeta, limits, loadedOnce: false }
  const store: Store = {
    kind: 'indexeddb',
    load: () => load(x),
    // Async only to reject: the write itself is done before this returns.
    append: async (changes, inFlight = []) => appendToInbox(name, changes, inFlight),
    merge: (limits, own = () => []) => merge(x, limits, own),
    updateSettings: (update) => updateSettings(x, update),
    forget: (doomed, tombstones, limits) => forget(x, doomed, tombstones, limits),
    dump: () => dump(x),
    replace: (next) => replace(x, next),
    close: () => c.close(),
  }
  return store
}

/**
 * The stored profile has other half-lives than this page's, though it had this page's when it was
 * opened: a page started since (a deploy changed them) rebuilt it. That page owns it now; this one
 * lets go, as when a newer schema opens, rather than write values of another shape over it.
 */
function outdated(x: IdbContext): Error {
  x.c.letGo('other half-lives')
  return new Error('the stored profile has other half-lives')
}

/** Whether `meta` is a profile's, with half-lives other than this page's. */
const otherHalfLives = (x: IdbContext, meta: unknown): boolean =>
  !!meta && typeof (meta as ProfileMeta).id === 'string' && !sameHalfLives((meta as ProfileMeta).halfLives, x.limits.model.halfLives)

/**
 * Writes the profile's meta when it is missing (a new database), or when the stored values belong
 * to other half-lives (a deploy changed them) — then they are carried over to the new ones.
 */
async function repairMeta(x: IdbContext, read: ProfileMeta | undefined): Promise<void> {
  const { halfLives } = x.limits.model
  // The repair is loaded first: a transaction does not survive waiting for the network.
  const repair = read && typeof read.id === 'string' ? await import('./idbRepair.js') : null
  const tx = x.c.transaction(['meta', 'events'], 'readwrite')
  const metaStore = tx.objectStore('meta')
  const meta = (await metaStore.get('profile')) as ProfileMeta | undefined
  if (!meta || typeof meta.id !== 'string') {
    metaStore.put(x.createMeta(), 'profile')
  } else if (repair && !sameHalfLives(meta.halfLives, halfLives)) {
    // (Without `repair`, another page wrote the profile meanwhile: the next load comes back here.)
    // Every stored interest is kept: each new horizon starts from the stored one nearest to it.
    const stored = await metaStore.get('keys')
    const from = Array.isArray(meta.halfLives) ? meta.halfLives : []
    metaStore.put(Array.isArray(stored) ? repair.convertHorizons(stored, from, halfLives) : [], 'keys')
    metaStore.put({ ...meta, halfLives: [...halfLives] }, 'profile')
  }
  await tx.done
}

/** {@link Store.merge}. */
async function merge(x: IdbContext, limits: Limits, own: () => readonly Change[]): Promise<Merged> {
  const tx = x.c.transaction(PROFILE, 'readwrite', { durability: 'relaxed' })
  // The inbox is read before `own` hands over its events: should the page go while this write is
  // under way, the copies it journals are for the next merge, which finds them in the log (see
  // `pending`). Before the transaction reads `folded`, too (see `foldTo`).
  const inbox = readInbox(x.name)
  const { merged, folded } = await mergeIn(tx, inbox, own(), limits, (meta) => {
    if (otherHalfLives(x, meta)) throw outdated(x)
  })
  settle(x, inbox, folded)
  return merged
}

/**
 * Once `folded` is committed: the appends it lists go from the inbox. A page that goes before
 * leaves them to the next fold; being listed, they are not folded twice meanwhile.
 */
function settle(x: IdbContext, inbox: Inbox, folded: [string, number][] | null): void {
  if (folded) removeMarks(x.name, folded.map(([mark]) => mark).filter((mark) => inbox.has(mark)))
}

async function load(x: IdbContext): Promise<Loaded> {
  // The inbox first, then the profile: every append deleted from the inbox by then had been folded
  // into the keys read after it (see `settle`).
  const inbox = readInbox(x.name)
  return read(x, inbox, [...inbox.values()].some((entries) => entries.some(doubtful)))
}

/**
 * {@link Store.load}, once the inbox is read. `withLog`: events read as well, to tell which
 * in-flight entries were written (see `pending`); the common case at start-up is one read-only
 * transaction of `meta` alone. Everything is read at once, and waiting for its commit would only
 * delay the page.
 */
async function read(x: IdbContext, inbox: Inbox, withLog: boolean): Promise<Loaded> {
  const tx = x.c.transaction(withLog ? PROFILE : ['meta'], 'readonly')
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
  if (x.loadedOnce && otherHalfLives(x, meta)) throw outdated(x)
  if (!meta || typeof meta.id !== 'string' || !sameHalfLives(meta.halfLives, x.limits.model.halfLives)) {
    await repairMeta(x, meta)
    return load(x)
  }
  const entries = unfolded(carried, inbox, folded)
  if (!withLog && entries.some(doubtful)) return read(x, inbox, true)
  const journal = await pending(entries, withLog ? tx.objectStore('events') : null, tombstones)
  x.loadedOnce = true
  return { meta, settings: normalizeSettings(settings), keys, items, journal }
}

async function updateSettings(x: IdbContext, update: (current: Settings) => Settings): Promise<Settings> {
  // Read-modify-write: two tabs muting at once both keep their mute.
  const tx = x.c.transaction('meta', 'readwrite')
  const next = update(normalizeSettings(await tx.store.get('settings')))
  tx.store.put(next, 'settings')
  await tx.done
  return next
}

async function forget(x: IdbContext, doomed: ReadonlySet<string>, tombstones: readonly string[], limits: Limits): Promise<void> {
  // Loaded before the transaction opens: one does not survive waiting for the network.
  const { planForget } = await import('./forgetting.js')
  // What waits in the inbox is folded in first, so that the plan sees it in the log. Entries
  // appended after that fold are buried by the tombstones written here (see `buried`).
  await merge(x, limits, () => [])
  const tx = x.c.transaction(PROFILE, 'readwrite')
  const meta = tx.objectStore('meta')
  const [profileMeta, records, marks, events, { live: buriedBefore }] = await Promise.all([
    meta.get('profile'),
    readList(meta, 'keys'),
    readList(meta, 'items'),
    tx.objectStore('events').getAll(),
    readTombstones(meta, limits.now),
  ])
  if (otherHalfLives(x, profileMeta)) {
    tx.abort()
    throw outdated(x)
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
}

async function dump(x: IdbContext): Promise<Dump> {
  // The inbox first, then the profile (see `load`).
  const inbox = readInbox(x.name)
  const tx = x.c.transaction(PROFILE, 'readonly')
  const meta = tx.objectStore('meta')
  const [profile, settings, keys, events, items, folded, carried, { live: forgotten }] = await Promise.all([
    meta.get('profile'),
    meta.get('settings'),
    readList(meta, 'keys'),
    tx.objectStore('events').getAll(),
    readList(meta, 'items'),
    meta.get('folded'),
    meta.get('carried'),
    readTombstones(meta),
  ])
  const journal = await pending(unfolded(carried, inbox, folded), tx.objectStore('events'))
  await tx.done
  return { meta: profile as ProfileMeta, settings: normalizeSettings(settings), keys, events: events.map((e) => decodeEvent(e) ?? e), items, journal, forgotten }
}

async function replace(x: IdbContext, next: Dump): Promise<void> {
  const tx = x.c.transaction(PROFILE, 'readwrite')
  const meta = tx.objectStore('meta')
  // What waits in the inbox belongs to the profile being replaced: it is counted as folded.
  const inbox = readInbox(x.name)
  const [folded] = await Promise.all([meta.get('folded'), tx.objectStore('events').clear()])
  const listed = foldTo(inbox, folded)
  if (listed) meta.put(listed, 'folded')
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
  settle(x, inbox, listed)
}
