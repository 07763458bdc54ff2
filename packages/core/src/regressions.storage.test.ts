// Bugs found by review, each kept as the behaviour it broke. Node (fake-indexeddb) and Chromium.
import { openDB } from 'idb'
import { beforeAll, describe, expect, it } from 'vitest'
import { closedAfterEach, databaseExists, DAY, ensureLocalStorage, manualClock, readRaw, uniqueName } from './testing.js'

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
    await new Promise<void>((resolve) => {
      const request = indexedDB.open(name, 99)
      request.onsuccess = () => {
        request.result.close()
        resolve()
      }
    })
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
    const db = await openDB(name)
    await db.put('journal', { event: { t: Date.now(), type: 'view', item: { id: 'x', category: 42 } }, weight: 1 })
    db.close()
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
