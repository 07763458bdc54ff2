import { nanoid } from 'nanoid'
import { globalPrivacyControl, initialConsent, markerKey, readMarker, writeMarker } from './privacy/consent.js'
import { deleteIdb, openIdbStore, type LostReason } from './storage/idbStore.js'
import { findShift, listInterests, selectInterests } from './model/interests.js'
import { checkLimit, checkOptions, describe, invalid } from './errors.js'
import { DIMENSIONS, itemFacts, keysOf, normalizeKey, underAny } from './model/keys.js'
import { createMemoryStore } from './storage/memoryStore.js'
import { resolveOptions } from './options.js'
import { DAY, Profile, type Model } from './model/profile.js'
import { prepare, rankItems, reasonFor, type RankContext } from './model/rank.js'
import { DEFAULT_SETTINGS, SCHEMA_VERSION, type Limits, type Loaded, type ProfileMeta, type Settings, type Store } from './storage/store.js'
import { changeOf, EVENT_TYPES, fold, isEventType, markItem, type Change } from './model/events.js'
import { isJournalEntry, isStoredItem } from './storage/records.js'
import { readExport } from './storage/exchange.js'
import { createTabSync, type TabMessage } from './sync/tabSync.js'
import { createVisit } from './live/visit.js'
import type {
  ConsentState,
  EventType,
  Interest,
  InterestsOptions,
  Item,
  Palate,
  PalateOptions,
  ProfileExport,
  RankOptions,
  Snapshot,
  StoredEvent,
  StoredItem,
  StoredKey,
} from './types.js'

