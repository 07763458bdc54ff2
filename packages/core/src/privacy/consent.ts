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
