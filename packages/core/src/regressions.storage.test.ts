// Bugs found by review, each kept as the behaviour it broke. Node (fake-indexeddb) and Chromium.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createPalate } from './createPalate.js'
import { lazyParts } from './live/lazy.js'
import type { StoredKey } from './types.js'
import { addToInbox, closedAfterEach, databaseExists, DAY, ensureLocalStorage, manualClock, pageEvents, readRaw, storedEvents, uniqueName } from './testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** The next turn of the event loop, as finely as the platform allows (fake-indexeddb works in such turns). */
const macrotask = () => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)))
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const mat = { id: 'mat', category: 'yoga/mats' }

/** A newer Palate in another tab upgrades the database. */
function upgrade(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.open(name, 99)
    request.onsuccess = () => {
      request.result.close()
      resolve()
    }
    request.onerror = () => reject(request.error)
  })
}

describe('a profile read back from storage is the live one', () => {
  it('keeps how much it knows: the popularity prior and the shift are the same after a reload', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const a = make({ name, now: clock.now })
    await a.ready
    for (let d = 0; d < 60; d++) {
      clock.advance(DAY)
      a.track('view', { id: `g${d}a`, category: 'gym/weights' })
      a.track('view', { id: `g${d}b`, category: 'gym/weights' })
      await a.flush()
    }
    for (let d = 0; d < 3; d++) {
      clock.advance(DAY)
      for (let i = 0; i < 3; i++) a.track('view', { id: `h${d}${i}`, category: 'hiking/boots' })
      await a.flush()
    }
    const candidates = [{ id: 'popular-yoga', category: 'yoga/mats', popularity: 1000 }, { id: 'gym-bench', category: 'gym/weights', popularity: 1 }]
    const live = { shift: a.getSnapshot().shift, scores: a.rank(candidates).map((r) => r.score.toFixed(6)) }
    expect(live.shift).not.toBeNull()
    a.close()
    const b = make({ name, now: clock.now })
    await b.ready
    expect({ shift: b.getSnapshot().shift, scores: b.rank(candidates).map((r) => r.score.toFixed(6)) }).toEqual(live)
  })
})

describe('when IndexedDB goes away mid-visit', () => {
  it('the profile learned so far survives in memory, through a read-back', async () => {
    const name = uniqueName()
    const palate = make({ name, onError: () => {} })
    await palate.ready
    for (let i = 0; i < 5; i++) palate.track('view', boots)
    palate.track('view', mat)
    await palate.flush()
    // A newer Palate in another tab upgrades the database.
    await upgrade(name)
    await expect.poll(() => palate.getSnapshot().status).toBe('memory')
    await palate.forget('category:yoga')
    expect(palate.interests().map((i) => i.key)).toContain('category:hiking/boots')
  })
})

describe('records of another shape', () => {
  it('a malformed journal record is ignored; the profile still opens', async () => {
    const name = uniqueName()
    const one = make({ name })
    await one.ready
    one.track('view', boots)
    await one.flush()
    one.close()
    await sleep(20)
    await addToInbox(name, { event: { t: Date.now(), type: 'view', item: { id: 'x', category: 42 } }, weight: 1 })
    const errors: Error[] = []
    const two = make({ name, onError: (e) => errors.push(e) })
    await two.ready
    expect(two.getSnapshot().status).toBe('ready')
    expect(two.interests().map((i) => i.key)).toContain('category:hiking/boots')
    expect(errors.map((e) => e.message)).toEqual(['ignored 1 stored record(s) of the wrong shape'])
  })

  it('an imported key of an unknown dimension is refused', async () => {
    const palate = make({ name: uniqueName() })
    await palate.ready
    const exported = await palate.export()
    await expect(palate.import({ ...exported, keys: [{ key: 'foo:bar', v: [1, 1, 1], t: 0, f: 0 }] })).rejects.toThrow(/import\(\): keys\[0\] is not a stored interest/)
  })
})

