// The shopper's settings ("surprise me", mutes): read-modify-write of what is stored, in turn with
// the other store operations; mutes of sensitive categories kept in this page only.
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import type { Settings } from '../storage/store.js'
import type { Engine } from './engine.js'

export type SettingsPart = ReturnType<typeof createSettings>

export function createSettings(e: Engine) {
  const part = {
    /**
     * Changes the settings once the stored ones are read, as a read-modify-write of what is stored
     * (so two tabs muting at once both keep their mute), in turn with the other store operations
     * (so a read-back queued earlier cannot put the old settings back).
     */
    async change(update: (current: Settings) => Settings): Promise<void> {
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
    },

    async mute(key: string): Promise<void> {
      const { live } = e
      if (sensitiveKey(key, e.config.sensitive, live.local)) {
        live.localMuted.add(key)
        return live.applySettings(live.settings)
      }
      await part.change((s) => (s.muted.includes(key) ? s : { ...s, muted: [...s.muted, key] }))
    },

    async unmute(key: string, raw: unknown): Promise<void> {
      await e.ready
      const { live } = e
      if (!live.muted.has(key)) throw new RangeError(`[palate] unmute(): ${describe(raw)} is not muted`)
      if (live.localMuted.delete(key)) return live.applySettings({ ...live.settings, muted: live.settings.muted.filter((k) => k !== key) })
      await part.change((s) => ({ ...s, muted: s.muted.filter((k) => k !== key) }))
    },
  }
  return part
}
