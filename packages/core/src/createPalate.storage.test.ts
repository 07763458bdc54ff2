// Storage behaviour. Runs twice: in Node against fake-indexeddb, and in Chromium against its real IndexedDB.
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import type { Palate } from './index.js'
import { addToInbox, closedAfterEach, DAY, manualClock, readRaw, storedEvents, uniqueName } from './testing.js'
import { unpackKeys } from './storage/packed.js'
import { packKeys } from './storage/packing.js'
import type { StoredKey } from './types.js'

const make = closedAfterEach()

function shop(palate: Palate, clock: ReturnType<typeof manualClock>): void {
  for (let d = 0; d < 20; d++) {
    clock.advance(DAY)
    palate.track('view', { id: `r${d}`, category: 'running/shoes', tags: ['trail'] })
    palate.track('view', { id: `y${d}`, category: 'yoga/mats' })
    if (d % 3 === 0) palate.track('add_to_cart', { id: `r${d}`, category: 'running/shoes', brand: 'Stride' })
    if (d > 15) palate.track('view', { id: `c${d}`, category: 'camping/tents' })
  }
}

describe('IndexedDB profile', () => {
  it('a new instance on the same database returns the same interests', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const first = make({ name, now: clock.now })
    await first.ready
    expect(first.getSnapshot().status).toBe('ready')
    shop(first, clock)
    const interests = first.interests({ limit: 20 })
    expect(interests.length).toBeGreaterThan(3)
    await first.flush()
    first.close()

    const second = make({ name, now: clock.now })
    await second.ready
    expect(second.getSnapshot().status).toBe('ready')
    // Same keys in the same order, same scores (to the last few bits: sums may run in another order).
    const again = second.interests({ limit: 20 })
    expect(again.map((i) => i.key)).toEqual(interests.map((i) => i.key))
    again.forEach((interest, i) => {
      expect(interest.score).toBeCloseTo(interests[i]!.score, 12)
      expect(interest.trend).toBe(interests[i]!.trend)
    })
  })

  it('batches writes off the hot path: nothing is written until the flush', async () => {
    const name = uniqueName()
    const palate = make({ name })
    await palate.ready
    palate.track('view', { id: 'a', category: 'surf' })
    palate.track('view', { id: 'b', category: 'surf' })
    expect((await readRaw(name)).events).toEqual([])
    await palate.flush()
    const raw = await readRaw(name)
    expect(raw.events).toHaveLength(2)
    expect(raw.inbox).toEqual([])
  })

  it('folds in the journal of a page that went away before merging it', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const first = make({ name, now: clock.now })
    await first.ready
    first.close()
    await addToInbox(name, { event: { t: clock.t, type: 'view', item: { id: 'k1', category: 'kayaks' } }, weight: 1 })

    const second = make({ name, now: clock.now })
    await second.ready
    expect(second.interests()[0]?.key).toBe('category:kayaks')
    await second.flush()
    const raw = await readRaw(name)
    expect(raw.inbox).toEqual([])
    expect(raw.events).toHaveLength(1)
  })

  it('two tabs tracking at once both land, and converge on the same profile', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const a = make({ name, now: clock.now })
    const b = make({ name, now: clock.now })
    await Promise.all([a.ready, b.ready])
    for (let i = 0; i < 20; i++) {
      clock.advance(60_000)
      a.track('view', { id: `a${i}`, category: 'surf/boards' })
      b.track('view', { id: `b${i}`, category: 'ski/skis' })
    }
    await Promise.all([a.flush(), b.flush()])
    expect((await readRaw(name)).events).toHaveLength(40)
    const view = (p: Palate) => JSON.stringify(p.interests().map((i) => [i.key, i.score.toFixed(9)]))
    await expect.poll(() => view(a) === view(b), { timeout: 2000 }).toBe(true)
    expect(a.interests({ dimension: 'category' }).map((i) => i.key).sort()).toEqual(['category:ski/skis', 'category:surf/boards'])
    expect(a.interests({ dimension: 'category' }).map((i) => i.share)).toEqual([0.5, 0.5])
  })

  it('rebuilds the interests from the event log when the half-lives change', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const first = make({ name, now: clock.now })
    shop(first, clock)
    await first.flush()
    first.close()
    const second = make({ name, now: clock.now, halfLives: [7 * DAY] })
    await second.ready
    expect(second.interests({ dimension: 'category' })[0]?.key).toMatch(/^category:(running|yoga)/)
    const raw = await readRaw(name)
    expect((raw.keys as { v: number[] }[]).every((k) => k.v.length === 1)).toBe(true)
  })

  it('falls back to memory when IndexedDB refuses to open, and the page keeps working', async () => {
    const errors: Error[] = []
    const realOpen = indexedDB.open
    indexedDB.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError')
    }
    try {
      const palate = make({ name: uniqueName(), onError: (e) => errors.push(e) })
      await palate.ready
      expect(palate.getSnapshot().status).toBe('memory')
      palate.track('view', { id: 'a', category: 'surf' })
      expect(palate.rank([{ id: 'z', category: 'ski' }, { id: 'a', category: 'surf' }])[0]?.item.id).toBe('a')
      await palate.flush()
      expect((await palate.export()).events).toHaveLength(1)
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toMatch(/denied permission/)
    } finally {
      indexedDB.open = realOpen
    }
  })

  it('ignores stored records of the wrong shape, says so once, and keeps the good ones', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const first = make({ name, now: clock.now })
    first.track('view', { id: 'a', category: 'surf' })
    await first.flush()
    first.close()
    const db = await openDB(name)
    // Two records of the wrong shape in the stored (packed) keys: a name that is no key, a NaN.
    const record = (await db.get('meta', 'profile')) as { keys: unknown }
    const keys = unpackKeys(record.keys, 3) as StoredKey[]
    const broken = [{ key: 'broken', v: [1, 1, 1], t: 0, f: 0 }, { key: 'category:nan', v: [Number.NaN, 1, 1], t: 0, f: 0 }]
    await db.put('meta', { ...record, keys: packKeys([...keys, ...broken], 3) }, 'profile')
    db.close()
    const errors: Error[] = []
    const second = make({ name, now: clock.now, onError: (e) => errors.push(e) })
    await second.ready
    expect(second.getSnapshot().status).toBe('ready')
    expect(second.interests().map((i) => i.key)).toEqual(['category:surf'])
    expect(errors.map((e) => e.message)).toEqual(['ignored 2 stored record(s) of the wrong shape'])
  })
})