describe('ranking', () => {
  it('a repeated id keeps its first occurrence on every render, not only the first', () => {
    const palate = make({ storage: 'memory' })
    const a = { id: 'x', category: 'surf' }
    const b = { id: 'x', category: 'ski' }
    for (let render = 0; render < 3; render++) expect(palate.rank([a, b]).map((r) => r.item)).toEqual([a])
  })

  it('a surprise never takes the first slot, even with every slot given to surprises', () => {
    const palate = make({ storage: 'memory' })
    for (let i = 0; i < 5; i++) palate.track('view', boots)
    const shelf = palate.rank([boots, { id: 'b2', category: 'hiking/boots' }, { id: 's', category: 'surf/boards' }, { id: 'k', category: 'ski/poles' }], { surprise: 1 })
    expect(shelf[0]!.reason.kind).not.toBe('surprise')
    expect(shelf.slice(1).some((r) => r.reason.kind === 'surprise')).toBe(true)
  })
})

describe('settings', () => {
  it('setSurprise before the profile is read keeps the stored mutes', async () => {
    const name = uniqueName()
    const one = make({ name })
    await one.ready
    one.track('view', boots)
    await one.mute('category:hiking')
    one.close()
    await sleep(20)
    const two = make({ name })
    await two.setSurprise(true)
    expect(two.getSnapshot()).toMatchObject({ surprise: true, muted: ['category:hiking'] })
  })

  it('unmute before the profile is read finds the stored mute', async () => {
    const name = uniqueName()
    const one = make({ name })
    await one.mute('category:hiking')
    one.close()
    await sleep(20)
    const two = make({ name })
    await two.unmute('category:hiking')
    expect(two.getSnapshot().muted).toEqual([])
  })

  it('a setting changed right after forget() sticks', async () => {
    const palate = make({ name: uniqueName() })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', mat)
    await palate.flush()
    void palate.forget('category:yoga')
    await palate.setSurprise(true)
    expect(palate.getSnapshot().surprise).toBe(true)
  })

  it('two tabs muting at once both keep their mute', async () => {
    const name = uniqueName()
    const a = make({ name })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    await Promise.all([a.mute('category:surf'), b.mute('category:ski')])
    const c = make({ name })
    await c.ready
    expect([...c.getSnapshot().muted].sort()).toEqual(['category:ski', 'category:surf'])
  })
})

describe('forget', () => {
  it('works while the profile is still being read', async () => {
    const name = uniqueName()
    const one = make({ name })
    await one.ready
    one.track('view', boots)
    await one.flush()
    one.close()
    await sleep(20)
    const two = make({ name })
    two.track('view', boots)
    await two.forget('category:hiking')
    await two.ready
    expect(two.interests({ limit: 50 }).filter((i) => i.key.startsWith('category:hiking'))).toEqual([])
  })

  it('is not undone by another tab writing what it tracked before the forget', async () => {
    const name = uniqueName()
    const a = make({ name })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    a.track('view', boots)
    a.track('view', mat)
    await a.flush()
    await sleep(100)
    b.track('view', boots)
    const forgetting = a.forget('category:hiking')
    await sleep(0)
    void b.flush()
    await forgetting
    await sleep(300)
    await b.flush()
    const keys = ((await readRaw(name)).keys as { key: string }[]).map((k) => k.key)
    expect(keys.filter((k) => k.startsWith('category:hiking'))).toEqual([])
    expect(a.interests({ limit: 50 }).filter((i) => i.key.startsWith('category:hiking'))).toEqual([])
  })
})

