// The granting half of consent: an opt-in here (the marker written, the second marker cleared,
// other tabs told) or heard from another tab, and what granting does to one instance: the page's
// non-sensitive events may now be kept, the store is opened, and the settings chosen before consent
// are written. Denying is in consent.ts.
import type { Engine } from '../live/engine.js'
import { changeSettings } from '../live/settings.js'
import { request } from '../storage/idbStore.js'
import { deniedDbName, idb, readDeniedDb, writeMarker } from './consent.js'
import { sensitiveEvent } from './sensitive.js'

/** Removes the second marker (an opt-in), if it is there. */
export async function clearDeniedDb(name: string): Promise<void> {
  const factory = idb()
  if (!factory || !(await readDeniedDb(name))) return
  await request(factory.deleteDatabase(deniedDbName(name)))
}

/** An opt-in here: the marker first, so that an opt-out called right after it wins. */
export async function optIn(e: Engine): Promise<void> {
  const { name } = e.config
  if (!writeMarker(name, 'granted')) {
    e.report(new Error('localStorage is unavailable: the consent choice lasts for this page only'))
  }
  const gen = e.generation
  // The opt-in replaces an opt-out kept in the second marker too.
  await clearDeniedDb(name).catch(e.report)
  // An opt-out meanwhile (a banner's "Accept" then "Reject", a toggle clicked twice) was the
  // shopper's last word: it stands.
  if (e.generation !== gen && e.consent === 'denied') return
  await grant(e, true)
}

/** Consent granted, here or (`tell` false) in another tab. */
export async function grant(e: Engine, tell: boolean): Promise<void> {
  const wasGranted = e.consent === 'granted'
  if (tell && !wasGranted) e.sync.optedIn()
  if (wasGranted && (e.store || e.status === 'loading')) {
    // Confirmed again (a consent banner on load, say): the store is open or opening already.
    await e.ready
    await e.writer.flush()
    return
  }
  e.consent = 'granted'
  // Before consent, events stayed in memory; now the page's non-sensitive ones may be kept.
  const { live } = e
  e.writer.pending = e.writer.pending.concat(live.local.filter((change) => !sensitiveEvent(change, e.config.sensitive)))
  live.local = live.local.filter((change) => sensitiveEvent(change, e.config.sensitive))
  e.status = 'loading'
  live.changed()
  // After whatever is queued — an opt-out's deletion above all — and after the start before it
  // (which may be deleting what an earlier visit stored), so the new database is not deleted
  // from under it.
  const previous = e.ready
  e.ready = e.serial(async () => {
    await previous
    await e.startup.start()
  })
  await e.ready
  // What the shopper chose before consent (shown since the profile was read) is written now.
  const chosen = live.unsavedSettings
  live.unsavedSettings = []
  if (chosen.length) await changeSettings(e, chosen)
}
