// The page's lifecycle: pagehide and a hidden tab journal what is pending, a tab shown again sees
// interests decayed meanwhile, and an opt-out made in another tab (the localStorage `storage`
// event) reaches this one even without BroadcastChannel. Attached when the instance is created,
// detached by close(); nothing is touched where there is no window (server rendering).
import { markerKey } from '../privacy/consent.js'
import type { Engine } from './engine.js'

/** Attaches the listeners; returns what detaches them. */
export function attachLifecycle(e: Engine): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === markerKey(e.config.name) && event.newValue === 'denied' && e.consent !== 'denied') e.consentMachine.deny()
  }
  const onPageHide = (): void => void e.writer.flush(true)
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') void e.writer.flush(true)
    else e.live.changed() // time has passed while hidden: interests have decayed
  }
  const win = typeof window !== 'undefined' && typeof window.addEventListener === 'function' ? window : null
  const doc = typeof document !== 'undefined' && typeof document.addEventListener === 'function' ? document : null
  win?.addEventListener('pagehide', onPageHide)
  win?.addEventListener('storage', onStorage)
  doc?.addEventListener('visibilitychange', onVisibility)
  return () => {
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('pagehide', onPageHide)
      window.removeEventListener('storage', onStorage)
    }
    if (typeof document !== 'undefined' && typeof document.removeEventListener === 'function') {
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }
}