describe('consent', () => {
  it('opt-out then opt-in at once: a fresh database, and new events are saved', async () => {
    const name = uniqueName()
    const palate = make({ name, onError: () => {} })
    await palate.ready
    palate.track('view', boots)
    await palate.flush()
    await Promise.all([palate.optOut(), palate.optIn()])
    palate.track('view', { id: 'board', category: 'surf/boards' })
    await palate.flush()
    expect(palate.getSnapshot().status).toBe('ready')
    expect(await databaseExists(name)).toBe(true)
    const stored = await palate.export()
    expect(stored.events.map((e) => e.item.id)).toEqual(['board'])
  })

  it('opting out right after createPalate leaves no database behind', async () => {
    const name = uniqueName()
    const palate = make({ name })
    await palate.optOut()
    await sleep(50)
    expect(await databaseExists(name)).toBe(false)
  })

  it('a shopper who accepts in one tab is not left pending in another', async () => {
    const name = uniqueName()
    const a = make({ name, consent: 'pending' })
    const b = make({ name, consent: 'pending' })
    await Promise.all([a.ready, b.ready])
    await a.setConsent('granted')
    await expect.poll(() => b.consent(), { timeout: 1000 }).toBe('granted')
  })

  it('an opt-out made elsewhere also ends the visit seed', async () => {
    const name = uniqueName()
    const one = make({ name })
    await one.ready
    one.track('view', boots)
    one.rank([boots], { surprise: true })
    expect(sessionStorage.getItem(`palate:${name}:visit`)).not.toBeNull()
    one.close()
    localStorage.setItem(`palate:${name}:consent`, 'denied')
    const two = make({ name })
    await two.ready
    expect(sessionStorage.getItem(`palate:${name}:visit`)).toBeNull()
  })

  it('a plain opt-out during a write reports no error', async () => {
    const errors: string[] = []
    const palate = make({ name: uniqueName(), onError: (e) => errors.push(e.message) })
    await palate.ready
    palate.track('view', boots)
    void palate.flush()
    await palate.optOut()
    await sleep(50)
    expect(errors).toEqual([])
  })
})

describe('sensitive categories', () => {
  it('a mute of a sensitive category is kept for this page only', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    palate.track('view', { id: 'kit', category: 'health/tests' })
    await palate.mute('category:health/tests')
    expect(palate.getSnapshot().muted).toEqual(['category:health/tests'])
    expect(JSON.stringify(await readRaw(name))).not.toMatch(/health/)
  })

  it('forgetting a sensitive category sends no name to other tabs', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    const heard: unknown[] = []
    const channel = new BroadcastChannel(`palate:${name}`)
    channel.onmessage = (event) => heard.push(event.data)
    palate.track('view', { id: 'kit', category: 'health/tests' })
    await palate.forget('category:health')
    await sleep(50)
    channel.close()
    expect(JSON.stringify(heard)).not.toMatch(/health/)
  })

  it('an import leaves out marks of items seen only under sensitive categories', async () => {
    const t = Date.UTC(2026, 0, 5)
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'], now: () => t })
    await palate.ready
    const exported = await palate.export()
    await palate.import({
      ...exported,
      events: [{ id: 1, t: t - DAY, type: 'purchase', item: { id: 'pregnancy-test', category: 'health/tests' } }],
      items: [{ id: 'pregnancy-test', purchased: t - DAY }],
      settings: { surprise: false, muted: ['category:health'] },
    })
    expect(JSON.stringify(await readRaw(name))).not.toMatch(/pregnancy|health/)
  })
})

describe('limits', () => {
  it('the memory store honours maxEvents: 0', async () => {
    const palate = make({ storage: 'memory', maxEvents: 0 })
    await palate.ready
    for (let i = 0; i < 5; i++) palate.track('view', boots)
    await palate.flush()
    expect((await palate.export()).events).toEqual([])
  })

  it('item marks live as long as satiation needs, even past retention', async () => {
    const clock = manualClock()
    const palate = make({ storage: 'memory', now: clock.now, retentionDays: 10, satiationDays: 30 })
    palate.track('purchase', boots)
    await palate.flush()
    clock.advance(20 * DAY)
    palate.track('view', mat)
    await palate.flush()
    expect(palate.explain(boots).text).toBe('You bought this recently')
  })
})

