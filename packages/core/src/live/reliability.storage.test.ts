// Faults the browser can throw at Palate: many tabs, upgrades from other tabs, broken storage.
// Runs in Node (fake-indexeddb) and in Chromium (real IndexedDB). Each fault is injected at the
// IndexedDB level and removed afterwards.
import { openDB } from 'idb'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Palate } from '../index.js'
import { unpackLog } from '../storage/packed.js'
import { SCHEMA_VERSION } from '../storage/store.js'
import { addToInbox, closedAfterEach, ensureLocalStorage, manualClock, readInboxRaw, readRaw, storedEvents, storedSettings, uniqueName } from '../testing.js'

const make = closedAfterEach()
beforeAll(ensureLocalStorage)

/** Replaces a method of IDBObjectStore for the duration of `run`. */
/** A `put` replacement that aborts the transaction writing the event log (a merge), as the browser may. */
function abortKeysWrite(this: IDBObjectStore, original: IDBObjectStore['put'], ...args: Parameters<IDBObjectStore['put']>): IDBRequest {
  if (this.name === 'meta' && args[1] === 'log') {
    this.transaction.abort()
    throw new DOMException('The transaction was aborted.', 'AbortError')
  }
  return original.apply(this, args)
}

async function patchStore<K extends 'add' | 'put'>(method: K, replacement: (this: IDBObjectStore, original: IDBObjectStore[K], ...args: Parameters<IDBObjectStore[K]>) => IDBRequest, run: () => Promise<void>): Promise<void> {
  const proto = IDBObjectStore.prototype
  const original = proto[method]
  proto[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore[K]>) {
    return replacement.call(this, original, ...args)
  } as IDBObjectStore[K]
  try {
    await run()
  } finally {
    proto[method] = original
  }
}

/** The next page of the profile `name`, once its profile is read. */
async function reopen(name: string): Promise<Palate> {
  const page = make({ name })
  await page.ready
  return page
}

/** A profile with two interests, saved. */
async function hikingAndSurf(palate: Palate): Promise<void> {
  palate.track('view', { id: 'h', category: 'hiking' })
  palate.track('view', { id: 's', category: 'surf' })
  await palate.flush()
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe('many tabs', () => {
  it('four tabs tracking at once lose no events and converge on the same profile', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const tabs = [0, 1, 2, 3].map(() => make({ name, now: clock.now }))
    await Promise.all(tabs.map((t) => t.ready))
    const categories = ['surf/boards', 'ski/skis', 'yoga/mats', 'golf/clubs']
    for (let round = 0; round < 25; round++) {
      clock.advance(30_000)
      tabs.forEach((tab, i) => tab.track('view', { id: `t${i}-${round}`, category: categories[(i + round) % 4]! }))
      if (round % 5 === 4) await Promise.all(tabs.map((tab) => tab.flush()))
    }
    await Promise.all(tabs.map((tab) => tab.flush()))
    expect(storedEvents(await readRaw(name))).toHaveLength(100)
    const view = (tab: Palate) => JSON.stringify(tab.interests({ dimension: 'category' }).map((i) => [i.key, i.score.toFixed(9)]))
    await expect.poll(() => new Set(tabs.map(view)).size, { timeout: 3000 }).toBe(1)
    expect(tabs[0]!.interests({ dimension: 'category' }).map((i) => i.share.toFixed(6))).toEqual(['0.250000', '0.250000', '0.250000', '0.250000'])
  })

  it('a schema upgrade opened in another tab neither hangs nor corrupts this one', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const tab = make({ name, onError: (e) => errors.push(e) })
    await tab.ready
    tab.track('view', { id: 'a', category: 'surf' })
    await tab.flush()

    // Another tab, running a newer Palate, upgrades the database.
    const newer = await Promise.race([
      openDB(name, SCHEMA_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the upgrade hung')), 2000)),
    ])
    expect(unpackLog(await newer.get('meta', 'log'))).toHaveLength(1)
    newer.close()

    // This tab let go, says it now keeps its profile in memory, and keeps working.
    await expect.poll(() => tab.getSnapshot().status).toBe('memory')
    tab.track('view', { id: 'b', category: 'surf' })
    await tab.flush()
    expect(tab.rank([{ id: 'x', category: 'ski' }, { id: 'b', category: 'surf' }])[0]!.item.id).toBe('b')
    expect(errors.map((e) => e.message)).toEqual(['IndexedDB connection lost (versionchange); this tab keeps its profile in memory'])
  })

  it('an old tab that will not let go of the database does not hang this one', async () => {
    const name = uniqueName()
    // An old tab holds schema 1 open and ignores requests to close it.
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('meta')
        db.createObjectStore('keys', { keyPath: 'key' })
        db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
        db.createObjectStore('items', { keyPath: 'id' })
        db.createObjectStore('journal', { keyPath: 'id', autoIncrement: true })
      },
    })
    const errors: Error[] = []
    const started = Date.now()
    const tab = make({ name, onError: (e) => errors.push(e) })
    await tab.ready
    expect(Date.now() - started).toBeLessThan(4500)
    expect(tab.getSnapshot().status).toBe('memory')
    expect(errors.map((e) => e.message)).toEqual([`opening IndexedDB "${name}" timed out: another tab blocks the upgrade`])
    tab.track('view', { id: 'a', category: 'surf' })
    expect(tab.interests()[0]!.key).toBe('category:surf')

    // Once the old tab goes away, the next page opens and upgrades the database.
    old.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const next = await reopen(name)
    expect(next.getSnapshot().status).toBe('ready')
  }, 10_000)
})

