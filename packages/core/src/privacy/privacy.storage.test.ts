// Consent, opt-out, export, forget, sensitive categories: what reaches storage, read back raw.
// Runs in Node (fake-indexeddb) and in Chromium (real IndexedDB and localStorage).
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { idbParts } from '../storage/idbStore.js'
import { SCHEMA_VERSION } from '../storage/store.js'
import { closedAfterEach, databaseExists, databaseOpens, DAY, ensureLocalStorage, manualClock, markers, readRaw, storedEvents, uniqueName } from '../testing.js'
import type { Palate } from '../types.js'

beforeAll(ensureLocalStorage)

const make = closedAfterEach()

const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const poles = { id: 'poles', category: 'hiking/poles', tags: ['lightweight'] }
const mat = { id: 'mat', category: 'yoga/mats', tags: ['eco'] }

describe('consent', () => {
  it('pending: personalizes from this page in memory and writes nothing at all', async () => {
    const name = uniqueName()
    const palate = make({ name, consent: 'pending' })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', boots)
    await palate.flush()
    expect(palate.consent()).toBe('pending')
    expect(palate.getSnapshot().status).toBe('memory')
    expect(palate.rank([mat, boots])[0]?.item.id).toBe('boots')
    expect(await databaseExists(name)).toBe(false)
    expect(markers(name)).toEqual({})
    expect(await palate.export()).toMatchObject({ profileId: null, events: [], keys: [] })
  })

  it('granting consent keeps what this page learned, except sensitive events', async () => {
    const name = uniqueName()
    const palate = make({ name, consent: 'pending', sensitive: ['health'] })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', { id: 'test-kit', category: 'health/tests' })
    await palate.setConsent('granted')
    await palate.flush()
    const raw = await readRaw(name)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['boots'])
    expect(markers(name)).toEqual({ [`palate:${name}:consent`]: 'granted' })
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key)).toContain('category:health/tests')
  })

  it('denied: records nothing and rank returns the storefront’s order', async () => {
    const name = uniqueName()
    const palate = make({ name, consent: 'denied' })
    await palate.ready
    palate.track('view', boots)
    expect(palate.interests()).toEqual([])
    expect(palate.rank([mat, boots]).map((r) => r.item.id)).toEqual(['mat', 'boots'])
    expect(palate.getSnapshot()).toMatchObject({ status: 'opted-out', consent: 'denied', interests: [] })
    expect(await databaseExists(name)).toBe(false)
  })

  it('an opt-out right after a settings change: the change goes with everything, and onError hears nothing', async () => {
    const both = (p: Palate) => Promise.all([p.setSurprise(true), p.setSurprise(false), p.mute('category:hiking')])
    for (const change of [(p: Palate) => p.setSurprise(true), (p: Palate) => p.mute('category:hiking'), both]) {
      const name = uniqueName()
      const errors: Error[] = []
      const palate = make({ name, onError: (error) => errors.push(error) })
      await palate.ready
      palate.track('view', { id: 'h', category: 'hiking' })
      palate.track('view', { id: 'g', category: 'gym' })
      await palate.flush()
      // A muted category: each settings change reads what fed its tags, from the store.
      await palate.mute('category:gym')
      // The write part still downloading as the opt-out comes (as from the script tag's own file).
      const load = idbParts.writes
      const slow = vi.spyOn(idbParts, 'writes').mockImplementation(() => new Promise((resolve) => setTimeout(() => resolve(load()), 30)))
      const changing = change(palate)
      await palate.optOut()
      await new Promise((resolve) => setTimeout(resolve, 50))
      slow.mockRestore()
      await changing
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(errors).toEqual([])
      expect(palate.getSnapshot()).toMatchObject({ surprise: false, muted: [], consent: 'denied' })
      expect(Object.keys(markers(name)).filter((key) => key.includes(':inbox:'))).toEqual([])
    }
  })

  it('rejects an unknown consent state and keeps everything', async () => {
    const palate = make({ name: uniqueName() })
    palate.track('view', boots)
    await expect(palate.setConsent('maybe' as never)).rejects.toThrow(/setConsent\(\): expected 'granted' or 'denied', got "maybe"/)
    expect(palate.consent()).toBe('granted')
    expect(palate.interests()[0]?.key).toBe('category:hiking/boots')
  })
})

