// The IndexedDB store: the Store operations on a profile database and its inbox (in localStorage).
// The connection is idbConnection.ts's, the inbox inbox.ts's, the writes idbMerge.ts's (through
// idb, loaded on the first write), and forget, export and import idbRare.ts's; here is the
// start-up read, and what the others read and write, and in what order.
import { applyChanges, liveTombstones, normalizeSettings } from './records.js'
import type { Limits, Loaded, ProfileMeta, Store } from './store.js'
import type { Folded, ProfileRecord } from './idbSchema.js'
import { openConnections, type Connections, type IdbCallbacks } from './idbConnection.js'
import { appendToInbox, doubtful, journalSettings, pending, readInbox, removeMarks, splitJournal, unfolded, type Inbox } from './inbox.js'
import { unpackItems, unpackKeys, unpackLog } from './packed.js'

export { deleteIdb, request, type IdbCallbacks, type LostReason } from './idbConnection.js'
export { inboxName } from './inbox.js'

export function sameHalfLives(a: unknown, b: readonly number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i])
}

/** The store's lazy parts, loaded with import() on first use. A test replaces an entry to make a download fail. */
export const idbParts = {
  /** The operations few visits use: forget, export, import. */
  rare: () => import('./idbRare.js'),
  /**
   * The writes. A page's first flush comes seconds after its first event, and the maintenance
   * sweep 5 s after start-up: reading the profile needs none of them. Until a write commits, what
   * the page tracked is pending, or in the inbox when the page goes; a settings change is in the
   * inbox as it is made, and shown from there.
   */
  writes: () => import('./idbMerge.js'),
}

/** What the operations of one store share. */
export interface IdbContext {
  c: Connections
  name: string
  createMeta: () => ProfileMeta
  limits: Limits
  /** Set once this page has read the profile: a later mismatch of half-lives is another page's doing. */
  loadedOnce: boolean
  /** The profile read last held events an older version left (`carried`): the next merge folds them in. */
  carried: boolean
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
  const c = await openConnections(name, callbacks, createMeta, timeoutMs)
  const x: IdbContext = { c, name, createMeta, limits, loadedOnce: false, carried: false }
  const store: Store = {
    kind: 'indexeddb',
    load: () => load(x),
    // Async only to reject: the write itself is done before this returns.
    append: async (changes, inFlight = []) => void appendToInbox(name, changes, inFlight),
    merge: async (limits, own = () => []) => (await idbParts.writes()).merge(x, limits, own),
    journalSettings: (changes) => journalSettings(name, changes),
    updateSettings: async (changes, drop) => (await idbParts.writes()).updateSettings(x, changes, drop),
    // Loaded before any transaction opens: one does not survive waiting for the network.
    forget: async (doomed, tombstones, limits) => (await idbParts.rare()).forget(x, doomed, tombstones, limits, () => store.merge(limits)),
    dump: async () => (await idbParts.rare()).dump(x),
    replace: async (next) => (await idbParts.rare()).replace(x, next),
    close: () => c.close(),
  }
  return store
}

/**
 * The stored profile has other half-lives than this page's, though it had this page's when it was
 * opened: a page started since (a deploy changed them) rebuilt it. That page owns it now; this one
 * lets go, as when a newer schema opens, rather than write values of another shape over it.
 */
export function outdated(x: IdbContext): Error {
  x.c.letGo('other half-lives')
  return new Error('the stored profile has other half-lives')
}

/** Whether `record` is a profile's, with half-lives other than this page's. */
export const otherHalfLives = (x: IdbContext, record: unknown): boolean =>
  !!record && typeof (record as ProfileMeta).id === 'string' && !sameHalfLives((record as ProfileMeta).halfLives, x.limits.model.halfLives)

export const horizons = (x: IdbContext): number => x.limits.model.halfLives.length

/**
 * Once `folded` is committed: the appends it lists go from the inbox. A page that goes before
 * leaves them to the next fold; being listed, they are not folded twice meanwhile.
 */
export function settle(x: IdbContext, inbox: Inbox, folded: Folded | null): void {
  if (folded) removeMarks(x.name, folded.map(([mark]) => mark).filter((mark) => inbox.has(mark)))
}

async function load(x: IdbContext): Promise<Loaded> {
  // The inbox first, then the profile: every append deleted from the inbox by then had been folded
  // into the keys read after it (see `settle`).
  const inbox = readInbox(x.name)
  return read(x, inbox, [...inbox.values()].some((entries) => entries.some(doubtful)))
}

/**
 * {@link Store.load}, once the inbox is read: one request, for the start-up record. `withLog`: the
 * event log is read as well, to tell which in-flight entries were written (see `pending`). Waiting
 * for the transaction's commit would only delay the page.
 */
async function read(x: IdbContext, inbox: Inbox, withLog: boolean): Promise<Loaded> {
  const [record, log] = (await x.c.read(withLog ? ['profile', 'log'] : ['profile'])) as [ProfileRecord | undefined, unknown]
  if (x.loadedOnce && otherHalfLives(x, record)) throw outdated(x)
  if (!record || typeof record.id !== 'string' || !sameHalfLives(record.halfLives, x.limits.model.halfLives)) {
    await (await idbParts.writes()).repairMeta(x, record)
    return load(x)
  }
  const entries = unfolded(record.carried, inbox, record.folded)
  if (!withLog && entries.some(doubtful)) return read(x, inbox, true)
  // Every stored tombstone: an event tracked before a forget never brings its key back.
  const journal = splitJournal(pending(entries, withLog ? unpackLog(log) : null, liveTombstones(record.forgotten).live))
  x.carried = !!record.carried
  x.loadedOnce = true
  // Settings changes still in the inbox are the shopper's latest: they show over the stored ones.
  const settings = applyChanges(normalizeSettings(record.settings), journal.settings)
  // (`meta`: the record itself, the engine reads nothing of it but the identity.)
  return { meta: record, settings, keys: unpackKeys(record.keys, horizons(x)), items: unpackItems(record.items), journal: journal.events }
}
