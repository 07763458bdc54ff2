// Helpers for the tests of this package (not exported from the package).
import { openDB } from 'idb'
import { afterEach } from 'vitest'
import { createPalate } from './createPalate.js'
import type { Palate, PalateOptions } from './types.js'
import { readableEvent } from './storage/idbMigration.js'
import { unpackItems, unpackKeys, unpackLog } from './storage/packed.js'
import { inboxName } from './storage/idbStore.js'
import type { StoredEvent } from './types.js'

/** A database name no other test uses: browser test files share one origin. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}-${Date.now()}`
}

/**
 * Reads every store of a Palate database directly, bypassing Palate, in one consistent transaction.
 * The interest keys, item marks and logged events are given readable as `keys`, `items` and
 * `events`, whichever schema laid them out (packed in `meta` since schema 4), and the entries of
 * its inbox (in localStorage, read after it) as `inbox`.
 */
export async function readRaw(name: string): Promise<Record<string, unknown[]>> {
  const db = await openDB(name)
  const stores = [...db.objectStoreNames]
  const tx = db.transaction(stores, 'readonly')
  const meta = stores.includes('meta') ? tx.objectStore('meta') : null
  const [profile, log, keys, items] = await Promise.all(['profile', 'log', 'keys', 'items'].map((key) => meta?.get(key)))
  const all = Object.fromEntries(await Promise.all(stores.map(async (store) => [store, await tx.objectStore(store).getAll()] as const)))
  await tx.done
  db.close()
  const record = profile as { halfLives?: unknown[]; keys?: unknown; items?: unknown } | undefined
  const packed = !!record && record.keys !== undefined && !Array.isArray(record.keys)
  const listed = (name: 'keys' | 'items', inMeta: unknown): unknown[] => (Array.isArray(inMeta) ? inMeta : (all[name] ?? []))
  return {
    ...all,
    keys: packed ? unpackKeys(record.keys, record.halfLives?.length ?? 0) : listed('keys', keys),
    items: packed ? unpackItems(record.items) : listed('items', items),
    // Numbered by their place in the log, as an export numbers them.
    events: all.events ? all.events.map((e) => readableEvent(e) ?? e) : unpackLog(log).map((e, i) => ({ ...e, id: i + 1 })),
    inbox: readInboxRaw(name),
  }
}

/** The settings in the stored profile record of `name` (undefined when there is none). */
export async function storedSettings(name: string): Promise<{ surprise?: boolean; muted?: string[] } | undefined> {
  const records = (await readRaw(name)).meta as { id?: unknown; settings?: { surprise?: boolean; muted?: string[] } }[]
  return records.find((record) => typeof record?.id === 'string')?.settings
}

/** The entries waiting in a profile's inbox (in localStorage), every append's in turn. */
export function readInboxRaw(name: string): unknown[] {
  if (typeof localStorage === 'undefined') return []
  const entries: unknown[] = []
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!
    if (key.startsWith(`${inboxName(name)}:`)) entries.push(...(JSON.parse(localStorage.getItem(key)!) as unknown[]))
  }
  return entries
}

/** Writes `entry` to a profile's inbox, as a page going away does (the profile has been opened once). */
export async function addToInbox(name: string, entry: object): Promise<void> {
  ensureLocalStorage()
  localStorage.setItem(`${inboxName(name)}:${Date.now().toString(36)}-test${Math.random().toString(36).slice(2, 6)}`, JSON.stringify([entry]))
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 5, 12)) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => void (clock.t += ms) }
  return clock
}

export const DAY = 86_400_000

/** Node has no localStorage (consent marker) or sessionStorage (visit seed); give it both. Chromium keeps its own. */
export function ensureLocalStorage(): void {
  for (const name of ['localStorage', 'sessionStorage'] as const) if (typeof globalThis[name] === 'undefined') install(name)
}

function install(name: 'localStorage' | 'sessionStorage'): void {
  const data = new Map<string, string>()
  const storage: Storage = {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, String(value)),
  }
  Object.defineProperty(globalThis, name, { value: storage, configurable: true })
}

/** Every localStorage key Palate wrote for a profile name. */
export function markers(name: string): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!
    if (key.startsWith(`palate:${name}:`)) out[key] = localStorage.getItem(key)
  }
  return out
}

/** Whether a database of this name exists (Chromium and fake-indexeddb both list them). */
export async function databaseExists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((db) => db.name === name)
}

/**
 * Whether database `name` exists, asked the way a page's next open would find it: an open request,
 * queued behind every open and deletion already requested, that creates nothing.
 */
export function databaseOpens(name: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name)
    request.onupgradeneeded = () => request.transaction!.abort()
    request.onsuccess = () => {
      request.result.close()
      resolve(true)
    }
    request.onerror = (event) => {
      event.preventDefault()
      if (request.error?.name === 'AbortError') resolve(false)
      else reject(request.error)
    }
  })
}

/** The logged events `readRaw` read (readable whatever schema stored them). */
export function storedEvents(raw: Record<string, unknown[]>): StoredEvent[] {
  return raw.events as StoredEvent[]
}

/**
 * `createPalate` for a test file: every instance it makes is closed after each test, so no
 * database connection or listener outlives the test that opened it.
 */
export function closedAfterEach(): (options?: PalateOptions) => Palate {
  const open: Palate[] = []
  afterEach(() => {
    for (const palate of open.splice(0)) palate.close()
  })
  return (options) => {
    const palate = createPalate(options)
    open.push(palate)
    return palate
  }
}

/**
 * Where page lifecycle events (pagehide) are dispatched: the window in Chromium; in Node, a stand-in
 * window installed until `restore()`.
 */
export function pageEvents(): { page: EventTarget; restore(): void } {
  if (typeof window !== 'undefined') return { page: window, restore() {} }
  const page = new EventTarget()
  Object.defineProperty(globalThis, 'window', { value: page, configurable: true, writable: true })
  return { page, restore: () => void delete (globalThis as { window?: unknown }).window }
}

/** A newer Palate in another tab upgrades the database `name`. */
export function upgradeElsewhere(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.open(name, 99)
    request.onsuccess = () => {
      request.result.close()
      resolve()
    }
    request.onerror = () => reject(request.error)
  })
}

