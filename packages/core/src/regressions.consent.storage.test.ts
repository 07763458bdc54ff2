// Bugs found by review in consent (opt-out and opt-in at once, on load, in two tabs) and in
// sensitive names (catalog spellings included), each kept as the behaviour it broke. Node
// (fake-indexeddb) and Chromium.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { closedAfterEach, databaseExists, DAY, ensureLocalStorage, readRaw, storedEvents, uniqueName, upgradeElsewhere } from './testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const mat = { id: 'mat', category: 'yoga/mats' }


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
    // The visit is written once the task's calls are over.
    await Promise.resolve()
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

describe('consent granted as the page loads', () => {
  it('a pending-consent page told "granted" at once opens the database once, and loses it once', async () => {
    const name = uniqueName()
    const errors: string[] = []
    const palate = make({ name, consent: 'pending', onError: (e) => errors.push(e.message) })
    await palate.setConsent('granted')
    expect(palate.getSnapshot().status).toBe('ready')
    await upgradeElsewhere(name)
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
    await upgradeElsewhere(name)
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