/** A timer that does not keep a Node process (server rendering, a replay) alive on its own. */
function later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(run, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

/**
 * Pending events are written this long after the first one, or at once when the page hides or
 * closes. Every write is one transaction whose cost is mostly per record touched: a burst of
 * browsing shares one, and a key seen five times in it is read and written once.
 */
const FLUSH_DELAY = 5000
/** Another tab's write is read back after this pause, so a burst of writes costs one read. */
const RELOAD_DELAY = 50
/** Events kept in memory only (sensitive, or before consent) are bounded like the stored log. */
const MAX_LOCAL = 200
/** A failed write is retried after 2 s, then 4, 8… up to 5 minutes. */
const RETRY_FIRST = 2000
const RETRY_LAST = 5 * 60_000
/** The maintenance sweep (retention, expiry) runs this long after the profile is ready, off the critical path. */
const MAINTENANCE_DELAY = 5000
/** A shift is only named once the long horizon has seen this many events: a newcomer is not shifting. */
const MIN_SHIFT_EVENTS = 10

/**
 * Creates a personalization instance. Nothing is opened or listened to until this is called, so
 * importing Palate during server rendering is safe.
 *
 * @example
 * const palate = createPalate({ consent: 'pending', sensitive: ['health'] })
 * palate.track('view', { id: 'sku-1', category: 'hiking/boots', tags: ['waterproof'] })
 * const shelf = palate.rank(products, { limit: 12 })
 *
 * @throws TypeError when an option is malformed (naming it and the bad value).
 */
export function createPalate(options: PalateOptions = {}): Palate {
  const config = resolveOptions(options)
  const { name } = config
  const model: Model = { halfLives: config.halfLives, prior: config.prior }
  const weightOf = (type: EventType): number => config.weights[type]
  /** Events waiting to be written are bounded too: while storage fails, the oldest wait no longer. */
  const maxPending = Math.max(config.maxEvents, MAX_LOCAL)
  /** An event in a sensitive category: it stays in this page's memory, never written. */
  const sensitiveEvent = (change: Change): boolean => underAny(change.event.item.category, config.sensitive)

  let lastNow = 0
  /** The injected clock, guarded: a clock returning garbage must not put NaN into scores. */
  function now(): number {
    const t = config.now()
    if (typeof t === 'number' && Number.isFinite(t)) return (lastNow = t)
    report(new Error(`options.now() returned ${describe(t)}; using the last good time`))
    return lastNow || Date.now()
  }
  function limits(): Limits {
    const t = now()
    return {
      model,
      weightOf,
      maxKeys: config.maxKeys,
      maxEvents: config.maxEvents,
      cutoff: t - config.retentionDays * DAY,
      marksCutoff: t - Math.max(config.retentionDays, config.satiationDays) * DAY,
      now: t,
    }
  }
  function newMeta(): ProfileMeta {
    return { id: nanoid(), createdAt: now(), halfLives: [...model.halfLives] }
  }

  const reported = new Set<string>()
  /** Failures go to `onError`, or are logged once each; they never reach the storefront's code. */
  function report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error))
    if (config.onError) {
      try {
        config.onError(err)
      } catch {
        // A throwing handler must not break tracking either.
      }
    } else if (!reported.has(err.message)) {
      reported.add(err.message)
      console.warn('[palate]', err.message)
    }
  }

  /**
   * An open creates the database only while consent is still granted when the browser gets to it:
   * an opt-out meanwhile leaves nothing behind, not even for a moment.
   */
  const openStore = (): Promise<Store> => openIdbStore(name, newMeta, limits(), { onLost, mayCreate: () => consent === 'granted' })
  /**
   * In the usual case (consent granted by default, no GPC signal) IndexedDB is opened before the
   * shopper's stored choice is read: the first localStorage read of a page takes a few ms in
   * Chromium, and the database opens meanwhile. Should the choice be an opt-out, a database that did
   * not exist is not created, and one that did is closed and deleted as always.
   */
  let early: Promise<Store> | null =
    config.storage === 'indexeddb' && config.consent === 'granted' && !(config.respectGlobalPrivacyControl && globalPrivacyControl()) ? openStore() : null
  early?.catch(() => undefined)
  let consent: ConsentState = initialConsent(name, config.consent, config.respectGlobalPrivacyControl)
  let status: Snapshot['status'] = consent === 'denied' ? 'opted-out' : 'loading'
  let settings: Settings = { ...DEFAULT_SETTINGS, muted: [] }
  let muted = new Set<string>()
  /** Mutes of sensitive categories: this page only, never written. */
  const localMuted = new Set<string>()
  let profile = new Profile(model)
  /** Item marks (bought, dismissed), including those of `local` events. */
  let items = new Map<string, StoredItem>()
  /** The marks `local` events left, which must not reach a store. */
  let pageMarks = new Map<string, StoredItem>()
  /** Own events not yet written. */
  let pending: Change[] = []
  /** Events that are never written (sensitive, or before consent); replayed whenever the profile is rebuilt. */
  let local: Change[] = []
  /** Settings changed before there was a store to keep them (consent pending): written once there is. */
  let unsavedSettings: Array<(current: Settings) => Settings> = []
  let store: Store | null = null
  let closed = false
  /** Set once close() has written what it could: nothing may reopen the store after that. */
  let closedForGood = false
  /** Bumped when consent flips, so a start() overtaken by an opt-out drops what it opened. */
  let generation = 0

  // Store operations run one at a time: a read-back never interleaves with this tab's own write.
  let queue: Promise<unknown> = Promise.resolve()
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  // ---- change notification ----------------------------------------------------------------
  const listeners = new Set<() => void>()
  let snapshot: Snapshot | null = null
  let listedCache: { version: number; muted: Set<string>; at: number; listed: Interest[] } | null = null
  let notifyScheduled = false

  function changed(): void {
    snapshot = null
    if (notifyScheduled || listeners.size === 0) return
    notifyScheduled = true
    queueMicrotask(() => {
      notifyScheduled = false
      for (const listener of [...listeners]) {
        try {
          listener()
        } catch (error) {
          report(error)
        }
      }
    })
  }

  function listed(at: number): Interest[] {
    const c = listedCache
    if (c && c.version === profile.version && c.muted === muted && Math.abs(c.at - at) < 1000) return c.listed
    const list = consent === 'denied' ? [] : listInterests(profile.scores(at), muted)
    listedCache = { version: profile.version, muted, at, listed: list }
    return list
  }

  function context(at: number): RankContext {
    const base = { marks: items, now: at, satiation: config.satiationDays * DAY, dismissal: config.retentionDays * DAY }
    if (consent === 'denied') return { ...base, scores: new Map(), evidence: 0, muted, listed: [], marks: new Map() }
    return { ...base, scores: profile.scores(at), evidence: profile.evidence(at), muted, listed: listed(at) }
  }

  function buildSnapshot(): Snapshot {
    const at = now()
    const all = listed(at)
    const mature = profile.evidence(at) >= MIN_SHIFT_EVENTS
    return {
      status,
      consent,
      surprise: settings.surprise,
      muted: [...settings.muted],
      interests: all.slice(0, 10),
      shift: mature ? findShift(all, profile.scores(at), (key) => profile.states.get(key)?.f ?? at) : null,
    }
  }

  // ---- profile upkeep -----------------------------------------------------------------------
  function applyChange(target: Profile, change: Change, pageOnly = false): void {
    fold(target, change)
    markItem(items, change.event)
    if (pageOnly) markItem(pageMarks, change.event)
  }

  /**
   * The live profile is what the store holds (its keys, plus its journal not yet folded in), plus
   * this tab's unwritten and never-written events.
   */
  function rebuild(loaded: Loaded): void {
    const next = new Profile(model)
    const rejects = next.load(loaded.keys)
    const goodItems = loaded.items.filter(isStoredItem)
    const journal = loaded.journal.filter(isJournalEntry)
    const bad = rejects.length + loaded.items.length - goodItems.length + loaded.journal.length - journal.length
    if (bad) report(new Error(`ignored ${bad} stored record(s) of the wrong shape`))
    items = new Map(goodItems.map((item) => [item.id, item]))
    pageMarks = new Map()
    for (const { event, weight } of journal) applyChange(next, changeOf(event, weight))
    for (const change of pending) applyChange(next, change)
    for (const change of local) applyChange(next, change, true)
    profile = next
    // Settings changed before consent show at once; `grant` writes them.
    applySettings(unsavedSettings.reduce((current, update) => update(current), loaded.settings))
  }

  /** Settings as stored, plus this page's mutes of sensitive categories (never written). */
  function applySettings(stored: Settings): void {
    settings = { ...stored, muted: [...new Set([...stored.muted, ...localMuted])] }
    muted = new Set(settings.muted)
    changed()
  }

  function dropEverything(): void {
    profile = new Profile(model)
    items = new Map()
    pageMarks = new Map()
    pending = []
    local = []
    unsavedSettings = []
    localMuted.clear()
    settings = { ...DEFAULT_SETTINGS, muted: [] }
    muted = new Set()
    store?.close()
    store = null
    status = 'opted-out'
    visit.clear()
    changed()
  }

  // ---- storage ------------------------------------------------------------------------------
  async function start(): Promise<void> {
    const gen = ++generation
    try {
      if (consent === 'denied') {
        status = 'opted-out'
        visit.clear()
        // Let go of the database opened early, or deleting it would wait for this very tab. (Taken
        // at once: an opt-in meanwhile opens its own.)
        const opening = early
        early = null
        ;(await opening?.catch(() => null))?.close()
        // The GPC signal or a marker set elsewhere: whatever an earlier visit stored must go too.
        await deleteIdb(name).catch(report)
        return
      }
      if (consent === 'pending') {
        status = 'memory'
        return
      }
      let opened: Store
      let nextStatus: Snapshot['status'] = 'ready'
      if (config.storage === 'memory') {
        opened = createMemoryStore(newMeta(), model)
        nextStatus = 'memory'
      } else {
        try {
          const opening = early ?? openStore()
          early = null
          opened = await opening
        } catch (error) {
          // Overtaken by an opt-out, which aborted the creation of the database: not a failure.
          if (gen !== generation) return
          report(error)
          opened = createMemoryStore(newMeta(), model)
          nextStatus = 'memory'
        }
      }
      if (gen !== generation) {
        // Overtaken by an opt-out while opening: the database this open may have created goes too.
        opened.close()
        // (`consent` may have changed while opening; TypeScript cannot know that.)
        if ((consent as ConsentState) === 'denied' && opened.kind === 'indexeddb') await deleteIdb(name).catch(report)
        return
      }
      store = opened
      const loaded = await opened.load()
      // Overtaken meanwhile (an opt-out, or the connection lost and replaced): leave it to them.
      if (gen !== generation || store !== opened) return
      status = nextStatus
      rebuild(loaded)
      // Fold in what an earlier page left in the journal, and write what this one tracked so far.
      if (pending.length || loaded.journal.length) void flush()
      if (!closed) maintenanceTimer = later(() => void maintain(opened), MAINTENANCE_DELAY)
    } catch (error) {
      report(error)
      status = 'memory'
      store = null
    } finally {
      changed()
    }
  }

  function onLost(reason: LostReason): void {
    if (closed) return
    if (readMarker(name) === 'denied') {
      consent = 'denied'
      generation++
      dropEverything()
      return
    }
    // Another tab upgraded the database (a newer Palate), or the browser closed it: keep working
    // from memory in this tab; the next page load opens the new schema. The memory store starts
    // with what the database held — the live profile without this page's own unwritten events
    // (pending, page-only, or in a write under way), which are written to it — so that nothing
    // learned is lost when the profile is read back.
    report(new Error(`IndexedDB connection lost (${reason}); this tab keeps its profile in memory`))
    const base = new Profile(model)
    base.load(profile.records())
    const unwritten = [...pending, ...local, ...(writing?.batch ?? [])]
    for (const change of unwritten) fold(base, change, true)
    // A key only those events fed is left at zero: it goes, and its name (a sensitive one, say) too.
    const fed = new Set(unwritten.flatMap((change) => change.keys))
    base.delete([...fed].filter((key) => base.record(key)?.v.every((v) => Math.abs(v) < 1e-9)))
    const meta = newMeta()
    const memory = createMemoryStore(meta, model)
    void memory.replace({
      meta,
      settings: { ...settings, muted: settings.muted.filter((key) => !localMuted.has(key)) },
      keys: base.records(),
      events: [],
      items: [...items.values()].filter((item) => !pageMarks.has(item.id)),
      journal: [],
    })
    store = memory
    status = 'memory'
    changed()
  }

  let flushTimer: ReturnType<typeof setTimeout> | undefined
  function scheduleFlush(): void {
    if (flushTimer === undefined) flushTimer = later(() => void flush(), FLUSH_DELAY)
  }

  /** Counts journal writes, so a read-back that overlapped one can tell and try again. */
  let appends = 0

  /** A write folding this tab's events into the store, while it is under way. */
  interface Write {
    batch: Change[]
    /** Its events were journaled too, because the page was going away. */
    journaled: boolean
    failed: boolean
  }
  let writing: Write | null = null

  /**
   * Writes pending events. Normally in one transaction, taken in turn with the other store
   * operations. When the page may be going away (`urgent`: pagehide, a hidden tab, close), the
   * events are journaled first by a write that starts synchronously, before any await, so that it is
   * issued while the page still exists; folding them into the profile follows.
   */
  function flush(urgent = false): Promise<void> {
    if (flushTimer !== undefined) {
      clearTimeout(flushTimer)
      flushTimer = undefined
    }
    if (closedForGood) return Promise.resolve()
    // Still opening: write once the stored profile is read (events tracked meanwhile are pending).
    if (status === 'loading') return ready.then(() => (status === 'loading' ? undefined : flush(urgent)))
    const target = store
    if (!target) return serial(async () => undefined)
    if (urgent) {
      // A write under way may not commit before the page goes: its events are journaled too.
      const inFlight = writing && !writing.journaled && writing.batch.length ? writing : null
      if (pending.length || inFlight) return journal(target, inFlight)
    }
    return serial(() => {
      const batch = pending
      pending = []
      return write(target, batch)
    })
  }

  /** Journals pending events (and those of a write under way) at once, then folds them in. */
  function journal(target: Store, inFlight: Write | null): Promise<void> {
    const batch = pending
    pending = []
    appends++
    if (inFlight) inFlight.journaled = true
    let appended: Promise<void>
    try {
      appended = target.append(batch, inFlight?.batch)
    } catch (error) {
      appended = Promise.reject(error)
    }
    appended.catch(() => undefined)
    return serial(async () => {
      try {
        await appended
        // The journal is part of what every tab reads back, so the others can pick it up now.
        if (target.kind === 'indexeddb') sync.post({ type: 'changed' })
      } catch (error) {
        keep(batch)
        if (inFlight) {
          // Not journaled after all: if that write failed, its events wait for the next one.
          inFlight.journaled = false
          if (inFlight.failed) keep(inFlight.batch)
        }
        if (store === target) writeFailed(error, true)
        return
      }
      await write(target, [])
    })
  }

  /** Folds the journal and `batch` into the stored profile, in one transaction. */
  async function write(target: Store, batch: Change[]): Promise<void> {
    // Opted out, closed or replaced meanwhile: this store is not to be written any more.
    if (store !== target || closedForGood) return keep(batch)
    const job: Write = { batch, journaled: false, failed: false }
    writing = job
    try {
      await target.merge(limits(), batch)
      // Other tabs read back what changed (journaled events were announced when journaled).
      if (batch.length && target.kind === 'indexeddb') sync.post({ type: 'changed' })
      // The connection was lost meanwhile: the store that replaced it needs these events too.
      if (store !== target) keep(batch)
      else writeSucceeded(target)
    } catch (error) {
      job.failed = true
      // The store was let go of meanwhile (see `onLost`): the events go to the one that replaced it.
      if (store !== target && store && !closedForGood) {
        writing = null
        return await write(store, batch)
      }
      // Journaled events are safe in the journal, unless this page now writes elsewhere.
      if (!job.journaled || store !== target) keep(batch)
      // With no events of its own, what failed was folding in the journal: those are safe there.
      // A store let go of meanwhile has said so already (see `onLost`).
      if (store === target) writeFailed(error, batch.length > 0 && !job.journaled)
    } finally {
      writing = null
    }
  }

  /**
   * Events that could not be written wait (bounded) for the next write, to this store or to the one
   * that replaced it; they are in the live profile meanwhile.
   */
  function keep(batch: Change[]): void {
    if (!batch.length || consent !== 'granted' || closedForGood) return
    pending = batch.concat(pending).slice(-maxPending)
  }

  /** Whether writing is failing (quota, an aborted transaction…): reported once per spell. */
  let failing = false
  let retryDelay = RETRY_FIRST
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  function writeFailed(error: unknown, unsaved: boolean): void {
    if (!failing) {
      failing = true
      report(error)
    }
    // Events that could not be written live in this page only until a retry succeeds: say so.
    if (unsaved && status === 'ready') {
      status = 'memory'
      changed()
    }
    if (retryTimer === undefined && !closed) {
      retryTimer = later(() => {
        retryTimer = undefined
        void flush()
      }, retryDelay)
      retryDelay = Math.min(retryDelay * 2, RETRY_LAST)
    }
  }

  function writeSucceeded(target: Store): void {
    if (!failing) return
    failing = false
    retryDelay = RETRY_FIRST
    if (status === 'memory' && target.kind === 'indexeddb') {
      status = 'ready'
      changed()
    }
  }

  let maintenanceTimer: ReturnType<typeof setTimeout> | undefined
  /** Deletes what has outlived its time: old events and item marks, expired and faded keys. */
  function maintain(target: Store): Promise<void> {
    return serial(async () => {
      if (store !== target || closedForGood) return
      try {
        const { removed } = await target.merge({ ...limits(), maintenance: true })
        if (removed) scheduleReload()
      } catch (error) {
        if (store === target) report(error)
      }
    })
  }

  let reloadTimer: ReturnType<typeof setTimeout> | undefined
  function scheduleReload(): void {
    if (reloadTimer !== undefined) return
    reloadTimer = later(() => {
      reloadTimer = undefined
      void serial(async () => {
        const target = store
        if (!target || closed) return
        try {
          await readBack(target)
        } catch (error) {
          if (store === target) report(error)
        }
      })
    }, RELOAD_DELAY)
  }

  /**
   * Rebuilds the live profile from what `target` holds. A journal write that began after the read
   * is not in what was read, and its events are no longer pending: read again until none did.
   */
  async function readBack(target: Store): Promise<void> {
    for (;;) {
      const before = appends
      const loaded = await target.load()
      if (store !== target) return
      if (appends === before) return rebuild(loaded)
    }
  }

  // ---- other tabs and the page's lifecycle ---------------------------------------------------
  const sync = createTabSync(name, (message: TabMessage) => {
    if (closed) return
    if (message.type === 'opted-out') {
      consent = 'denied'
      generation++
      dropEverything()
    } else if (message.type === 'opted-in') {
      // Another tab's shopper said yes (after an opt-out, or to a pending consent banner).
      if (consent !== 'granted') void grant(false)
    } else if (message.type === 'changed') {
      if (message.forgotten?.length) dropFeeding(new Set(message.forgotten))
      scheduleReload()
    }
  })

  const onStorage = (event: StorageEvent): void => {
    if (event.key === markerKey(name) && event.newValue === 'denied' && consent !== 'denied') {
      consent = 'denied'
      generation++
      dropEverything()
    }
  }
  const onPageHide = (): void => void flush(true)
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') void flush(true)
    else changed() // time has passed while hidden: interests have decayed
  }
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('pagehide', onPageHide)
    window.addEventListener('storage', onStorage)
  }
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
    document.addEventListener('visibilitychange', onVisibility)
  }

  /** Drops this tab's unwritten events that fed forgotten keys, so they cannot bring them back. */
  function dropFeeding(doomed: ReadonlySet<string>): void {
    const keep = (change: Change): boolean => !change.keys.some((key) => doomed.has(key))
    pending = pending.filter(keep)
    local = local.filter(keep)
  }

  // The visit seed is kept only while the profile itself may be kept.
  const visit = createVisit(name, config.random, () => consent === 'granted' && config.storage === 'indexeddb')

  let ready = start()

  // ---- the public API ------------------------------------------------------------------------
  function track(type: EventType, item: Item): void {
    if (!isEventType(type)) {
      throw new TypeError(`[palate] track(): unknown event type ${describe(type)}; expected one of ${EVENT_TYPES.join(', ')}`)
    }
    const facts = itemFacts('track()', item)
    if (closed || consent === 'denied') return
    const event: StoredEvent = { t: now(), type, item: facts }
    visit.touch(event.t)
    const change: Change = { event, keys: keysOf(facts), weight: weightOf(type) }
    const pageOnly = consent === 'pending' || sensitiveEvent(change)
    applyChange(profile, change, pageOnly)
    if (pageOnly) {
      if (local.push(change) > MAX_LOCAL) local.shift()
    } else {
      // The oldest drop out of `pending` only; they stay in the live profile.
      if (pending.push(change) > maxPending) pending.shift()
      scheduleFlush()
    }
    changed()
  }

  function interests(opts: InterestsOptions = {}): Interest[] {
    checkOptions('interests()', opts)
    checkLimit('interests()', opts.limit)
    if (opts.dimension !== undefined && !DIMENSIONS.includes(opts.dimension)) {
      invalid('interests()', `dimension must be one of ${DIMENSIONS.join(', ')}`, opts.dimension)
    }
    return selectInterests(listed(now()), opts)
  }

  function rank<T extends Item>(candidates: readonly T[], opts: RankOptions = {}) {
    if (!Array.isArray(candidates)) invalid('rank()', 'items must be an array', candidates)
    checkOptions('rank()', opts)
    checkLimit('rank()', opts.limit)
    const surprise = opts.surprise ?? settings.surprise
    if (typeof surprise !== 'boolean' && !(typeof surprise === 'number' && surprise >= 0 && surprise <= 1)) {
      invalid('rank()', 'surprise must be true, false or a share between 0 and 1', opts.surprise)
    }
    const at = now()
    const share = surprise === true ? config.surpriseShare : surprise === false ? 0 : surprise
    return rankItems(candidates, context(at), { limit: opts.limit ?? Infinity, surprise: share, seed: share > 0 ? visit.seed(at) : 0 })
  }

  function explain(item: Item) {
    const { facts, keys } = prepare('explain()', item)
    return reasonFor(facts.id, keys, context(now()))
  }

  /** The key as the profile spells it (lower case, trimmed): what a storefront passes may be spelled as its catalog does. */
  function checkKey(where: string, key: unknown): string {
    const normalized = normalizeKey(key)
    if (!normalized) {
      throw new TypeError(`[palate] ${where}: ${describe(key)} is not an interest key; expected "category:…", "tag:…" or "brand:…"`)
    }
    return normalized
  }

  /** Whether a key is a category under a sensitive prefix: it is never written, nor sent to other tabs. */
  function sensitiveKey(key: string): boolean {
    return key.startsWith('category:') && underAny(key.slice(9), config.sensitive)
  }

  /**
   * Changes the settings once the stored ones are read, as a read-modify-write of what is stored
   * (so two tabs muting at once both keep their mute), in turn with the other store operations
   * (so a read-back queued earlier cannot put the old settings back).
   */
  async function changeSettings(update: (current: Settings) => Settings): Promise<void> {
    await ready
    await serial(async () => {
      const target = store
      if (!target) {
        if (consent === 'pending') unsavedSettings.push(update)
        return applySettings(update(settings))
      }
      try {
        applySettings(await target.updateSettings((current) => update({ ...current, muted: current.muted.filter((k) => !sensitiveKey(k)) })))
        if (target.kind === 'indexeddb') sync.post({ type: 'changed' })
      } catch (error) {
        report(error)
        applySettings(update(settings))
      }
    })
  }

  async function mute(raw: string): Promise<void> {
    const key = checkKey('mute()', raw)
    if (sensitiveKey(key)) {
      localMuted.add(key)
      return applySettings(settings)
    }
    await changeSettings((s) => (s.muted.includes(key) ? s : { ...s, muted: [...s.muted, key] }))
  }

  async function unmute(raw: string): Promise<void> {
    const key = checkKey('unmute()', raw)
    await ready
    if (!muted.has(key)) throw new RangeError(`[palate] unmute(): ${describe(raw)} is not muted`)
    if (localMuted.delete(key)) return applySettings({ ...settings, muted: settings.muted.filter((k) => k !== key) })
    await changeSettings((s) => ({ ...s, muted: s.muted.filter((k) => k !== key) }))
  }

  async function forget(raw: string): Promise<void> {
    const key = checkKey('forget()', raw)
    // The stored profile must be read first, or the forgotten key would come back with it.
    await ready
    const doomed = new Set<string>()
    for (const k of profile.states.keys()) if (k === key || (key.startsWith('category:') && k.startsWith(key + '/'))) doomed.add(k)
    if (!doomed.has(key)) throw new RangeError(`[palate] forget(): ${describe(raw)} is not in the profile`)
    dropFeeding(doomed)
    // The forgotten key alone names it all: every event that fed a narrower key fed this one too.
    // A sensitive key was never written: nothing to bury, and its name is not sent anywhere.
    const told = sensitiveKey(key) ? [] : [key]
    await serial(async () => {
      // Again on the store that replaced this one, should it be let go of meanwhile (see `onLost`).
      for (;;) {
        const target = store
        if (!target) {
          profile.delete(doomed)
          changed()
          return
        }
        try {
          await target.forget(doomed, told, limits())
          if (target.kind === 'indexeddb') sync.post({ type: 'changed', forgotten: told })
          return await readBack(target)
        } catch (error) {
          if (store !== target) continue
          report(error)
          throw error
        }
      }
    })
  }

  async function exportProfile(): Promise<ProfileExport> {
    await flush()
    const target = store
    const dump = target ? await serial(() => target.dump()) : null
    return {
      format: 'palate-profile',
      schemaVersion: SCHEMA_VERSION,
      profileId: dump?.meta.id ?? null,
      createdAt: dump?.meta.createdAt ?? null,
      exportedAt: now(),
      consent,
      halfLives: [...model.halfLives],
      settings: dump ? dump.settings : { surprise: settings.surprise, muted: [...settings.muted] },
      keys: (dump?.keys ?? []) as StoredKey[],
      // Events still in the journal are stored too, just not yet folded into the interests.
      events: [...(dump?.events ?? []), ...(dump?.journal ?? []).filter(isJournalEntry).map((j) => j.event)] as StoredEvent[],
      items: (dump?.items ?? []) as StoredItem[],
      forgotten: dump?.forgotten ?? [],
    }
  }

  async function importProfile(data: ProfileExport): Promise<void> {
    if (consent !== 'granted') throw new Error(`[palate] import(): consent is ${consent}; importing a profile needs consent granted`)
    await ready
    const target = store
    if (!target) throw new Error('[palate] import(): the profile is not available')
    const { meta } = await serial(() => target.load())
    const { dump, sameHorizons } = readExport(data, model.halfLives, config.sensitive, meta)
    if (!sameHorizons) {
      // Values of other horizons cannot be converted: rebuild them from the imported log.
      const rebuilt = new Profile(model)
      for (const event of dump.events as StoredEvent[]) fold(rebuilt, changeOf(event, weightOf(event.type)))
      dump.keys = rebuilt.records()
    }
    dump.meta = { ...dump.meta, halfLives: [...model.halfLives] }
    pending = []
    await serial(async () => {
      await target.replace(dump)
      // The caps hold for an imported profile too; expiry is left to the regular sweep, so that an
      // import restores exactly what was exported.
      await target.merge(limits())
      if (target.kind === 'indexeddb') sync.post({ type: 'changed' })
      await readBack(target)
    })
  }

  async function optOut(): Promise<void> {
    consent = 'denied'
    generation++
    writeMarker(name, 'denied')
    sync.post({ type: 'opted-out' })
    dropEverything()
    await serial(async () => {
      try {
        await deleteIdb(name)
      } catch (error) {
        report(error)
      }
    })
  }

  async function optIn(): Promise<void> {
    if (!writeMarker(name, 'granted')) {
      report(new Error('localStorage is unavailable: the consent choice lasts for this page only'))
    }
    await grant(true)
  }

  /** Consent granted, here or (`tell` false) in another tab. */
  async function grant(tell: boolean): Promise<void> {
    const wasGranted = consent === 'granted'
    if (tell && !wasGranted) sync.post({ type: 'opted-in' })
    if (wasGranted && (store || status === 'loading')) {
      // Confirmed again (a consent banner on load, say): the store is open or opening already.
      await ready
      await flush()
      return
    }
    consent = 'granted'
    // Before consent, events stayed in memory; now the page's non-sensitive ones may be kept.
    pending = pending.concat(local.filter((change) => !sensitiveEvent(change)))
    local = local.filter(sensitiveEvent)
    status = 'loading'
    changed()
    // After whatever is queued — an opt-out's deletion above all — and after the start before it
    // (which may be deleting what an earlier visit stored), so the new database is not deleted
    // from under it.
    const previous = ready
    ready = serial(async () => {
      await previous
      await start()
    })
    await ready
    // What the shopper chose before consent (shown since the profile was read) is written now.
    const chosen = unsavedSettings
    unsavedSettings = []
    for (const update of chosen) await changeSettings(update)
  }

  const palate: Palate = {
    get ready() {
      return ready
    },
    track,
    interests,
    rank,
    explain,
    async setSurprise(on: boolean) {
      if (typeof on !== 'boolean') invalid('setSurprise()', 'expected true or false', on)
      await changeSettings((s) => ({ ...s, surprise: on }))
    },
    consent: () => consent,
    async setConsent(state) {
      if (state === 'denied') return optOut()
      if (state === 'granted') return optIn()
      invalid('setConsent()', "expected 'granted' or 'denied'", state)
    },
    optOut,
    optIn,
    forget,
    mute,
    unmute,
    export: exportProfile,
    import: importProfile,
    subscribe(listener: () => void) {
      if (typeof listener !== 'function') invalid('subscribe()', 'listener must be a function', listener)
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    getSnapshot() {
      return (snapshot ??= buildSnapshot())
    },
    flush: () => flush(),
    close() {
      if (closed) return
      closed = true
      // Whatever was tracked is still written, even when close() comes before the open finished
      // (and journaled at once: close() may be the page going away).
      const done = flush(true).then(() => {
        closedForGood = true
        store?.close()
        sync.close()
      })
      if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
        window.removeEventListener('pagehide', onPageHide)
        window.removeEventListener('storage', onStorage)
      }
      if (typeof document !== 'undefined' && typeof document.removeEventListener === 'function') {
        document.removeEventListener('visibilitychange', onVisibility)
      }
      clearTimeout(reloadTimer)
      clearTimeout(maintenanceTimer)
      clearTimeout(retryTimer)
      listeners.clear()
      void done
    },
  }
  return palate
}
