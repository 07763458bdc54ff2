// The shopper's settings ("surprise me", mutes): each change is applied to what is stored, read and
// written back in one go, in turn with the other store operations; mutes of sensitive categories
// are kept in this page only. Not a lazy part: a switch the shopper flips must show at once, not
// after a download.
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import type { Settings } from '../storage/store.js'
import type { Engine } from './engine.js'

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
    } else {
      try {
        const unsensitive = (current: Settings): Settings => ({ ...current, muted: current.muted.filter((k) => !sensitiveKey(k, e.config.sensitive, live.local)) })
        live.applySettings(await target.updateSettings((current) => update(unsensitive(current))))
        e.sync.changed(target)
      } catch (error) {
        e.report(error)
        live.applySettings(update(live.settings))
      }
    }
    // A muted category takes with it the tags and brands only its items fed.
    await live.learnFeeding(target)
  })
}

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