describe('optOut', () => {
  it('deletes the database and keeps only the opt-out marker; a new instance stays opted out and writes nothing', async () => {
    const name = uniqueName()
    const palate = make({ name })
    palate.track('view', boots)
    await palate.flush()
    expect(await databaseExists(name)).toBe(true)
    await palate.optOut()
    expect(await databaseExists(name)).toBe(false)
    expect(markers(name)).toEqual({ [`palate:${name}:consent`]: 'denied' })
    expect(palate.interests()).toEqual([])
    palate.track('view', mat)
    expect(palate.interests()).toEqual([])

    const reloaded = make({ name })
    await reloaded.ready
    reloaded.track('view', boots)
    await reloaded.flush()
    expect(reloaded.consent()).toBe('denied')
    expect(await databaseExists(name)).toBe(false)
  })

  it('a page of a shopper who opted out never creates the database, not even for a moment', async () => {
    const name = uniqueName()
    const first = make({ name })
    await first.ready
    await first.optOut()
    // Every database this page's code creates, seen as the open that created it succeeds.
    const created: string[] = []
    const factory = indexedDB
    const open = factory.open
    factory.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
      const request = open.apply(this, args)
      let upgraded = false
      request.addEventListener('upgradeneeded', (event) => void (upgraded = event.oldVersion === 0))
      request.addEventListener('success', () => void (upgraded && created.push(args[0])))
      return request
    }
    try {
      const reloaded = make({ name })
      await reloaded.ready
      reloaded.track('view', boots)
      await reloaded.flush()
      expect(reloaded.getSnapshot().status).toBe('opted-out')
    } finally {
      factory.open = open
    }
    expect(created).toEqual([])
    expect(await databaseExists(name)).toBe(false)
  })

  it.each([
    ['by default', 'granted'],
    ['with consent pending by default, after the shopper said yes', 'pending'],
  ] as const)('an opt-out while the profile is still opening leaves no database (%s)', async (_, consent) => {
    const name = uniqueName()
    if (consent === 'pending') localStorage.setItem(`palate:${name}:consent`, 'granted')
    const palate = make({ name, consent })
    await palate.optOut()
    expect(await databaseOpens(name)).toBe(false)
    await palate.ready
    expect(await databaseExists(name)).toBe(false)
  })

  it('another open instance (tab) drops its profile and stops recording within a second', async () => {
    const name = uniqueName()
    const a = make({ name })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    b.track('view', boots)
    await b.flush()
    expect(b.interests()).not.toEqual([])
    await a.optOut()
    await expect.poll(() => b.getSnapshot().status, { timeout: 1000 }).toBe('opted-out')
    expect(b.interests()).toEqual([])
    expect(b.rank([mat, boots]).map((r) => r.item.id)).toEqual(['mat', 'boots'])
    b.track('view', boots)
    await b.flush()
    expect(b.interests()).toEqual([])
    expect(await databaseExists(name)).toBe(false)
  })

  it('optIn starts again from an empty profile, in every tab', async () => {
    const name = uniqueName()
    const a = make({ name })
    const b = make({ name })
    a.track('view', boots)
    await a.optOut()
    await expect.poll(() => b.consent(), { timeout: 1000 }).toBe('denied')
    await a.optIn()
    expect(a.consent()).toBe('granted')
    expect(a.interests()).toEqual([])
    await expect.poll(() => b.consent(), { timeout: 1000 }).toBe('granted')
    a.track('view', mat)
    await a.flush()
    // Another tab hears of the write and reads it back.
    await expect.poll(() => b.interests()[0]?.key, { timeout: 2000 }).toBe('category:yoga/mats')
    expect(markers(name)).toEqual({ [`palate:${name}:consent`]: 'granted' })
  })

  it('optIn starts a new visit in every tab: a product viewed before the opt-out counts as a view again', async () => {
    const name = uniqueName()
    const a = make({ name })
    const b = make({ name })
    await Promise.all([a.ready, b.ready])
    // (Different products: in one page, as here, the two instances share the tab's visit.)
    a.track('view', boots)
    b.track('view', poles)
    await Promise.all([a.flush(), b.flush()])
    await a.optOut()
    await expect.poll(() => b.consent(), { timeout: 1000 }).toBe('denied')
    await a.optIn()
    await expect.poll(() => b.getSnapshot().status, { timeout: 1000 }).toBe('ready')
    a.track('view', boots)
    b.track('view', poles)
    await Promise.all([a.flush(), b.flush()])
    const views = (await a.export()).events.filter((event) => event.type === 'view').map((event) => event.item.id)
    expect(views.sort()).toEqual(['boots', 'poles'])
  })

  // A second tab, still opening when the first opts out, cleans up after its overtaken open: that
  // clean-up must not delete the profile the first tab opened on opting in again.
  it("an opt-in right after an opt-out keeps its new profile, whatever another tab's late clean-up does", { repeats: 9 }, async () => {
    const name = uniqueName()
    const errors: unknown[] = []
    const a = make({ name, onError: (error) => errors.push(error) })
    const b = make({ name })
    a.track('view', boots)
    await a.optOut()
    await a.optIn()
    await expect.poll(() => b.consent(), { timeout: 1000 }).toBe('granted')
    a.track('view', mat)
    await a.flush()
    await b.ready
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(errors.map(String)).toEqual([])
    expect(a.getSnapshot().status).toBe('ready')
    expect(await databaseExists(name)).toBe(true)
  })

  it('profiles whose names nest ("shop" and "shop:inbox") keep their opt-outs apart', async () => {
    const shop = uniqueName()
    const nested = `${shop}:inbox`
    const other = make({ name: nested })
    await other.optOut()
    const palate = make({ name: shop })
    palate.track('view', boots)
    await palate.flush()
    await palate.optOut()
    expect(markers(nested)).toEqual({ [`palate:${nested}:consent`]: 'denied' })
    const again = make({ name: nested })
    await again.ready
    expect(again.consent()).toBe('denied')
  })

  // "Accept" then at once "Reject" on a consent banner, or a toggle clicked twice: the opt-in is
  // still clearing the second marker when the opt-out comes. The last choice wins.
  it('an opt-out called right after an opt-in wins, and nothing is written after it', async () => {
    for (const [first, second] of [
      [(p: Palate) => p.optIn(), (p: Palate) => p.optOut()],
      [(p: Palate) => p.setConsent('granted'), (p: Palate) => p.setConsent('denied')],
    ] as const) {
      const name = uniqueName()
      const palate = make({ name, consent: 'pending' })
      await palate.ready
      await Promise.all([first(palate), second(palate)])
      expect(palate.consent()).toBe('denied')
      expect(palate.getSnapshot().status).toBe('opted-out')
      palate.track('add_to_cart', boots)
      await palate.flush()
      expect(palate.interests()).toEqual([])
      expect(await databaseExists(name)).toBe(false)
      expect(markers(name)).toEqual({ [`palate:${name}:consent`]: 'denied' })
    }
  })
})

