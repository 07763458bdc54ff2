// The shopper's settings ("surprise me", mutes): each change is journaled in the inbox and shown at
// once, then applied to what is stored, read and written back in one go, in turn with the other
// store operations; mutes of sensitive categories are kept in this page only. Not a lazy part: a
// switch the shopper flips must show at once, not after a download.
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import { applyChanges } from '../storage/records.js'
import type { SettingsChange } from '../storage/store.js'
import { later, type Engine } from './engine.js'

/** A settings write that failed is tried again after 2 s, then 4, 8… up to 5 minutes, as events are. */
const RETRY_FIRST = 2000
const RETRY_LAST = 5 * 60_000
/** Each instance's retry, while one is due. */
const retries = new WeakMap<Engine, ReturnType<typeof setTimeout>>()
/** Instances whose journaled changes (see `Store.journalSettings`) a write has yet to save. */
const journaled = new WeakSet<Engine>()

/**
 * Changes the settings once the stored ones are read, applied to what is stored (so two tabs
 * muting at once both keep their mute), in turn with the other store operations (so a read-back
 * queued earlier cannot put the old settings back).
 */
export async function changeSettings(e: Engine, changes: readonly SettingsChange[]): Promise<void> {
  await e.ready
  const { live } = e
  await e.serial(async () => {
    const target = e.store
    if (!target) {
      if (e.consent === 'pending') live.unsavedSettings.push(...changes)
      live.applySettings(applyChanges(live.settings, changes))
    } else if (!(await write(e, changes))) retry(e, RETRY_FIRST)
    // A muted category takes with it the tags and brands only its items fed.
    await live.learnFeeding(target)
  })
}

/**
 * Journals `changes` and shows them, then saves them with those a failed write left, in order, in
 * one go (a mute that failed and the unmute after it end unmuted). Journaled, they are saved from
 * then on: the next write of any tab, or the next page, saves them, and every read-back shows
 * them. Changes the store could not journal stay unsaved, kept in the page over what is read back
 * (see `rebuild`) until a write saves them. Reports a failure but while a retry is due, once per
 * spell, as writes of events do.
 */
async function write(e: Engine, changes: readonly SettingsChange[]): Promise<boolean> {
  const { live } = e
  const target = e.store
  if (!target) return true
  // Stored mutes of what is sensitive now go with every write: a sensitive name is never written,
  // not even in an unmute.
  const drop = (key: string): boolean => sensitiveKey(key, e.config.sensitive, live.local)
  const all = live.unsavedSettings.concat(changes).filter(([what, value]) => what === 'surprise' || !drop(value))
  live.unsavedSettings = []
  const saved = all.length > 0 && target.journalSettings?.(all) === true
  if (saved) journaled.add(e)
  if (changes.length) live.applySettings(applyChanges(live.settings, changes))
  try {
    live.applySettings(await target.updateSettings(saved ? [] : all, drop))
    e.sync.changed(target)
    journaled.delete(e)
    clearTimeout(retries.get(e))
    retries.delete(e)
    return true
  } catch (error) {
    if (!retries.has(e)) e.report(error)
    // Journaled, they are for the other tabs to show as well.
    if (saved) e.sync.changed(target)
    // (Unless an opt-out or a lost connection came meanwhile: their settings go with the store.)
    else if (e.store === target && e.consent === 'granted') live.unsavedSettings = all.concat(live.unsavedSettings)
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
const retryDue = (e: Engine): boolean => e.store !== null && e.consent === 'granted' && (e.live.unsavedSettings.length > 0 || journaled.has(e))

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
