// The shopper's settings ("surprise me", mutes): each change is applied to what is stored, read and
// written back in one go, in turn with the other store operations; mutes of sensitive categories
// are kept in this page only. Not a lazy part: a switch the shopper flips must show at once, not
// after a download.
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import type { Settings } from '../storage/store.js'
import { later, type Engine } from './engine.js'

/** A settings write that failed is tried again after 2 s, then 4, 8… up to 5 minutes, as events are. */
const RETRY_FIRST = 2000
const RETRY_LAST = 5 * 60_000
/** Each instance's retry, while one is due. */
const retries = new WeakMap<Engine, ReturnType<typeof setTimeout>>()

/**
 * Changes the settings once the stored ones are read, applied to what is stored (so two tabs
 * muting at once both keep their mute), in turn with the other store operations (so a read-back
 * queued earlier cannot put the old settings back).
 */
export async function changeSettings(e: Engine, update: (current: Settings) => Settings): Promise<void> {
  await e.ready
  const { live } = e
  await e.serial(async () => {
    const target = e.store
    if (!target) {
      if (e.consent === 'pending') live.unsavedSettings.push(update)
      live.applySettings(update(live.settings))
    } else if (!(await write(e, [update]))) {
      // Shown at once all the same, and kept over what is read back meanwhile (see `rebuild`).
      live.applySettings(update(live.settings))
      retry(e, RETRY_FIRST)
    }
    // A muted category takes with it the tags and brands only its items fed.
    await live.learnFeeding(target)
  })
}

/**
 * Writes the changes a failed write left unsaved, then `updates`, in order, in one go (a mute that
 * failed and the unmute after it end unmuted). Whatever fails stays unsaved. Reports a failure but
 * while a retry is due, once per spell, as writes of events do.
 */
async function write(e: Engine, updates: Array<(current: Settings) => Settings>): Promise<boolean> {
  const { live } = e
  const target = e.store
  if (!target) return true
  const all = live.unsavedSettings.concat(updates)
  live.unsavedSettings = []
  const unsensitive = (current: Settings): Settings => ({ ...current, muted: current.muted.filter((k) => !sensitiveKey(k, e.config.sensitive, live.local)) })
  try {
    live.applySettings(await target.updateSettings((current) => all.reduce((settings, update) => update(settings), unsensitive(current))))
    e.sync.changed(target)
    clearTimeout(retries.get(e))
    retries.delete(e)
    return true
  } catch (error) {
    if (!retries.has(e)) e.report(error)
    // (Unless an opt-out or a lost connection came meanwhile: their settings go with the store.)
    if (e.store === target && e.consent === 'granted') live.unsavedSettings = all.concat(live.unsavedSettings)
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
const retryDue = (e: Engine): boolean => e.store !== null && e.consent === 'granted' && e.live.unsavedSettings.length > 0

export async function mute(e: Engine, key: string): Promise<void> {
  const { live } = e
  if (sensitiveKey(key, e.config.sensitive, live.local)) {
    live.localMuted.add(key)
    return live.applySettings(live.settings)
  }
  await changeSettings(e, (s) => (s.muted.includes(key) ? s : { ...s, muted: [...s.muted, key] }))
}

export async function unmute(e: Engine, key: string, raw: unknown): Promise<void> {
  await e.ready
  const { live } = e
  if (!live.muted.has(key)) throw new RangeError(`[palate] unmute(): ${describe(raw)} is not muted`)
  if (live.localMuted.delete(key)) return live.applySettings({ ...live.settings, muted: live.settings.muted.filter((k) => k !== key) })
  await changeSettings(e, (s) => ({ ...s, muted: s.muted.filter((k) => k !== key) }))
}