describe('the caps and retention hold on every write, whoever wrote before', () => {
  it('an import keeps maxEvents and maxKeys after this tab has written: a file beyond them is refused whole', async () => {
    const source = make({ storage: 'memory', maxEvents: 1000, maxKeys: 1000 })
    for (let i = 0; i < 300; i++) source.track('view', { id: `p${i}`, category: `c${i}` })
    const exported = await source.export()
    const name = uniqueName()
    const palate = make({ name, maxEvents: 50, maxKeys: 20 })
    await palate.ready
    palate.track('view', boots)
    await palate.flush()
    await expect(palate.import(exported)).rejects.toThrow(/keys holds|events holds/)
    const raw = await readRaw(name)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['boots'])
    expect(raw.events!.length).toBeLessThanOrEqual(50)
    expect(raw.keys!.filter((k) => !(k as { key: string }).key.startsWith('#')).length).toBeLessThanOrEqual(20)
  })

  it('the stored interest keys never exceed maxKeys, one new key per write', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const palate = make({ name, now: clock.now, maxKeys: 20 })
    await palate.ready
    let most = 0
    for (let i = 0; i < 40; i++) {
      clock.advance(60_000)
      palate.track('view', { id: `p${i}`, category: `c${i}` })
      await palate.flush()
      const stored = (await readRaw(name)).keys!.filter((k) => !(k as { key: string }).key.startsWith('#'))
      most = Math.max(most, stored.length)
    }
    expect(most).toBe(20)
  })

  it('two tabs writing in turn keep the log within maxEvents', async () => {
    const name = uniqueName()
    const tabs = [make({ name, maxEvents: 20 }), make({ name, maxEvents: 20 })]
    await Promise.all(tabs.map((tab) => tab.ready))
    let most = 0
    for (let round = 0; round < 8; round++) {
      for (const tab of tabs) {
        for (let i = 0; i < 5; i++) tab.track('view', { id: `r${round}-${i}`, category: 'hiking/boots' })
        await tab.flush()
        most = Math.max(most, (await readRaw(name)).events!.length)
      }
    }
    expect(most).toBeLessThanOrEqual(20)
  })

  it('after a forget, the next writes delete no event the cap has room for', async () => {
    const name = uniqueName()
    const palate = make({ name, maxEvents: 20 })
    await palate.ready
    for (let i = 0; i < 10; i++) palate.track('view', { id: `y${i}`, category: 'yoga/mats' })
    for (let i = 0; i < 9; i++) palate.track('view', { id: `h${i}`, category: 'hiking/boots' })
    await palate.flush()
    await palate.forget('category:yoga')
    palate.track('view', { id: 'h9', category: 'hiking/boots' })
    palate.track('view', { id: 'h10', category: 'hiking/boots' })
    await palate.flush()
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10'])
  })

  it('a tab that stays open deletes events and item marks past retention on its next write', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const palate = make({ name, now: clock.now, retentionDays: 10, satiationDays: 10 })
    await palate.ready
    palate.track('purchase', { id: 'old', category: 'hiking/boots' })
    await palate.flush()
    clock.advance(11 * DAY)
    palate.track('view', mat)
    await palate.flush()
    const raw = await readRaw(name)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['mat'])
    expect(raw.items).toEqual([])
  })
})

