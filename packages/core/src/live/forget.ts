// forget(): the key and every narrower one leave the live profile, the store (with what fed them,
// planned in storage/forgetting.ts) and the other tabs, and a sensitive key's name goes nowhere.
// A lazy part (see lazy.ts): loaded on the first forget().
import { describe } from '../errors.js'
import { sensitiveKey } from '../privacy/sensitive.js'
import type { Engine } from './engine.js'

/** Forgets `key` (normalized; `raw` as the storefront spelled it, for the error). */
export async function forget(e: Engine, key: string, raw: unknown): Promise<void> {
  const { live } = e
  // The stored profile must be read first, or the forgotten key would come back with it.
  await e.ready
  await e.recovering
  const doomed = new Set<string>()
  for (const k of live.profile.states.keys()) if (k === key || (key.startsWith('category:') && k.startsWith(key + '/'))) doomed.add(k)
  if (!doomed.has(key)) throw new RangeError(`[palate] forget(): ${describe(raw)} is not in the profile`)
  // The forgotten key alone names it all: every event that fed a narrower key fed this one too.
  // A sensitive key was never written: nothing to bury, and its name is not sent anywhere.
  // (Asked before the events that fed it are dropped: they are what tells a sensitive tag.)
  const told = sensitiveKey(key, e.config.sensitive, live.local) ? [] : [key]
  live.dropFeeding(doomed)
  await e.serial(async () => {
    // Again on the store that replaced this one, should it be let go of meanwhile (see `onLost`).
    for (;;) {
      const target = e.store
      if (!target) {
        live.profile.delete(doomed)
        live.changed()
        return
      }
      try {
        await target.forget(doomed, told, e.limits())
        e.sync.changed(target, told)
        return await e.writer.readBack(target)
      } catch (error) {
        if (e.store !== target) continue
        e.report(error)
        throw error
      }
    }
  })
}
