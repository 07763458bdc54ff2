// A schema upgrade the browser aborts half-way (a quota error, say) fails the open, which Palate
// handles (memory fallback, onError), and sends no unhandled rejection to the page.
// Node (fake-indexeddb) and Chromium.
import { openDB } from 'idb'
import { afterEach, describe, expect, it } from 'vitest'
import v2 from './fixtures/v2-profile.json'
import { closedAfterEach, readRaw, uniqueName } from '../testing.js'

const make = closedAfterEach()
const fixture = v2 as unknown as { version: number; at: number; stores: Record<string, { keys: IDBValidKey[]; values: unknown[] }> }

async function writeV2(name: string): Promise<void> {
  const db = await openDB(name, fixture.version, {
    upgrade(db) {
      db.createObjectStore('meta')
      db.createObjectStore('keys', { keyPath: 'key' })
      db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
      db.createObjectStore('items', { keyPath: 'id' })
      db.createObjectStore('journal', { keyPath: 'id', autoIncrement: true })
    },
  })
  const names = Object.keys(fixture.stores)
  const tx = db.transaction(names as never[], 'readwrite')
  for (const store of names) {
    const { keys, values } = fixture.stores[store]!
    const os = tx.objectStore(store as never)
    values.forEach((value, i) => (os.keyPath === null ? os.put(value as never, keys[i] as never) : os.put(value as never)))
  }
  await tx.done
  db.close()
}

/** Every unhandled rejection the page sees meanwhile. */
function unhandled(): { reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = []
  const onWindow = (event: PromiseRejectionEvent) => {
    reasons.push(event.reason)
    event.preventDefault()
  }
  const onProcess = (reason: unknown) => reasons.push(reason)
  const proc = (globalThis as { process?: { on(e: string, f: (r: unknown) => void): void; off(e: string, f: (r: unknown) => void): void } }).process
  if (typeof window !== 'undefined') window.addEventListener('unhandledrejection', onWindow)
  else proc?.on('unhandledRejection', onProcess)
  return {
    reasons,
    stop() {
      if (typeof window !== 'undefined') window.removeEventListener('unhandledrejection', onWindow)
      else proc?.off('unhandledRejection', onProcess)
    },
  }
}

let unpatch: (() => void) | null = null
afterEach(() => {
  unpatch?.()
  unpatch = null
})

/** The browser aborts the upgrade transaction at the `where`-th read of the migration. */
function abortUpgradeAt(store: string, method: 'getAll' | 'count'): void {
  const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest
  IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: unknown[]) {
    const request = original.apply(this, args)
    if (this.name === store && this.transaction.mode === 'versionchange') this.transaction.abort()
    return request
  } as never
  unpatch = () => {
    IDBObjectStore.prototype[method] = original as never
  }
}

describe('an aborted schema upgrade', () => {
  it.each([
    ['keys', 'getAll'],
    ['journal', 'getAll'],
  ] as const)('aborted at %s.%s: handled, no unhandled rejection, the old profile intact for the next load', async (store, method) => {
    const name = uniqueName('upgrade')
    await writeV2(name)
    const before = await readRaw(name)
    const seen = unhandled()
    abortUpgradeAt(store, method)
    const errors: Error[] = []
    const palate = make({ name, now: () => fixture.at, onError: (error) => errors.push(error) })
    await palate.ready
    await new Promise((resolve) => setTimeout(resolve, 100))
    seen.stop()
    expect(seen.reasons.map(String)).toEqual([])
    expect(palate.getSnapshot().status).toBe('memory')
    expect(errors.length).toBeGreaterThan(0)
    palate.close()
    unpatch?.()
    unpatch = null
    // Nothing of the half-done upgrade stayed: the next load migrates the same profile.
    const raw = await readRaw(name)
    expect(raw.events).toEqual(before.events)
    const again = make({ name, now: () => fixture.at })
    await again.ready
    expect(again.getSnapshot().status).toBe('ready')
    expect((await again.export()).events.length).toBe(fixture.stores.events!.values.length)
  })
})
