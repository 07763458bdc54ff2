// The write path: batching this tab's events, journaling them at once when the page may be going
// away, folding them into the stored profile, retry with backoff while writes fail, the
// maintenance sweep, and reading back what other tabs wrote.
import type { Change } from '../model/events.js'
import { appendToInbox, removeMarks } from '../storage/inbox.js'
import type { Loaded, Store } from '../storage/store.js'
import { forIndexedDb, later, type Engine } from './engine.js'
import { MAX_LOCAL } from './liveProfile.js'

/**
 * Pending events are written this long after the first one, or at once when the page hides or
 * closes. Every write is one transaction whose cost is mostly per record touched: a burst of
 * browsing shares one, and a key seen five times in it is read and written once.
 */
const FLUSH_DELAY = 5000
/** Another tab's write is read back after this pause, so a burst of writes costs one read. */
const RELOAD_DELAY = 50
/** A failed write is retried after 2 s, then 4, 8… up to 5 minutes. */
const RETRY_FIRST = 2000
const RETRY_LAST = 5 * 60_000
/** The maintenance sweep (retention, expiry) runs this long after the profile is ready, off the critical path. */
const MAINTENANCE_DELAY = 5000

/** A write folding this tab's events into the store, while it is under way. */
interface Write {
  batch: Change[]
  /** Its transaction has been issued: from then on, its events may commit whatever the page does. */
  issued: boolean
  /** Its events were journaled too, because the page was going away. */
  journaled: boolean
  failed: boolean
}

export type Writer = ReturnType<typeof createWriter>

/** What the write path keeps between calls, besides the writer's own `pending` and `writing`. */
interface WriterState {
  e: Engine
  writer: Writer
  /** Events waiting to be written are bounded too: while storage fails, the oldest wait no longer. */
  maxPending: number
  flushTimer: ReturnType<typeof setTimeout> | undefined
  reloadTimer: ReturnType<typeof setTimeout> | undefined
  retryTimer: ReturnType<typeof setTimeout> | undefined
  maintenanceTimer: ReturnType<typeof setTimeout> | undefined
  /** Counts journal writes, so a read-back that overlapped one can tell and try again. */
  appends: number
  /** What was journaled while the profile was still being read: each append's inbox key and events (see `journalWhileLoading`). */
  early: [string, Change[]][]
  /** Whether writing is failing (quota, an aborted transaction…): reported once per spell. */
  failing: boolean
  retryDelay: number
}

export function createWriter(e: Engine) {
  const s = { e, maxPending: Math.max(e.config.maxEvents, MAX_LOCAL), appends: 0, early: [] as WriterState['early'], failing: false, retryDelay: RETRY_FIRST } as WriterState
  const writer = {
    /** Own events not yet written. */
    pending: [] as Change[],
    /** A write under way, if any. */
    writing: null as Write | null,

    /** Queues an event for the next write (the oldest drop out of `pending` only; they stay in the live profile). */
    enqueue(change: Change): void {
      if (writer.pending.push(change) > s.maxPending) writer.pending.shift()
      if (s.flushTimer === undefined) s.flushTimer = later(() => void writer.flush(), FLUSH_DELAY)
    },

    /**
     * Writes pending events. Normally in one transaction, taken in turn with the other store
     * operations. When the page may be going away (`urgent`: pagehide, a hidden tab, close), the
     * events are journaled first by a write that starts synchronously, before any await, so that it
     * is issued while the page still exists; folding them into the profile follows.
     */
    flush: (urgent = false): Promise<void> => flush(s, urgent),

    /** Starts the maintenance sweep off the critical path, once the profile is read. */
    scheduleMaintenance(target: Store): void {
      if (!e.closed) s.maintenanceTimer = later(() => void maintain(s, target), MAINTENANCE_DELAY)
    },

    /** Another tab wrote: read back after a pause, so a burst of writes costs one read. */
    scheduleReload: (): void => scheduleReload(s),

    /** How many journal writes this tab has begun: a read begun before the next one may lack its events. */
    appends: (): number => s.appends,

    /**
     * What `target` holds, from `reading` (a read begun when {@link appends} was `since`). A journal
     * write that began after the read is not in what was read, and its events are no longer pending:
     * read again until none did.
     */
    settled: (target: Store, reading: Promise<Loaded>, since: number): Promise<Loaded> => settled(s, target, reading, since),

    /** An opt-out: nothing this page tracked is written any more, nor taken back from the inbox. */
    drop(): void {
      writer.pending = []
      s.early = []
    },

    /**
     * Start-up is over: what was journaled while loading is the store's now, or, when the page
     * keeps its profile in memory after all (IndexedDB failed), this page's again, and taken back
     * from the inbox, where no store would ever fold it in.
     */
    started(target: Store): void {
      if (target.kind !== 'indexeddb') {
        removeMarks(e.config.name, s.early.map(([mark]) => mark))
        writer.pending = s.early.flatMap(([, changes]) => changes).concat(writer.pending)
      }
      s.early = []
    },

    /** Rebuilds the live profile from what `target` holds. */
    async readBack(target: Store): Promise<void> {
      const loaded = await writer.settled(target, target.load(), s.appends)
      if (e.store !== target) return
      e.live.rebuild(loaded)
      await e.live.learnFeeding(target)
    },

    stopTimers(): void {
      clearTimeout(s.reloadTimer)
      clearTimeout(s.maintenanceTimer)
      clearTimeout(s.retryTimer)
    },
  }
  s.writer = writer
  return writer
}