describe('Global Privacy Control', () => {
  function withGpc<T>(run: () => Promise<T>): Promise<T> {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator')
    const real = globalThis.navigator
    Object.defineProperty(globalThis, 'navigator', { value: Object.assign(Object.create(real ?? null), { globalPrivacyControl: true }), configurable: true })
    return run().finally(() => {
      if (descriptor) Object.defineProperty(globalThis, 'navigator', descriptor)
      else delete (globalThis as { navigator?: unknown }).navigator
    })
  }

  it('counts as an opt-out: nothing is ever written', () =>
    withGpc(async () => {
      const name = uniqueName()
      const palate = make({ name })
      await palate.ready
      palate.track('view', boots)
      await palate.flush()
      expect(palate.consent()).toBe('denied')
      expect(await databaseExists(name)).toBe(false)
      expect(markers(name)).toEqual({})
    }))

  it('is ignored when the storefront passes respectGlobalPrivacyControl: false', () =>
    withGpc(async () => {
      const palate = make({ name: uniqueName(), respectGlobalPrivacyControl: false })
      await palate.ready
      expect(palate.consent()).toBe('granted')
    }))
})

describe('what is stored', () => {
  it('export() returns exactly what the database holds', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const palate = make({ name, now: clock.now })
    palate.track('view', boots)
    clock.advance(DAY)
    palate.track('purchase', poles)
    palate.track('dismiss', mat)
    await palate.setSurprise(true)
    await palate.mute('brand:summit')
    const exported = await palate.export()
    const raw = await readRaw(name)
    expect(exported.keys).toEqual(raw.keys)
    expect(exported.events).toEqual([...storedEvents(raw), ...(raw.inbox as { event: unknown }[]).map((j) => j.event)])
    // Stored compact: the log's times and references as typed arrays, each string once.
    const log = raw.meta!.find((record) => (record as { t?: unknown }).t instanceof Float64Array) as { s: string[] }
    expect(log.s.filter((s) => s === exported.events[0]!.item.id)).toHaveLength(1)
    expect(exported.items).toEqual(raw.items)
    expect(exported.settings).toEqual({ surprise: true, muted: ['brand:summit'] })
    expect(raw.meta).toContainEqual(expect.objectContaining({ id: exported.profileId, createdAt: exported.createdAt, halfLives: exported.halfLives, settings: exported.settings }))
    expect(exported).toMatchObject({ format: 'palate-profile', schemaVersion: SCHEMA_VERSION, consent: 'granted' })
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported)
  })

  it('sensitive categories personalize this page but never reach storage', async () => {
    const name = uniqueName()
    const palate = make({ name, sensitive: ['health', 'adult'] })
    palate.track('view', { id: 'kit', category: 'health/tests', tags: ['discreet'], brand: 'Medi' })
    palate.track('purchase', { id: 'kit', category: 'Health / Tests' })
    palate.track('view', boots)
    await palate.flush()
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key)).toContain('category:health/tests')
    const raw = JSON.stringify(await readRaw(name))
    expect(raw).not.toMatch(/health|discreet|medi|kit/i)
    expect(raw).toMatch(/hiking/)
    // Nor does the id of a sensitive product reach the visit kept in sessionStorage (ids are often
    // descriptive), while a second look at it in this page still counts once.
    const before = palate.interests({ dimension: 'category' }).find((i) => i.key === 'category:health/tests')?.score
    palate.track('view', { id: 'kit', category: 'health/tests' })
    await Promise.resolve()
    expect(palate.interests({ dimension: 'category' }).find((i) => i.key === 'category:health/tests')?.score).toBe(before)
    const visit = sessionStorage.getItem(`palate:${name}:visit`)
    expect(visit).toContain('boots')
    expect(visit).not.toMatch(/kit/)
  })

  it('forget removes an interest and the events that fed it, for good', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const palate = make({ name, now: clock.now })
    for (let i = 0; i < 3; i++) {
      palate.track('view', boots)
      palate.track('view', poles)
      palate.track('view', mat)
      clock.advance(DAY)
    }
    await palate.flush()
    await palate.forget('category:hiking')
    const keys = () => palate.interests({ limit: 50 }).map((i) => i.key)
    expect(keys().filter((k) => k.includes('hiking'))).toEqual([])
    expect(keys()).not.toContain('tag:waterproof')
    expect(keys()).toContain('category:yoga/mats')
    // For ten minutes a tombstone names the forgotten keys (so another tab cannot bring them
    // back); nothing else does, and after that, not even the tombstone.
    const raw = await readRaw(name)
    const { meta, ...rest } = raw
    expect(JSON.stringify(rest)).not.toMatch(/hiking|boots|poles|waterproof/)
    expect(JSON.stringify(meta)).not.toMatch(/boots|poles|waterproof/)
    clock.advance(11 * 60_000)
    palate.track('view', mat)
    await palate.flush()
    expect(JSON.stringify(await readRaw(name))).not.toMatch(/hiking|boots|poles|waterproof/)

    // Not in a new instance either, and it does not come back from the log.
    const again = make({ name, now: clock.now })
    await again.ready
    expect(again.interests({ limit: 50 }).map((i) => i.key).filter((k) => k.includes('hiking'))).toEqual([])
    expect(again.interests({ dimension: 'category' })).toEqual([expect.objectContaining({ key: 'category:yoga/mats', share: 1 })])
  })

  it('forget refuses a key that is not in the profile, or is not a key, and loses nothing', async () => {
    const palate = make({ name: uniqueName() })
    palate.track('view', boots)
    await expect(palate.forget('category:surf')).rejects.toThrow(/forget\(\): "category:surf" is not in the profile/)
    await expect(palate.forget('surf')).rejects.toThrow(/forget\(\): "surf" is not an interest key/)
    expect(palate.interests()[0]?.key).toBe('category:hiking/boots')
  })

  it('mute keeps a key out of interests and ranking until unmute, across instances', async () => {
    const name = uniqueName()
    const palate = make({ name })
    // Two hiking products (a repeat view of one would count once): hiking leads once unmuted.
    palate.track('view', boots)
    palate.track('view', poles)
    palate.track('view', mat)
    await palate.mute('category:hiking')
    expect(palate.interests().map((i) => i.key).filter((k) => k.startsWith('category:'))).toEqual(['category:yoga/mats'])
    expect(palate.rank([boots, mat])[0]?.item.id).toBe('mat')
    await palate.flush()
    const other = make({ name })
    await other.ready
    expect(other.getSnapshot().interests.some((i) => i.key.startsWith('category:hiking'))).toBe(false)
    await other.unmute('category:hiking')
    expect(other.rank([mat, boots])[0]?.item.id).toBe('boots')
    await expect(other.unmute('category:hiking')).rejects.toThrow(/unmute\(\): "category:hiking" is not muted/)
    await expect(other.mute('hiking')).rejects.toThrow(/mute\(\): "hiking" is not an interest key/)
  })

  it('setSurprise persists the shopper’s choice', async () => {
    const name = uniqueName()
    const palate = make({ name })
    await palate.setSurprise(true)
    expect(palate.getSnapshot().surprise).toBe(true)
    const again = make({ name })
    await again.ready
    expect(again.getSnapshot().surprise).toBe(true)
    await expect(again.setSurprise('yes' as never)).rejects.toThrow(/setSurprise\(\): expected true or false, got "yes"/)
  })
})
