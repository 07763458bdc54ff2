// Helpers for the tests of this package (not exported from the package).
import { openDB } from 'idb'

/** A database name no other test uses: browser test files share one origin. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}-${Date.now()}`
}

/** Reads every store of a Palate database directly, bypassing Palate, in one consistent transaction. */
export async function readRaw(name: string): Promise<Record<string, unknown[]>> {
  const db = await openDB(name)
  const stores = [...db.objectStoreNames]
  const tx = db.transaction(stores, 'readonly')
  const all = await Promise.all(stores.map((store) => tx.objectStore(store).getAll()))
  await tx.done
  db.close()
  return Object.fromEntries(stores.map((store, i) => [store, all[i]!]))
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 5, 12)) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => void (clock.t += ms) }
  return clock
}

export const DAY = 86_400_000