describe('a page that leaves in the middle of a write', () => {
  /**
   * Watches IndexedDB transactions. Once armed, `run` is called just after the next write of the
   * profile has issued its reads (a microtask after the transaction is created). `abortWrites` and
   * `refuseNew` then play the unload as Chromium does it: a transaction still waiting on reads is
   * aborted, and no new one may start.
   */
  function onWriteStart(run: () => void) {
    const proto = IDBDatabase.prototype
    const original = proto.transaction
    const add = IDBObjectStore.prototype.add
    const live = new Set<IDBTransaction>()
    /** Transactions that added to the inbox (what a page going away issues). */
    const appends = new Set<IDBTransaction>()
    const state = {
      armed: false,
      fired: false,
      get journaled() {
        return appends.size
      },
      refusing: false,
      arm: () => void (state.armed = true),
      abortWrites: () => {
        for (const tx of live) if (tx.mode === 'readwrite' && tx.objectStoreNames.contains('events')) tx.abort()
      },
      refuseNew: () => void (state.refusing = true),
      restore: () => {
        proto.transaction = original
        IDBObjectStore.prototype.add = add
      },
    }
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'inbox') appends.add(this.transaction)
      return add.apply(this, args)
    }
    proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (state.refusing) throw new DOMException('the page is gone', 'InvalidStateError')
      const tx = original.apply(this, args)
      live.add(tx)
      for (const end of ['complete', 'abort']) tx.addEventListener(end, () => live.delete(tx))
      if (state.armed && tx.mode === 'readwrite' && tx.objectStoreNames.contains('events')) {
        state.armed = false
        state.fired = true
        queueMicrotask(run)
      }
      return tx
    }
    return state
  }

  /**
   * Tracks three events and leaves as Chromium unloads a page: a transaction still waiting on reads
   * is aborted, and nothing new may start. Returns the ids stored, in the log or the inbox.
   */
  async function leave(midWrite: boolean): Promise<string[]> {
    const { page, restore } = pageEvents()
    const writes = onWriteStart(unload)
    const name = uniqueName()
    const palate = createPalate({ name, onError: () => {} })
    function unload(): void {
      page.dispatchEvent(new Event('pagehide'))
      writes.abortWrites()
      writes.refuseNew()
    }
    try {
      await palate.ready
      await sleep(20)
      for (let i = 0; i < 3; i++) palate.track('view', { id: `b${i}`, category: 'hiking/boots' })
      if (midWrite) {
        writes.arm()
        void palate.flush()
      } else {
        unload()
      }
      await sleep(50)
      expect(writes.refusing).toBe(true)
    } finally {
      palate.close()
      writes.restore()
      restore()
    }
    await sleep(20)
    const raw = await readRaw(name)
    const journaled = raw.inbox!.map((entry) => (entry as { event: { item: { id: string } } }).event)
    return [...storedEvents(raw), ...journaled].map((e) => e.item.id)
  }

  it('events still waiting when the page hides are journaled', async () => {
    expect(await leave(false)).toEqual(['b0', 'b1', 'b2'])
  })

  it('events whose write is under way when the page hides are journaled too', async () => {
    expect(await leave(true)).toEqual(['b0', 'b1', 'b2'])
  })

  it('when that write commits after all, the journaled copies are not counted again', async () => {
    const { page, restore } = pageEvents()
    const clock = manualClock()
    const name = uniqueName()
    const writes = onWriteStart(() => page.dispatchEvent(new Event('pagehide')))
    const hiking = (i: number) => ({ id: `b${i}`, category: 'hiking/boots' })
    try {
      const palate = make({ name, now: clock.now })
      await palate.ready
      palate.track('view', mat)
      await palate.flush()
      for (let i = 0; i < 3; i++) palate.track('view', hiking(i))
      writes.arm()
      await palate.flush() // the shopper leaves while this write is under way; it commits anyway
      expect(writes.fired).toBe(true)
      expect(writes.journaled).toBe(1)
      palate.close()
    } finally {
      writes.restore()
      restore()
    }
    await sleep(20)
    const next = make({ name, now: clock.now })
    await next.ready
    const shown = next.interests()
    await next.flush()
    const raw = await readRaw(name)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['mat', 'b0', 'b1', 'b2'])
    expect(raw.inbox).toEqual([])
    expect((await next.export()).events).toHaveLength(4)
    // The same profile as the four events written once each.
    const once = make({ storage: 'memory', now: clock.now })
    once.track('view', mat)
    await once.flush()
    for (let i = 0; i < 3; i++) once.track('view', hiking(i))
    await once.flush()
    const values = (keys: StoredKey[]) => Object.fromEntries(keys.map((record) => [record.key, record.v.map((v) => v.toFixed(9))]))
    expect(values(raw.keys as StoredKey[])).toEqual(values((await once.export()).keys))
    expect(shown).toEqual(once.interests())
  })

  it('events journaled while forget() reads the profile back stay in the live profile', { timeout: 30_000 }, async () => {
    const { page, restore } = pageEvents()
    const lost: number[] = []
    try {
      // The pagehide lands at each point of the forget in turn.
      for (let ticks = 0; ticks < 30; ticks++) {
        const name = uniqueName()
        const palate = make({ name })
        await palate.ready
        palate.track('view', mat)
        await palate.flush()
        for (let i = 0; i < 3; i++) palate.track('view', { id: `b${i}`, category: 'hiking/boots' })
        const forgetting = palate.forget('category:yoga')
        for (let j = 0; j < ticks; j++) await macrotask()
        page.dispatchEvent(new Event('pagehide'))
        await forgetting
        await palate.flush()
        await sleep(100)
        const stored = (await readRaw(name)).keys!.some((record) => (record as { key: string }).key === 'category:hiking/boots')
        const shown = palate.interests().some((interest) => interest.key === 'category:hiking/boots')
        if (stored && !shown) lost.push(ticks)
        palate.close()
      }
    } finally {
      restore()
    }
    expect(lost).toEqual([])
  })
})