describe('maintenance', () => {
  it('the sweep deletes expired keys and old events from IndexedDB', async () => {
    const { openIdbStore } = await import('./storage/idbStore.js')
    const { DEFAULT_MODEL } = await import('./model/profile.js')
    const name = uniqueName()
    const t0 = Date.UTC(2026, 0, 1)
    const limits = (now: number, maintenance = false) => ({ model: DEFAULT_MODEL, weightOf: () => 1, maxKeys: 500, maxEvents: 1000, cutoff: now - 90 * DAY, satiationCutoff: now - 30 * DAY, now, maintenance })
    const store = await openIdbStore(name, () => ({ id: 'p', createdAt: t0, halfLives: [...DEFAULT_MODEL.halfLives] }), limits(t0), { onLost() {} })
    await store.append([{ event: { t: t0, type: 'view', item: { id: 'a', category: 'old' } }, keys: ['category:old'], weight: 1 }])
    await store.merge(limits(t0))
    const later = t0 + 800 * DAY
    await store.append([{ event: { t: later, type: 'view', item: { id: 'b', category: 'new' } }, keys: ['category:new'], weight: 1 }])
    await store.merge(limits(later))
    expect((await readRaw(name)).keys!.map((k) => (k as { key: string }).key)).toContain('category:old')
    await store.merge(limits(later, true))
    const raw = await readRaw(name)
    expect(raw.keys!.map((k) => (k as { key: string }).key).filter((k) => !k.startsWith('#'))).toEqual(['category:new'])
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['b'])
    store.close()
  })
})
