import { describe, expect, it, vi } from 'vitest'
import { createPalate } from './index.js'
import { DAY, manualClock } from './testing.js'

const boot = { id: 'boot-1', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }

describe('createPalate options', () => {
  it.each([
    [{ name: '' }, /options\.name must be a non-empty string/],
    [{ storage: 'disk' }, /options\.storage must be 'indexeddb' or 'memory', got "disk"/],
    [{ consent: 'yes' }, /options\.consent must be 'granted' or 'pending' or 'denied', got "yes"/],
    [{ weights: { view: Number.NaN } }, /options\.weights\.view must be a number between 0 and 100, got NaN/],
    [{ weights: { view: -1 } }, /options\.weights\.view must be a number between 0 and 100, got -1/],
    [{ weights: { dismiss: 3 } }, /options\.weights\.dismiss must be a number between -100 and 0, got 3/],
    [{ weights: { like: 1 } }, /options\.weights\.like must be one of view, click/],
    [{ retentionDays: Infinity }, /options\.retentionDays must be a number between 1 and 3650, got Infinity/],
    [{ surpriseShare: 2 }, /options\.surpriseShare must be a number between 0 and 1, got 2/],
    [{ halfLives: [] }, /options\.halfLives must be an array of 1 to 8 half-lives/],
    [{ halfLives: [0] }, /options\.halfLives\[0\] must be a number between 1 and Infinity, got 0/],
    [{ maxKeys: 1.5 }, /options\.maxKeys must be an integer between 10 and 100000, got 1\.5/],
    [{ sensitive: 'health' }, /options\.sensitive must be an array of category prefixes, got "health"/],
    [{ now: 5 }, /options\.now must be a function, got 5/],
    [{ respectGlobalPrivacyControl: 'no' }, /options\.respectGlobalPrivacyControl must be true or false, got "no"/],
  ])('%j is refused', (options, message) => {
    expect(() => createPalate({ storage: 'memory', ...(options as object) })).toThrow(message)
  })
})

describe('track', () => {
  it('throws a TypeError naming the bad value, and records nothing', async () => {
    const palate = createPalate({ storage: 'memory' })
    palate.track('view', boot)
    await palate.flush()
    const before = await palate.export()
    expect(() => palate.track('like' as never, boot)).toThrow(/unknown event type "like"; expected one of view, click/)
    expect(() => palate.track('view', { id: '', category: 'surf' })).toThrow(TypeError)
    expect(() => palate.track('view', { id: 'x', category: 'surf', tags: 'oops' as never })).toThrow(/item\.tags must be an array/)
    expect(() => palate.track('view', undefined as never)).toThrow(/item must be an object, got undefined/)
    await palate.flush()
    const after = await palate.export()
    expect(after.events).toEqual(before.events)
    expect(after.keys).toEqual(before.keys)
    expect(palate.interests().map((i) => i.key)).toEqual(['category:hiking/boots', 'tag:waterproof', 'brand:summit'])
  })

  it('is cheap and synchronous: interests change at once, before anything is written', () => {
    const palate = createPalate({ storage: 'memory' })
    palate.track('view', boot)
    expect(palate.interests({ dimension: 'category' })[0]?.key).toBe('category:hiking/boots')
  })

  it('a clock returning garbage never puts NaN into a score', () => {
    let t: number = Date.UTC(2026, 0, 1)
    const errors: Error[] = []
    const palate = createPalate({ storage: 'memory', now: () => t, onError: (e) => errors.push(e) })
    palate.track('view', boot)
    t = Number.NaN
    palate.track('view', { id: 'x', category: 'surf' })
    for (const interest of palate.interests()) expect(Number.isFinite(interest.score)).toBe(true)
    expect(errors[0]?.message).toMatch(/options\.now\(\) returned NaN/)
  })

  it('without onError, each distinct failure is logged once, with one [palate] prefix', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    let t: number = Date.UTC(2026, 0, 1)
    const palate = createPalate({ storage: 'memory', now: () => t })
    t = Number.NaN
    palate.track('view', boot)
    palate.track('view', { id: 'x', category: 'surf' })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]).toEqual([expect.stringMatching(/^\[palate\] options\.now\(\) returned NaN/)])
    warn.mockRestore()
    palate.close()
  })
})