describe('keys as the catalog spells them', () => {
  it('a mute of a sensitive category in catalog spelling is not written, and works', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    const item = { id: 'pregnancy-test', category: 'Health/Tests' }
    palate.track('view', item)
    await palate.mute(`category:${item.category}`)
    expect(palate.interests().map((i) => i.key)).not.toContain('category:health/tests')
    expect(palate.getSnapshot().muted).toEqual(['category:health/tests'])
    await palate.flush()
    expect(JSON.stringify(await readRaw(name))).not.toMatch(/health/i)
  })

  it('forget() and unmute() take the catalog spelling too', async () => {
    const palate = make({ name: uniqueName() })
    await palate.ready
    palate.track('view', { id: 'b', category: 'Hiking/Boots' })
    palate.track('view', mat)
    await palate.mute('category: Yoga ')
    expect(palate.interests().map((i) => i.key)).not.toContain('category:yoga/mats')
    await palate.unmute('category:YOGA')
    expect(palate.interests().map((i) => i.key)).toContain('category:yoga/mats')
    await palate.forget('category:Hiking/Boots')
    expect(palate.interests().map((i) => i.key)).not.toContain('category:hiking/boots')
  })
})

describe('consent', () => {
  it('a mute and "surprise me" chosen before consent still hold after optIn(), and are stored', async () => {
    const name = uniqueName()
    const palate = make({ name, consent: 'pending' })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', mat)
    await palate.mute('category:yoga')
    await palate.setSurprise(true)
    await palate.optIn()
    const { surprise, muted } = palate.getSnapshot()
    expect({ surprise, muted }).toEqual({ surprise: true, muted: ['category:yoga'] })
    expect(palate.interests().map((i) => i.key)).not.toContain('category:yoga/mats')
    palate.close()
    await sleep(20)
    const next = make({ name })
    await next.ready
    expect(next.getSnapshot()).toMatchObject({ surprise: true, muted: ['category:yoga'] })
  })

  it('setConsent("granted") while the profile is still opening opens it once, and `ready` means loaded', async () => {
    const name = uniqueName()
    const open = vi.spyOn(indexedDB, 'open')
    try {
      const palate = make({ name })
      const ready = palate.ready
      const confirming = palate.setConsent('granted')
      await ready
      expect(palate.getSnapshot().status).toBe('ready')
      await confirming
      expect(open.mock.calls.filter(([opened]) => opened === name)).toHaveLength(1)
    } finally {
      open.mockRestore()
    }
  })
})

describe('after the connection is lost', () => {
  it('export() still leaves out items bought under a sensitive category', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'], onError: () => {} })
    await palate.ready
    palate.track('view', boots)
    palate.track('purchase', { id: 'pregnancy-test', category: 'health/tests' })
    await palate.flush()
    await upgrade(name)
    await expect.poll(() => palate.getSnapshot().status).toBe('memory')
    const exported = await palate.export()
    expect(JSON.stringify(exported)).not.toMatch(/pregnancy|health/)
    expect(exported.keys.map((record) => record.key)).toContain('category:hiking/boots')
  })
})

