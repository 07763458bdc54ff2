// The shopper's settings ("surprise me", mutes): each change is journaled in the inbox and shown at
// once, then applied to what is stored, read and written back in one go, in turn with the other
// store operations; mutes of sensitive categories are kept in this page only. Not a lazy part: a
// switch the shopper flips must show at once, not after a download.
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import { journalSettings } from '../storage/inbox.js'
import { applyChanges } from '../storage/records.js'
import type { SettingsChange } from '../storage/store.js'
import { forIndexedDb, later, type Engine } from './engine.js'

/** A settings write that failed is tried again after 2 s, then 4, 8… up to 5 minutes, as events are. */
const RETRY_FIRST = 2000
const RETRY_LAST = 5 * 60_000
/** Each instance's retry, while one is due. */
const retries = new WeakMap<Engine, ReturnType<typeof setTimeout>>()
/**
 * Instances with settings a failed write left to save: changes journaled (see
 * `Store.journalSettings`) or kept in `unsavedSettings`, or a stored mute of what is now sensitive
 * to drop.
 */
const due = new WeakSet<Engine>()

/**
 * Changes the settings: journaled and shown at once, then, once the stored ones are read, applied
 * to what is stored (so two tabs muting at once both keep their mute), in turn with the other
 * store operations (so a read-back queued earlier cannot put the old settings back).
 */
export async function changeSettings(e: Engine, changes: readonly SettingsChange[], early = journal(e, changes)): Promise<void> {
  const { live } = e
  // `early`: journaled before anything is awaited (the profile's read, another write), so that a
  // tab closed right after the click keeps the change.
  if (early) {
    live.journaledSettings.push(...changes)
    live.applySettings(applyChanges(live.settings, changes))
  }
  await e.ready
  await e.serial(async () => {
    // (Its turn: what is written from here on, or read back, holds them.)
    if (early) live.journaledSettings.splice(0, changes.length)
    const target = e.store
    if (!target) {
      if (early) return
      if (e.consent === 'pending') live.unsavedSettings.push(...changes)
      live.applySettings(applyChanges(live.settings, changes))
    } else if (!(await write(e, changes, early && !!target.journalSettings))) retry(e, RETRY_FIRST)
    // A muted category takes with it the tags and brands only its items fed.
    await live.learnFeeding(target)
  })
}

/** Stored mutes of what is sensitive now: a sensitive name is never written, not even in an unmute. */
const sensitiveMute = (e: Engine) => (key: string) => sensitiveKey(key, e.config.sensitive, e.live.local)
const writable = (e: Engine, changes: readonly SettingsChange[]): SettingsChange[] => changes.filter(([what, value]) => what === 'surprise' || !sensitiveMute(e)(value))

/**
 * Journals `changes` at once, when they are for IndexedDB (consent granted, the profile open or
 * opening): true when they are in the inbox. Not while changes this page could not journal wait:
 * those are older, and must be saved first.
 */
function journal(e: Engine, changes: readonly SettingsChange[]): boolean {
  const kept = writable(e, changes)
  if (e.consent !== 'granted' || !kept.length || e.live.unsavedSettings.length) return false
  if (e.store) return e.store.journalSettings?.(kept) === true
  return e.status === 'loading' && forIndexedDb(e) && journalSettings(e.config.name, kept)
}

/**
 * Saves `changes` with those a failed write left, in order, in one go (a mute that failed and the
 * unmute after it end unmuted), journaling them first unless they are (`early`, in this store's
 * inbox). Journaled, they are saved from then on: the next write of any tab, or the next page,
 * saves them, and every read-back shows them. Changes the store could not journal stay unsaved,
 * kept in the page over what is read back (see `rebuild`) until a write saves them. Reports a
 * failure but while a retry is due, once per spell, as writes of events do.
 */
async function write(e: Engine, changes: readonly SettingsChange[], early = false): Promise<boolean> {
  const { live } = e
  const target = e.store
  if (!target) return true
  const all = writable(e, live.unsavedSettings.concat(early ? [] : changes))
  live.unsavedSettings = []
  const saved = all.length ? target.journalSettings?.(all) === true : early
  if (!early) live.applySettings(applyChanges(live.settings, changes))
  try {
    live.applySettings(await target.updateSettings(saved ? [] : all, sensitiveMute(e)))
    e.sync.changed(target)
    due.delete(e)
    clearTimeout(retries.get(e))
    retries.delete(e)
    return true
  } catch (error) {
    // An opt-out or a lost connection meanwhile, and the failure is theirs: the settings go with
    // the store (journaled, the inbox keeps them for the one replacing it), and nothing is told.
    if (e.store !== target || e.consent !== 'granted') return false
    // Once per spell; not when the writes already told of this outage (the status says `memory`),
    // nor after close() (the storefront let go of the connection itself).
    if (!retries.has(e) && e.status !== 'memory' && !e.closed) e.report(error)
    // Journaled, they are for the other tabs to show as well; else they wait in the page.
    if (saved) e.sync.changed(target)
    else live.unsavedSettings = all.concat(live.unsavedSettings)
    due.add(e)
    return false
  }
}

function retry(e: Engine, delay: number): void {
  if (retries.has(e) || e.closed) return
  const run = async (): Promise<void> => {
    // (The entry stays during the write, so that its failure is not reported again.)
    const written = e.closed || !retryDue(e) || (await write(e, []))
    retries.delete(e)
    if (!written) retry(e, Math.min(delay * 2, RETRY_LAST))
  }
  retries.set(e, later(() => void e.serial(run), delay))
}

/** Whether a retry has anything to write, and somewhere to write it. */
const retryDue = (e: Engine): boolean => e.store !== null && e.consent === 'granted' && due.has(e)

export async function mute(e: Engine, key: string): Promise<void> {
  const { live } = e
  if (sensitiveKey(key, e.config.sensitive, live.local)) {
    live.localMuted.add(key)
    return live.applySettings(live.settings)
  }
  await changeSettings(e, [['mute', key]])
}

export async function unmute(e: Engine, key: string, raw: unknown): Promise<void> {
  await e.ready
  const { live } = e
  if (!live.muted.has(key)) throw new RangeError(`[palate] unmute(): ${describe(raw)} is not muted`)
  if (live.localMuted.delete(key)) return live.applySettings({ ...live.settings, muted: live.settings.muted.filter((k) => k !== key) })
  await changeSettings(e, [['unmute', key]])
}
