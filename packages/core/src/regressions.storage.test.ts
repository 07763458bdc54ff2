// Bugs found by review, each kept as the behaviour it broke: reading back, records of another shape,
// ranking, a lost connection, half-lives changed by a deploy. Node (fake-indexeddb) and Chromium.
// Consent and sensitive names are in regressions.consent.storage.test.ts, the write path (settings,
// forget, caps, a page that leaves mid-write) in regressions.writes.storage.test.ts.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { lazyParts } from './live/lazy.js'
import { addToInbox, closedAfterEach, DAY, ensureLocalStorage, manualClock, readRaw, storedEvents, uniqueName, upgradeElsewhere } from './testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const mat = { id: 'mat', category: 'yoga/mats' }


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
    await upgradeElsewhere(name)
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

describe('after the connection is lost', () => {
  it('export() still leaves out items bought under a sensitive category', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health'], onError: () => {} })
    await palate.ready
    palate.track('view', boots)
    palate.track('purchase', { id: 'pregnancy-test', category: 'health/tests' })
    await palate.flush()
    await upgradeElsewhere(name)
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