describe('subscribe and getSnapshot', () => {
  it('keeps the snapshot’s identity until something changes, and notifies once per burst', async () => {
    const palate = createPalate({ storage: 'memory' })
    await palate.ready
    const listener = vi.fn()
    const unsubscribe = palate.subscribe(listener)
    const first = palate.getSnapshot()
    expect(palate.getSnapshot()).toBe(first)
    palate.track('view', boot)
    palate.track('view', boot)
    palate.track('click', boot)
    await Promise.resolve()
    expect(listener).toHaveBeenCalledTimes(1)
    const second = palate.getSnapshot()
    expect(second).not.toBe(first)
    expect(second.interests[0]?.key).toBe('category:hiking/boots')
    expect(palate.getSnapshot()).toBe(second)
    unsubscribe()
    palate.track('view', boot)
    await Promise.resolve()
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('reports status memory for a memory profile once ready', async () => {
    const palate = createPalate({ storage: 'memory' })
    expect(palate.getSnapshot().status).toBe('loading')
    await palate.ready
    expect(palate.getSnapshot()).toMatchObject({ status: 'memory', consent: 'granted', surprise: false, shift: null })
  })

  it('a throwing listener does not break the others', async () => {
    const palate = createPalate({ storage: 'memory', onError: () => {} })
    const good = vi.fn()
    palate.subscribe(() => {
      throw new Error('storefront bug')
    })
    palate.subscribe(good)
    palate.track('view', boot)
    await Promise.resolve()
    expect(good).toHaveBeenCalledTimes(1)
  })
})

describe('bounds and lifecycle', () => {
  it('keeps the event log and the key count within their caps', async () => {
    const clock = manualClock()
    const palate = createPalate({ storage: 'memory', now: clock.now, maxEvents: 50, maxKeys: 20 })
    await palate.ready
    for (let i = 0; i < 400; i++) {
      clock.advance(60_000)
      palate.track('view', { id: `p${i}`, category: `c${i % 200}`, tags: [`t${i}`] })
      if (i % 40 === 0) await palate.flush()
    }
    await palate.flush()
    const stored = await palate.export()
    expect(stored.events.length).toBeLessThanOrEqual(50)
    expect(stored.keys.filter((k) => !k.key.startsWith('#')).length).toBeLessThanOrEqual(20)
  })

  it('deletes raw events older than retentionDays', async () => {
    const clock = manualClock()
    const palate = createPalate({ storage: 'memory', now: clock.now, retentionDays: 30 })
    palate.track('view', boot)
    await palate.flush()
    clock.advance(31 * DAY)
    palate.track('view', { id: 'x', category: 'surf' })
    await palate.flush()
    expect((await palate.export()).events.map((e) => e.item.id)).toEqual(['x'])
  })

  it('ignores tracking after close()', async () => {
    const palate = createPalate({ storage: 'memory' })
    palate.close()
    palate.track('view', boot)
    expect(palate.interests()).toEqual([])
    palate.close()
  })

  it('after close(), changes and reads of the profile are refused, naming the call; an opt-out still works', async () => {
    const palate = createPalate({ storage: 'memory' })
    await palate.ready
    palate.track('view', boot)
    const data = await palate.export()
    palate.close()
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['mute()', () => palate.mute('category:hiking')],
      ['unmute()', () => palate.unmute('category:hiking')],
      ['forget()', () => palate.forget('category:hiking')],
      ['setSurprise()', () => palate.setSurprise(true)],
      ['setConsent()', () => palate.setConsent('granted')],
      ['optIn()', () => palate.optIn()],
      ['export()', () => palate.export()],
      ['import()', () => palate.import(data)],
    ]
    for (const [name, call] of calls) await expect(call(), name).rejects.toThrow(`[palate] ${name}: this instance is closed`)
    await expect(palate.optOut()).resolves.toBeUndefined()
    await expect(palate.flush()).resolves.toBeUndefined()
  })

  it('rank() with an empty profile returns the input order unchanged', async () => {
    const palate = createPalate({ storage: 'memory' })
    await palate.ready
    const items = [{ id: 'c', category: 'z' }, { id: 'a', category: 'y', popularity: 99 }, { id: 'b' }]
    expect(palate.rank(items).map((r) => r.item)).toEqual(items)
    expect(palate.rank(items).map((r) => r.reason.kind)).toEqual(['default', 'default', 'default'])
  })

  it('rank() rejects bad input clearly', () => {
    const palate = createPalate({ storage: 'memory' })
    expect(() => palate.rank('nope' as never)).toThrow(/rank\(\): items must be an array, got "nope"/)
    expect(() => palate.rank([{ id: 'a' }], { limit: -1 })).toThrow(/rank\(\): limit must be an integer >= 0, got -1/)
    expect(() => palate.rank([{ id: 'a' }, { id: 7 as never }])).toThrow(/rank\(\): items\[1\]: item\.id must be a non-empty string, got 7/)
  })
})
