// Start-up: opening the store (IndexedDB early, while the consent marker is read; memory as the
// fallback), reading the profile, and what happens when the connection is lost mid-visit. The
// memory store and the recovery are lazy parts (see lazy.ts): most visits never need them.
import { globalPrivacyControl, readDeniedDb, readMarker } from '../privacy/consent.js'
import { deleteIdb, openIdbStore, type LostReason } from '../storage/idbStore.js'
import type { Store } from '../storage/store.js'
import type { ConsentState, Snapshot } from '../types.js'
import type { Engine } from './engine.js'
import { lazyParts, loadPart } from './lazy.js'

export type Startup = ReturnType<typeof createStartup>

/** What one instance's start-up keeps between its starts (an opt-in starts again). */
interface Opening {
  /** The IndexedDB open issued at once (see `createStartup`), until a start takes it. */
  early: Promise<Store> | null
  /** Whether the latest start found the second opt-out marker (see `cleanUp`). */
  deniedInDb: boolean
}

/**
 * In the usual case (consent granted by default, no GPC signal) IndexedDB is opened before the
 * shopper's stored choice is read: the first localStorage read of a page takes a few ms in
 * Chromium, and the database opens meanwhile. Should the choice be an opt-out, a database that did
 * not exist is not created, and one that did is closed and deleted as always.
 */
export function createStartup(e: Engine) {
  const { config } = e
  const early = config.storage === 'indexeddb' && config.consent === 'granted' && !(config.respectGlobalPrivacyControl && globalPrivacyControl()) ? openStore(e) : null
  early?.catch(() => undefined)
  const opening: Opening = { early, deniedInDb: false }
  return { start: () => start(e, opening) }
}

/**
 * An open creates the database only while consent is still granted when the browser gets to it:
 * an opt-out meanwhile leaves nothing behind, not even for a moment.
 */
function openStore(e: Engine): Promise<Store> {
  return openIdbStore(e.config.name, e.newMeta, e.limits(), { onLost: (reason) => onLost(e, reason), mayCreate: () => e.consent === 'granted' })
}

/**
 * Deletes what an open overtaken by a denial may have left, unless the shopper has opted in again
 * since (in another tab, say, whose new profile this must not delete). The marker is read just
 * before the deletion is issued; an opt-in writes it before it opens, so IndexedDB, which takes
 * requests in order, runs this deletion before that open or not at all. (The deletion an opt-out
 * issues itself is not called off: it comes before that tab's own opt-in.) A 'granted' marker
 * found with the second marker is one an opt-out could not take away (localStorage refused it
 * then): an opt-in takes the second marker away before it opens anything, so it does not count.
 */
function cleanUp(e: Engine, opening: Opening): Promise<void> {
  const { name } = e.config
  return deleteIdb(name, undefined, () => !opening.deniedInDb && readMarker(name) === 'granted').catch(e.report)
}

/** Consent denied at start (the GPC signal or a marker set elsewhere): whatever an earlier visit stored must go too. */
async function startDenied(e: Engine, opening: Opening): Promise<void> {
  e.status = 'opted-out'
  e.live.visit.clear()
  // Let go of the database opened early, or deleting it would wait for this very tab. (Taken
  // at once: an opt-in meanwhile opens its own.)
  const early = opening.early
  opening.early = null
  ;(await early?.catch(() => null))?.close()
  await cleanUp(e, opening)
}

/** The store to use: IndexedDB, or memory when asked for or when IndexedDB fails. Null when overtaken. */
async function open(e: Engine, opening: Opening, gen: number): Promise<{ store: Store; status: Snapshot['status'] } | null> {
  // Not loadPart: a failed download ends in start(), which reports it once and goes on in the page.
  const memory = async () => ({ store: (await lazyParts.memory()).createMemoryStore(e.newMeta(), e.model), status: 'memory' as const })
  if (e.config.storage === 'memory') return memory()
  try {
    const store = opening.early ?? openStore(e)
    opening.early = null
    return { store: await store, status: 'ready' }
  } catch (error) {
    // Overtaken by an opt-out, which aborted the creation of the database: not a failure.
    if (gen !== e.generation) return null
    e.report(error)
    return memory()
  }
}

async function start(e: Engine, opening: Opening): Promise<void> {
  const gen = ++e.generation
  const appends = e.writer.appends()
  // The profile is read as soon as the early open is done, while the second marker is still
  // being looked for (below): start-up waits for the slower of the two instead of both in turn.
  // Should the marker say opted out, what was read is dropped and the database deleted as always.
  const reading = opening.early?.then((store) => store.load())
  reading?.catch(() => undefined)
  try {
    // An opt-out localStorage refused to keep is kept in a second marker (see `deniedDbName`),
    // read before anything is written; the early open meanwhile creates nothing that stays.
    opening.deniedInDb = e.consent !== 'denied' && (await readDeniedDb(e.config.name))
    if (opening.deniedInDb) {
      e.consent = 'denied'
      e.writer.drop()
      e.live.clear()
    }
    if (e.consent === 'denied') return await startDenied(e, opening)
    if (e.consent === 'pending') {
      e.status = 'memory'
      return
    }
    const opened = await open(e, opening, gen)
    if (!opened) return
    const { store } = opened
    if (gen !== e.generation) {
      // Overtaken by an opt-out while opening: the database this open may have created goes too.
      store.close()
      // (`consent` may have changed while opening; TypeScript cannot know that.)
      if ((e.consent as ConsentState) === 'denied' && store.kind === 'indexeddb') await cleanUp(e, opening)
      return
    }
    e.store = store
    // (The early open's store, unless it failed and memory stands in.)
    const loaded = await e.writer.settled(store, reading && store.kind === 'indexeddb' ? reading : store.load(), appends)
    // Overtaken meanwhile (an opt-out, or the connection lost and replaced): leave it to them.
    if (gen !== e.generation || e.store !== store) return
    e.writer.started(store)
    e.status = opened.status
    e.live.rebuild(loaded)
    e.live.visit.persisted(e.now())
    await e.live.learnFeeding(store)
    // Fold in what an earlier page left in the journal, and write what this one tracked so far.
    if (e.writer.pending.length || loaded.journal.length) void e.writer.flush()
    e.writer.scheduleMaintenance(store)
  } catch (error) {
    e.report(error)
    e.status = 'memory'
    e.store = null
  } finally {
    e.live.changed()
  }
}

function onLost(e: Engine, reason: LostReason): void {
  if (e.closed) return
  if (readMarker(e.config.name) === 'denied') return e.consentMachine.deny()
  // Another tab upgraded the database (a newer Palate), or the browser closed it: keep working
  // from memory in this tab; the next page load opens the new schema.
  e.report(new Error(`IndexedDB connection lost (${reason}); this tab keeps its profile in memory`))
  // Until the recovery part is here, what is tracked waits (pending), as while opening.
  e.store = null
  e.status = 'memory'
  e.live.changed()
  const gen = e.generation
  e.recovering = loadPart(e, 'recovery').then(
    ({ recoveryStore }) => {
      e.recovering = null
      if (e.closed || gen !== e.generation || e.store) return
      e.store = recoveryStore(e)
      e.live.changed()
    },
    // Reported: the tab goes on from its live profile alone.
    () => void (e.recovering = null),
  )
  void e.recovering.then(() => {
    if (e.writer.pending.length) void e.writer.flush()
  })
}
