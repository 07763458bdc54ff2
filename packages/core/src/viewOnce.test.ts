import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPalate } from './createPalate.js'
import { visitKey } from './live/visit.js'
import type { Palate } from './types.js'

/** sessionStorage as a page has it, for the node test environment. */
class MemoryStorage {
  private map = new Map<string, string>()
  get length() {
    return this.map.size
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null
  }
  getItem(k: string) {
    return this.map.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.map.set(k, String(v))
  }
  removeItem(k: string) {
    this.map.delete(k)
  }
  clear() {
    this.map.clear()
  }
}

const MINUTE = 60_000
/** The visit is written once the calls of a task are over (a microtask later). */
const written = (): Promise<void> => Promise.resolve()
const boots = { id: 'boots', category: 'hiking/boots' }
const pack = { id: 'pack', category: 'hiking/packs' }
let clock: { t: number }
let open: Palate[]
let n = 0

function make(options: Parameters<typeof createPalate>[0] = {}): Palate {
  const palate = createPalate({ storage: 'memory', now: () => clock.t, ...options })
  open.push(palate)
  return palate
}
/** Decayed event count: what a repeat view would add to. */
const events = async (palate: Palate) => (await palate.export()).keys.find((k) => k.key === '#events')?.v[2] ?? 0

beforeEach(() => {
  clock = { t: Date.UTC(2026, 2, 1, 10) }
  open = []
  ;(globalThis as { sessionStorage?: unknown }).sessionStorage = new MemoryStorage()
})
afterEach(() => {
  for (const palate of open) palate.close()
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage
})

describe('a view of the same item within a visit counts once', () => {
  it('ignores a repeat view, counts other items and other events', async () => {
    const palate = make({ name: `once-${n++}`, consent: 'granted', storage: 'indexeddb' })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', boots)
    clock.t += 5 * MINUTE
    palate.track('view', boots)
    palate.track('view', pack)
    palate.track('add_to_cart', boots)
    palate.track('add_to_cart', boots)
    expect(await events(palate)).toBe(4)
  })

  it('counts it again in the next visit, after 30 minutes without activity', async () => {
    const palate = make({ name: `once-${n++}`, consent: 'granted', storage: 'indexeddb' })
    await palate.ready
    palate.track('view', boots)
    // Activity of any kind keeps the visit going.
    for (let i = 0; i < 3; i++) {
      clock.t += 20 * MINUTE
      palate.track('view', pack)
      palate.track('view', boots)
    }
    expect(await events(palate)).toBe(2)
    clock.t += 31 * MINUTE
    palate.track('view', boots)
    expect(await events(palate)).toBe(3)
  })

  it('holds across the visit’s page loads where writing is allowed, and not after an opt-out', async () => {
    const name = `once-${n++}`
    const first = make({ name, consent: 'granted', storage: 'indexeddb' })
    await first.ready
    first.track('view', boots)
    await written()
    expect(JSON.parse(sessionStorage.getItem(visitKey(name))!).ids).toEqual(['boots'])
    first.close()
    clock.t += MINUTE
    const reload = make({ name, consent: 'granted', storage: 'indexeddb' })
    await reload.ready
    const before = await events(reload)
    reload.track('view', boots)
    expect(await events(reload)).toBe(before)
    await reload.optOut()
    expect(sessionStorage.getItem(visitKey(name))).toBeNull()
  })

  it('remembers a view tracked while the profile opens only once it is open, so a page left meanwhile counts it again', async () => {
    const name = `once-${n++}`
    const opening = make({ name, consent: 'granted', storage: 'indexeddb' })
    opening.track('view', boots)
    // The view is not safe in the profile yet: the next page load must not take it as seen.
    expect(sessionStorage.getItem(visitKey(name))).toBeNull()
    await opening.ready
    expect(JSON.parse(sessionStorage.getItem(visitKey(name))!).ids).toEqual(['boots'])
    opening.track('view', boots)
    expect(await events(opening)).toBe(1)
  })

  it('keeps one visit for surprises and views: the seed and the viewed ids end together', async () => {
    const name = `once-${n++}`
    const palate = make({ name, consent: 'granted', storage: 'indexeddb' })
    await palate.ready
    palate.track('view', boots)
    palate.rank([boots, pack], { surprise: true })
    await written()
    const { seed, ids } = JSON.parse(sessionStorage.getItem(visitKey(name))!)
    expect(Number.isInteger(seed)).toBe(true)
    expect(ids).toEqual(['boots'])
    clock.t += 31 * MINUTE
    palate.track('view', boots)
    await written()
    expect(JSON.parse(sessionStorage.getItem(visitKey(name))!)).toEqual({ at: clock.t, ids: ['boots'] })
    expect(await events(palate)).toBeCloseTo(2, 1)
  })

  it('a burst of views in one task writes the visit once, with every view in it', async () => {
    const name = `once-${n++}`
    const palate = make({ name, consent: 'granted', storage: 'indexeddb' })
    await palate.ready
    await written()
    const setItem = sessionStorage.setItem
    let writes = 0
    sessionStorage.setItem = function (this: Storage, ...args: Parameters<Storage['setItem']>) {
      if (args[0] === visitKey(name)) writes++
      return setItem.apply(this, args)
    }
    try {
      for (let i = 0; i < 50; i++) palate.track('view', { id: `item-${i}`, category: 'hiking/boots' })
      await written()
    } finally {
      sessionStorage.setItem = setItem
    }
    expect(writes).toBe(1)
    expect(JSON.parse(sessionStorage.getItem(visitKey(name))!).ids).toHaveLength(50)
  })

  it('is kept in the page only while consent is pending or the profile is in memory', async () => {
    const pending = make({ name: `once-${n++}`, consent: 'pending' })
    pending.track('view', boots)
    pending.track('view', boots)
    const memory = make({ name: `once-${n++}`, consent: 'granted', storage: 'memory' })
    memory.track('view', boots)
    await written()
    expect(sessionStorage.length).toBe(0)
    expect(pending.interests()).toHaveLength(1)
  })

  it('remembers the latest 200 items viewed: the oldest are let go one at a time, in order', async () => {
    const palate = make({ name: `once-${n++}`, consent: 'granted' })
    await palate.ready
    const item = (i: number) => ({ id: `sku-${i}`, category: 'hiking/boots' })
    for (let i = 0; i < 250; i++) palate.track('view', item(i))
    // sku-0 … sku-49 were let go: each counts again, and lets the next oldest go (sku-50 … sku-99).
    for (let i = 0; i < 50; i++) palate.track('view', item(i))
    expect(await events(palate)).toBeCloseTo(300, 9)
    palate.track('view', item(100))
    palate.track('view', item(49))
    expect(await events(palate)).toBeCloseTo(300, 9)
    palate.track('view', item(50))
    palate.track('view', item(99))
    expect(await events(palate)).toBeCloseTo(302, 9)
  })

  it('remembers nothing of a malformed item', () => {
    const palate = make()
    expect(() => palate.track('view', { id: '' })).toThrow(TypeError)
    palate.track('view', boots)
    expect(palate.interests().map((i) => i.key)).toEqual(['category:hiking/boots'])
  })
})