describe('journal records of another shape', () => {
  it('a journal record with extra fields is folded in by its event, and writing goes on', async () => {
    const name = uniqueName()
    const first = make({ name })
    await first.ready
    first.close()
    await sleep(20)
    await addToInbox(name, { event: { t: Date.now(), type: 'view', item: { id: 'x', category: 'yoga' } }, weight: 1, keys: 42 })
    const errors: string[] = []
    const palate = make({ name, onError: (e) => errors.push(e.message) })
    await palate.ready
    palate.track('view', boots)
    await palate.flush()
    expect(palate.getSnapshot().status).toBe('ready')
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['x', 'boots'])
    expect(errors).toEqual([])
  })
})

describe('early open and consent', () => {
  it('a shopper who opted out on an earlier visit and opts in as the page loads gets a stored profile', async () => {
    const name = uniqueName()
    localStorage.setItem(`palate:${name}:consent`, 'denied')
    const errors: Error[] = []
    // A consent banner synced on load (or another tab's "opted-in") says yes while the page starts.
    const palate = make({ name, onError: (e) => errors.push(e) })
    await palate.optIn()
    expect(palate.consent()).toBe('granted')
    expect(palate.getSnapshot().status).toBe('ready')
    palate.track('view', boots)
    await palate.flush()
    expect(await databaseExists(name)).toBe(true)
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['boots'])
    expect(errors.map((e) => e.message)).toEqual([])
  })

  it('an opt-out while the profile is still opening is not reported as an error', async () => {
    const name = uniqueName()
    const errors: Error[] = []
    const palate = make({ name, onError: (e) => errors.push(e) })
    await palate.optOut()
    await palate.ready
    expect(await databaseExists(name)).toBe(false)
    expect(errors.map((e) => `${e.name}: ${e.message}`)).toEqual([])
  })
})

describe('half-lives changed by a deploy while a tab is open', () => {
  it('the tab still running the old ones lets go of the database instead of writing over the profile', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const categories = ['hiking/boots', 'yoga/mats', 'running/shoes', 'camping/tents', 'surf/boards']
    // The tab opened before the deploy: default half-lives.
    const errors: Error[] = []
    const old = make({ name, now: clock.now, onError: (e) => errors.push(e) })
    await old.ready
    for (let i = 0; i < 25; i++) {
      old.track('view', { id: `p${i}`, category: categories[i % categories.length]! })
      clock.advance(60_000)
    }
    await old.flush()
    // A page of the new build: its half-lives differ, so it rebuilds the values from the log.
    const halfLives = [DAY, 30 * DAY]
    const fresh = make({ name, now: clock.now, halfLives })
    await fresh.ready
    expect(fresh.interests({ limit: 50 }).map((i) => i.key)).toContain('category:yoga/mats')
    // The old tab writes one more event: it finds the profile rebuilt by a newer page, lets go of
    // the database and keeps working from memory, as when a newer schema opens.
    old.track('view', { id: 'x', category: 'hiking/poles' })
    await old.flush()
    expect(old.getSnapshot().status).toBe('memory')
    expect(old.interests({ limit: 50 }).map((i) => i.key)).toContain('category:hiking/poles')
    expect(errors.map((e) => e.message)).toEqual(['IndexedDB connection lost (other half-lives); this tab keeps its profile in memory'])
    // The stored profile is the new page's, whole.
    const raw = await readRaw(name)
    expect(storedEvents(raw)).toHaveLength(25)
    expect(raw.keys!.map((k) => (k as { key: string }).key)).toContain('category:yoga/mats')
    expect((raw.keys as { v: number[] }[]).every((k) => k.v.length === 2)).toBe(true)
    const next = make({ name, now: clock.now, halfLives })
    await next.ready
    const keys = next.interests({ limit: 50 }).map((i) => i.key)
    expect(keys).toContain('category:yoga/mats')
    expect(keys).toContain('category:running/shoes')
  })
})