function flush(s: WriterState, urgent: boolean): Promise<void> {
  const { e, writer } = s
  if (s.flushTimer !== undefined) {
    clearTimeout(s.flushTimer)
    s.flushTimer = undefined
  }
  if (e.closedForGood) return Promise.resolve()
  if (e.status === 'loading') {
    // Still opening: the events tracked meanwhile are written once the stored profile is read,
    // unless the page may be going away first: then they are journaled now, or lost with it.
    if (urgent) journalWhileLoading(s)
    return e.ready.then(() => (e.status === 'loading' ? undefined : writer.flush(urgent)))
  }
  const target = e.store
  if (!target) return e.serial(async () => undefined)
  if (urgent) {
    // A write under way may not commit before the page goes: its events are journaled too.
    const w = writer.writing
    const unsaved = w && !w.journaled && w.batch.length ? w : null
    if (writer.pending.length || unsaved) return journal(s, target, unsaved)
    // Nothing to write: no read-write merge as the page goes (a journal left by an earlier
    // write is folded in by the next write or start-up); resolves after what is queued.
    return e.serial(async () => undefined)
  }
  return e.serial(() => {
    const batch = writer.pending
    writer.pending = []
    return write(s, target, batch)
  })
}

async function settled(s: WriterState, target: Store, reading: Promise<Loaded>, since: number): Promise<Loaded> {
  let loaded = await reading
  while (s.appends !== since && s.e.store === target) {
    since = s.appends
    loaded = await target.load()
  }
  return loaded
}

function scheduleReload(s: WriterState): void {
  const { e } = s
  if (s.reloadTimer !== undefined) return
  s.reloadTimer = later(() => {
    s.reloadTimer = undefined
    void e.serial(async () => {
      const target = e.store
      if (!target || e.closed) return
      try {
        await s.writer.readBack(target)
      } catch (error) {
        if (e.store === target) e.report(error)
      }
    })
  }, RELOAD_DELAY)
}

/**
 * Journals pending events before the profile is open, when IndexedDB will hold it: start-up folds
 * them in (it reads again if its read began before this, see `settled`), or a later page does.
 * Should IndexedDB fail to open after all, `started` takes them back into the page; should the
 * shopper turn out to have opted out, the inbox goes with the database and `drop` forgets them.
 */
function journalWhileLoading(s: WriterState): void {
  const { e, writer } = s
  // (Without IndexedDB at all, they stay this page's.)
  if (!writer.pending.length || !forIndexedDb(e)) return
  try {
    s.early.push([appendToInbox(e.config.name, writer.pending, []), writer.pending])
  } catch {
    // localStorage refused: they stay pending, for the write that follows start-up.
    return
  }
  writer.pending = []
  s.appends++
}