describe('broken storage', () => {
  it('IndexedDB absent: the profile lives in memory, status says so, onError hears it once', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true })
    try {
      const errors: Error[] = []
      const palate = make({ name: uniqueName(), onError: (e) => errors.push(e) })
      await palate.ready
      palate.track('view', { id: 'a', category: 'surf' })
      await palate.flush()
      expect(palate.getSnapshot().status).toBe('memory')
      expect(palate.interests()[0]!.key).toBe('category:surf')
      expect(errors.map((e) => e.message)).toEqual(['IndexedDB is not available'])
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'indexedDB', descriptor)
    }
  })

  it('quota exceeded on write: the page keeps working, status says so, onError hears it once, nothing is lost', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const palate = make({ name, onError: (e) => errors.push(e) })
    await palate.ready
    await patchStore('put', function () {
      throw quota()
    }, async () => {
      for (let i = 0; i < 3; i++) {
        palate.track('view', { id: `a${i}`, category: 'surf' })
        await palate.flush()
      }
      expect(palate.getSnapshot().status).toBe('memory')
      expect(palate.interests()[0]!.key).toBe('category:surf')
      expect(palate.rank([{ id: 'x', category: 'ski' }, { id: 'a0', category: 'surf' }])[0]!.item.id).toBe('a0')
    })
    expect(errors).toHaveLength(1)
    expect(errors[0]!.name).toBe('QuotaExceededError')
    // Space again: the next write saves everything that waited, once.
    await palate.flush()
    expect(palate.getSnapshot().status).toBe('ready')
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id).sort()).toEqual(['a0', 'a1', 'a2'])
  })

  // A switch the shopper flipped must not flip back by itself: a settings write that fails is kept
  // in the page (over what is read back from other tabs) and tried again, as events are.
  it('quota exceeded on a settings change: the mute and "surprise me" stay, and are written once there is room', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const a = make({ name, onError: (e) => errors.push(e) })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    await hikingAndSurf(a)
    await patchStore('put', function () {
      throw quota()
    }, async () => {
      await a.mute('category:hiking')
      await a.setSurprise(true)
      await a.mute('category:surf')
      await a.unmute('category:surf')
    })
    expect(errors.map((e) => e.name)).toEqual(['QuotaExceededError'])
    const shown = (tab: Palate) => ({ surprise: tab.getSnapshot().surprise, muted: tab.getSnapshot().muted, listed: tab.interests().map((i) => i.key).sort() })
    expect(shown(a)).toEqual({ surprise: true, muted: ['category:hiking'], listed: ['category:surf'] })
    // Another tab writes and this one reads it back: the change still shows.
    b.track('view', { id: 'y', category: 'yoga' })
    await b.flush()
    await expect.poll(() => a.interests().length, { timeout: 2000 }).toBe(2)
    expect(shown(a)).toEqual({ surprise: true, muted: ['category:hiking'], listed: ['category:surf', 'category:yoga'] })
    // The retry (2 s on) writes it, in the order it was made: the other tab and the next page see it.
    await expect.poll(() => b.getSnapshot().surprise, { timeout: 5000 }).toBe(true)
    expect(b.getSnapshot().muted).toEqual(['category:hiking'])
    const next = await reopen(name)
    expect(shown(next)).toEqual(shown(a))
    expect(errors).toHaveLength(1)
  })

  // Nothing lost when tabs close: a settings change is in the inbox as it is made.
  it('a settings change whose write fails outlives its tab: the next page shows it and saves it', async () => {
    const name = uniqueName()
    const a = make({ name, onError: () => undefined })
    await a.ready
    await hikingAndSurf(a)
    await patchStore('put', function () {
      throw quota()
    }, async () => {
      await a.mute('category:hiking')
      await a.setSurprise(true)
      a.close()
    })
    const next = await reopen(name)
    expect(next.getSnapshot().muted).toEqual(['category:hiking'])
    expect(next.getSnapshot().surprise).toBe(true)
    expect(next.interests().map((i) => i.key)).toEqual(['category:surf'])
    // Its first write saves them in the stored profile, and the inbox lets them go.
    next.track('view', { id: 'y', category: 'yoga' })
    await next.flush()
    expect(await storedSettings(name)).toEqual({ surprise: true, muted: ['category:hiking'] })
    expect(readInboxRaw(name)).toEqual([])
  })

  it('a mute made as the tab goes away, before its profile is read or while a write is under way, is kept', async () => {
    const name = uniqueName()
    const a = make({ name })
    await a.ready
    await hikingAndSurf(a)
    a.close()
    // Clicked before the profile is read, and the tab closed at once.
    const b = make({ name, onError: () => undefined })
    void b.setSurprise(true).catch(() => undefined)
    b.close()
    // Clicked while a write is under way, and the tab closed at once.
    const c = make({ name, onError: () => undefined })
    await c.ready
    c.track('view', { id: 'y', category: 'yoga' })
    void c.flush()
    void c.mute('category:hiking').catch(() => undefined)
    c.close()
    const next = await reopen(name)
    expect(next.getSnapshot().surprise).toBe(true)
    expect(next.getSnapshot().muted).toEqual(['category:hiking'])
  })

  it('a mute made while the profile is being read shows once it is read, and can be undone at once', async () => {
    const name = uniqueName()
    const a = make({ name })
    await a.ready
    a.track('view', { id: 'h', category: 'hiking' })
    await a.flush()
    a.close()
    // Clicked just after the start-up read read the inbox, before it is over.
    const proto = IDBObjectStore.prototype
    const get = proto.get
    let b: Palate | null = null
    let muting: Promise<void> | null = null
    proto.get = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['get']>) {
      if (b && !muting) muting = b.mute('category:hiking')
      return get.apply(this, args)
    }
    try {
      b = make({ name })
      await b.ready
    } finally {
      proto.get = get
    }
    expect(muting).not.toBeNull()
    expect(b.getSnapshot().muted).toEqual(['category:hiking'])
    await b.unmute('category:hiking')
    await muting
    expect(b.getSnapshot().muted).toEqual([])
    const next = await reopen(name)
    expect(next.getSnapshot().muted).toEqual([])
  })

  it('a mute whose write failed, then an unmute in another tab: unmuted everywhere, the retry does not mute again', async () => {
    const name = uniqueName()
    const a = make({ name, onError: () => undefined })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    a.track('view', { id: 'h', category: 'hiking' })
    await a.flush()
    await patchStore('put', function () {
      throw quota()
    }, async () => {
      await a.mute('category:hiking')
      // The other tab shows it too.
      await expect.poll(() => b.getSnapshot().muted, { timeout: 2000 }).toEqual(['category:hiking'])
    })
    await b.unmute('category:hiking')
    await expect.poll(() => a.getSnapshot().muted, { timeout: 2000 }).toEqual([])
    // Past a's retry (2 s after the failure).
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(a.getSnapshot().muted).toEqual([])
    const next = await reopen(name)
    expect(next.getSnapshot().muted).toEqual([])
  })

  it('quota exceeded on forget(): it rejects with the error onError hears, and the interest is still there, after a reload too', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const a = make({ name, onError: (e) => errors.push(e) })
    await a.ready
    await hikingAndSurf(a)
    await patchStore('put', function () {
      throw quota()
    }, async () => {
      const outcome = await a.forget('category:hiking').then(() => null, (error: unknown) => error)
      expect(outcome).toBe(errors[0])
      expect((outcome as Error).name).toBe('QuotaExceededError')
    })
    expect(a.interests().map((i) => i.key).sort()).toEqual(['category:hiking', 'category:surf'])
    a.close()
    const next = await reopen(name)
    expect(next.interests().map((i) => i.key).sort()).toEqual(['category:hiking', 'category:surf'])
  })

  it('a transaction aborted while journaling: the events wait and are written once', async () => {
    const name = uniqueName()
    const palate = make({ name, onError: () => {} })
    await palate.ready
    await patchStore('add', function () {
      this.transaction.abort()
      throw new DOMException('The transaction was aborted.', 'AbortError')
    }, async () => {
      palate.track('view', { id: 'a', category: 'surf' })
      await palate.flush()
    })
    palate.track('view', { id: 'b', category: 'surf' })
    await palate.flush()
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id).sort()).toEqual(['a', 'b'])
  })

  it('a transaction aborted while writing: the events wait, status says so, and they are written once', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const palate = make({ name, onError: (e) => errors.push(e) })
    await palate.ready
    await patchStore('put', abortKeysWrite, async () => {
      palate.track('view', { id: 'a', category: 'surf' })
      await palate.flush()
      expect((await readRaw(name)).events).toHaveLength(0)
      expect(palate.getSnapshot().status).toBe('memory')
      expect(palate.interests()[0]!.key).toBe('category:surf')
    })
    await palate.flush()
    expect(palate.getSnapshot().status).toBe('ready')
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['a'])
    expect(errors).toHaveLength(1)
  })

  it('a transaction aborted while folding in what a page saved as it went away: the events wait for the next write', async () => {
    const name = uniqueName()
    const first = make({ name })
    await first.ready
    first.close()
    // A page that went away journaled an event and could not fold it in.
    await addToInbox(name, { event: { t: Date.now(), type: 'view', item: { id: 'a', category: 'surf' } }, weight: 1 })
    const errors: Error[] = []
    const palate = make({ name, onError: (e) => errors.push(e) })
    await patchStore('put', abortKeysWrite, async () => {
      await palate.ready
      await palate.flush()
      const raw = await readRaw(name)
      expect(raw.inbox).toHaveLength(1)
      expect(raw.events).toHaveLength(0)
      // The event is saved in the inbox: status stays ready.
      expect(palate.getSnapshot().status).toBe('ready')
      expect(palate.interests()[0]!.key).toBe('category:surf')
    })
    await palate.flush()
    const raw = await readRaw(name)
    expect(raw.inbox).toHaveLength(0)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['a'])
    expect(errors).toHaveLength(1)
  })
})