describe('consent granted as the page loads', () => {
  it('a pending-consent page told "granted" at once opens the database once, and loses it once', async () => {
    const name = uniqueName()
    const errors: string[] = []
    const palate = make({ name, consent: 'pending', onError: (e) => errors.push(e.message) })
    await palate.setConsent('granted')
    expect(palate.getSnapshot().status).toBe('ready')
    await upgrade(name)
    await expect.poll(() => palate.getSnapshot().status).toBe('memory')
    await sleep(50)
    expect(errors).toEqual(['IndexedDB connection lost (versionchange); this tab keeps its profile in memory'])
  })

  it('an instance closed after an opt-in on load keeps no connection, and reports nothing once closed', async () => {
    const name = uniqueName()
    localStorage.setItem(`palate:${name}:consent`, 'denied')
    const errors: string[] = []
    const palate = make({ name, onError: (e) => errors.push(e.message) })
    await palate.optIn()
    palate.track('view', boots)
    await palate.flush()
    palate.close()
    await sleep(50)
    await upgrade(name)
    await sleep(50)
    expect(errors).toEqual([])
  })

  it('an opt-out then an opt-in as the page loads: no connection opened only to be deleted, no onError', async () => {
    const name = uniqueName()
    const errors: string[] = []
    const palate = make({ name, onError: (e) => errors.push(e.message) })
    void palate.optOut()
    await palate.optIn()
    palate.track('view', boots)
    await palate.flush()
    expect(palate.getSnapshot().status).toBe('ready')
    expect(errors).toEqual([])
  })
})

describe('a tab still running the old half-lives', () => {
  async function outdatedTab() {
    const name = uniqueName()
    const clock = manualClock()
    const errors: string[] = []
    const old = make({ name, now: clock.now, onError: (e) => errors.push(e.message) })
    await old.ready
    old.track('view', boots)
    old.track('view', { id: 'mat', category: 'yoga/mats' })
    await old.flush()
    clock.advance(60_000)
    // A page of the new build rebuilds the stored values with its half-lives.
    const fresh = make({ name, now: clock.now, halfLives: [DAY, 30 * DAY] })
    await fresh.ready
    return { old, errors, clock }
  }

  it('forget() finds out, lets go of the database, and still forgets (one onError)', async () => {
    const { old, errors } = await outdatedTab()
    await expect(old.forget('category:yoga')).resolves.toBeUndefined()
    expect(old.getSnapshot().status).toBe('memory')
    expect(old.interests({ limit: 50 }).map((i) => i.key)).not.toContain('category:yoga/mats')
    expect(errors).toEqual(['IndexedDB connection lost (other half-lives); this tab keeps its profile in memory'])
  })

  it('a recovery part that fails to load: onError hears it, and the tab goes on from its live profile', async () => {
    const { old, errors } = await outdatedTab()
    const failure = new Error('Failed to fetch dynamically imported module: recovery.js')
    const recovery = vi.spyOn(lazyParts, 'recovery').mockRejectedValue(failure)
    try {
      await expect(old.forget('category:yoga')).resolves.toBeUndefined()
      expect(old.getSnapshot().status).toBe('memory')
      expect(errors).toEqual(['IndexedDB connection lost (other half-lives); this tab keeps its profile in memory', failure.message])
      old.track('click', { id: 'poles', category: 'hiking/poles' })
      expect(old.interests({ limit: 50 }).map((i) => i.key)).toContain('category:hiking/poles')
      expect(old.interests({ limit: 50 }).map((i) => i.key)).not.toContain('category:yoga/mats')
    } finally {
      recovery.mockRestore()
    }
  })

  it('export() right after tracking includes the event that found out', async () => {
    const { old } = await outdatedTab()
    old.track('view', { id: 'poles', category: 'hiking/poles' })
    const data = await old.export()
    expect(old.getSnapshot().status).toBe('memory')
    expect(data.events.map((e) => e.item.id)).toContain('poles')
    expect(data.keys.map((k) => k.key)).toContain('category:hiking/poles')
  })
})