/** Journals pending events (and those of a write under way) at once, then folds them in. */
function journal(s: WriterState, target: Store, unsaved: Write | null): Promise<void> {
  const { e, writer } = s
  let batch = writer.pending
  writer.pending = []
  s.appends++
  let inFlight: Write | null = null
  if (unsaved && !unsaved.issued) {
    // That write has not issued its transaction yet (see `Store.merge`): it leaves these
    // events to the journal instead. Were both to hold them, another tab could fold the
    // journaled copies in before that write commits, and they would count twice.
    batch = unsaved.batch.concat(batch)
    unsaved.batch = []
  } else if (unsaved) {
    // Issued: it commits before any merge that can see the journaled copies, which are
    // dropped then if it did (see `JournalEntry.inFlight`).
    inFlight = unsaved
    inFlight.journaled = true
  }
  let appended: Promise<void>
  try {
    appended = target.append(batch, inFlight?.batch)
  } catch (error) {
    appended = Promise.reject(error)
  }
  appended.catch(() => undefined)
  return e.serial(async () => {
    try {
      await appended
      // The journal is part of what every tab reads back, so the others can pick it up now.
      e.sync.changed(target)
    } catch {
      keep(s, batch)
      if (inFlight) {
        // Not journaled after all: if that write failed, its events wait for the next one.
        inFlight.journaled = false
        if (inFlight.failed) keep(s, inFlight.batch)
      }
      // The journal refused them (no localStorage, or full): they are written the usual way, which
      // may not finish should the page be going.
      const waiting = writer.pending
      writer.pending = []
      return await write(s, target, waiting)
    }
    await write(s, target, [])
  })
}

/** Folds the journal and `batch` into the stored profile, in one transaction. */
async function write(s: WriterState, target: Store, batch: Change[]): Promise<void> {
  const { e, writer } = s
  // Opted out, closed or replaced meanwhile: this store is not to be written any more.
  if (e.store !== target || e.closedForGood) return keep(s, batch)
  const job: Write = { batch, issued: false, journaled: false, failed: false }
  writer.writing = job
  const take = (): Change[] => {
    job.issued = true
    return job.batch
  }
  try {
    const { folded } = await target.merge(e.limits(), take)
    // Other tabs read back what changed, journaled events folded in included.
    if (job.batch.length || folded) e.sync.changed(target)
    // The connection was lost meanwhile: the store that replaced it needs these events too.
    if (e.store !== target) keep(s, job.batch)
    else writeSucceeded(s, target)
  } catch (error) {
    job.failed = true
    // The store was let go of meanwhile (see `onLost`): the events go to the one that replaced it.
    if (e.store !== target && e.store && !e.closedForGood) {
      writer.writing = null
      return await write(s, e.store, job.batch)
    }
    // Journaled events are safe in the journal, unless this page now writes elsewhere.
    if (!job.journaled || e.store !== target) keep(s, job.batch)
    // With no events of its own, what failed was folding in the journal: those are safe there.
    // A store let go of meanwhile has said so already (see `onLost`).
    if (e.store === target) writeFailed(s, error, job.batch.length > 0 && !job.journaled)
  } finally {
    writer.writing = null
  }
}

/**
 * Events that could not be written wait (bounded) for the next write, to this store or to the one
 * that replaced it; they are in the live profile meanwhile.
 */
function keep(s: WriterState, batch: Change[]): void {
  const { e, writer } = s
  if (!batch.length || e.consent !== 'granted' || e.closedForGood) return
  writer.pending = batch.concat(writer.pending).slice(-s.maxPending)
}

function writeFailed(s: WriterState, error: unknown, unsaved: boolean): void {
  const { e } = s
  if (!s.failing) {
    s.failing = true
    e.report(error)
  }
  // Events that could not be written live in this page only until a retry succeeds: say so.
  if (unsaved && e.status === 'ready') {
    e.status = 'memory'
    e.live.changed()
  }
  if (s.retryTimer === undefined && !e.closed) {
    s.retryTimer = later(() => {
      s.retryTimer = undefined
      void s.writer.flush()
    }, s.retryDelay)
    s.retryDelay = Math.min(s.retryDelay * 2, RETRY_LAST)
  }
}

function writeSucceeded(s: WriterState, target: Store): void {
  const { e } = s
  if (!s.failing) return
  s.failing = false
  s.retryDelay = RETRY_FIRST
  if (e.status === 'memory' && target.kind === 'indexeddb') {
    e.status = 'ready'
    e.live.changed()
  }
}

/** Deletes what has outlived its time: old events and item marks, expired and faded keys. */
function maintain(s: WriterState, target: Store): Promise<void> {
  const { e } = s
  return e.serial(async () => {
    if (e.store !== target || e.closedForGood) return
    try {
      const { removed } = await target.merge({ ...e.limits(), maintenance: true })
      if (removed) s.writer.scheduleReload()
    } catch (error) {
      // Once per spell of failures, as for writes (see `writeFailed`): the sweep and the writes
      // fail for one cause (storage full, the write part not downloaded).
      if (e.store === target && !s.failing) {
        s.failing = true
        e.report(error)
      }
    }
  })
}
