// Consent: the shopper's choice kept in a localStorage marker, the GPC signal, and the denying half
// of one instance's state machine (written once: whoever denies, here, in another tab or through
// the marker, it is the same sequence). Granting is in optIn.ts.
import type { Engine } from '../live/engine.js'
import { deleteIdb, request } from '../storage/idbStore.js'
import type { ConsentState } from '../types.js'

/**
 * The consent marker lives in localStorage, not IndexedDB: it must be readable synchronously before
 * anything is opened, and it is the one trace an opt-out keeps so the choice survives reloads.
 */
export function markerKey(name: string): string {
  return `palate:${name}:consent`
}

/** localStorage, or null where it is missing or throws (sandboxed frames, some private modes). */
function local(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The shopper's explicit choice on this site, if they made one. */
export function readMarker(name: string): 'granted' | 'denied' | null {
  try {
    const value = local()?.getItem(markerKey(name))
    return value === 'granted' || value === 'denied' ? value : null
  } catch {
    return null
  }
}

/** Records an explicit choice. Returns false when it could not be kept past this page. */
export function writeMarker(name: string, state: 'granted' | 'denied'): boolean {
  try {
    const storage = local()
    if (!storage) return false
    storage.setItem(markerKey(name), state)
    return true
  } catch {
    return false
  }
}

/**
 * The second opt-out marker, for when localStorage refuses the first (full with the storefront's own
 * data, throwing in a sandboxed frame, missing): an empty IndexedDB database whose existence is the
 * denial. Why a database: the profile's own database is deleted on opt-out, so the denial cannot live
 * inside it; a cookie would be sent to the server on every request (and Palate makes none); session
 * storage does not outlive the tab. This database holds no record at all — its name is the whole
 * marker — and it is written only when localStorage failed, and deleted by an opt-in.
 */
export function deniedDbName(name: string): string {
  return `palate:${name}:opted-out`
}

export function idb(): IDBFactory | null {
  try {
    return typeof indexedDB === 'undefined' ? null : indexedDB
  } catch {
    return null
  }
}

/** Writes the second marker; rejects when IndexedDB cannot hold it either. */
export async function writeDeniedDb(name: string): Promise<void> {
  const factory = idb()
  if (!factory) throw new Error('IndexedDB is unavailable')
  const db = await request(factory.open(deniedDbName(name), 1))
  db.close()
}

/** Whether the second marker is there. Never creates it: an open that would create it is aborted. */
export async function readDeniedDb(name: string): Promise<boolean> {
  const factory = idb()
  // An opaque origin (a sandboxed frame) has no IndexedDB to hold the marker, and asking it
  // anyway (indexedDB.databases()) reaches the page as an unhandled rejection in Chromium.
  if (!factory || (globalThis as { origin?: string }).origin === 'null') return false
  try {
    if (typeof factory.databases === 'function') return (await factory.databases()).some((db) => db.name === deniedDbName(name))
    let created = false
    const db = await request(factory.open(deniedDbName(name)), (event) => {
      created = true
      ;(event.target as IDBOpenDBRequest).transaction?.abort()
    })
    db.close()
    return !created
  } catch {
    return false
  }
}

/** Whether the browser sends the Global Privacy Control signal. */
export function globalPrivacyControl(): boolean {
  return typeof navigator !== 'undefined' && (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true
}

/**
 * Where a shopper starts: their own stored choice wins, then the browser's GPC signal (an opt-out),
 * then the storefront's default.
 */
export function initialConsent(name: string, fallback: ConsentState, respectGpc: boolean): ConsentState {
  const marker = readMarker(name)
  if (marker) return marker
  if (respectGpc && globalPrivacyControl()) return 'denied'
  return fallback
}

export type ConsentMachine = ReturnType<typeof createConsent>

export function createConsent(e: Engine) {
  const { name } = e.config

  const machine = {
    /** Consent denied, here or elsewhere: everything this page holds goes, and nothing is recorded after. */
    deny(): void {
      e.consent = 'denied'
      e.generation++
      e.live.clear()
      e.writer.drop()
      e.store?.close()
      e.store = null
      e.status = 'opted-out'
      e.live.changed()
    },

    async optOut(): Promise<void> {
      const marked = writeMarker(name, 'denied')
      if (!marked) {
        // A 'granted' marker left behind would grant again on the next load: try to take it away
        // (removing frees space, so it usually works where the write did not).
        try {
          local()?.removeItem(markerKey(name))
        } catch {
          // Reported below with the failed write.
        }
      }
      e.sync.optedOut()
      machine.deny()
      await e.serial(async () => {
        try {
          await deleteIdb(name)
        } catch (error) {
          e.report(error)
        }
        if (marked) return
        try {
          await writeDeniedDb(name)
          e.report(new Error('localStorage refused the opt-out marker; the opt-out is kept in IndexedDB instead'))
        } catch (error) {
          e.report(new Error(`localStorage and IndexedDB both refused the opt-out marker: the opt-out lasts for this page only (${String(error)})`))
        }
      })
    },
  }
  return machine
}
