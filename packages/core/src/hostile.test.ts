// Hostile input through the public API: a clear error or a documented clamp, never NaN, never a
// polluted prototype, never an unbounded profile.
import { describe, expect, it } from 'vitest'
import { createPalate } from './index.js'
import { DAY, manualClock } from './testing.js'

const finiteEverywhere = (palate: ReturnType<typeof createPalate>, items: { id: string; category?: string }[]) => {
  for (const interest of palate.interests({ limit: 100 })) {
    expect(Number.isFinite(interest.score)).toBe(true)
    expect(interest.share).toBeGreaterThanOrEqual(0)
    expect(interest.share).toBeLessThanOrEqual(1)
  }
  for (const ranked of palate.rank(items)) expect(Number.isFinite(ranked.score)).toBe(true)
}

describe('hostile input', () => {
  it('a clock that jumps years ahead and back leaves every score finite and new events counting', async () => {
    const clock = manualClock()
    const palate = createPalate({ storage: 'memory', now: clock.now })
    const items = [{ id: 'a', category: 'surf' }, { id: 'b', category: 'ski' }]
    for (let i = 0; i < 5; i++) palate.track('view', items[0]!)
    clock.advance(20 * 365 * DAY)
    palate.track('view', items[1]!)
    finiteEverywhere(palate, items)
    clock.advance(-20 * 365 * DAY)
    // Back to the real time: each new event still counts (it is not discounted by the 20 years
    // the clock spent ahead), and a key untouched during the jump was never really decayed.
    const ski = () => palate.interests({ dimension: 'category' }).find((i) => i.key === 'category:ski')!.score
    let before = ski()
    for (let i = 0; i < 3; i++) {
      // Other ski items: a repeat view of the same one within the visit counts once.
      palate.track('view', { id: `ski-${i}`, category: 'ski' })
      expect(ski()).toBeGreaterThan(before)
      before = ski()
    }
    finiteEverywhere(palate, items)
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key).sort()).toEqual(['category:ski', 'category:surf'])
    await palate.flush()
    const stored = await palate.export()
    for (const key of stored.keys) expect(key.v.every(Number.isFinite)).toBe(true)
  })

  it('__proto__, constructor and prototype are ordinary values: nothing is polluted', async () => {
    const palate = createPalate({ storage: 'memory' })
    const evil = { id: '__proto__', category: '__proto__/constructor/prototype', tags: ['__proto__', 'constructor', 'hasOwnProperty'], brand: 'prototype' }
    for (let i = 0; i < 3; i++) palate.track('add_to_cart', evil)
    palate.track('view', { id: 'constructor', category: 'toString' })
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
    expect(Object.prototype.hasOwnProperty.call({}, '__proto__')).toBe(false)
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key)).toContain('category:__proto__/constructor/prototype')
    expect(palate.rank([{ id: 'x', category: 'ski' }, evil])[0]!.item.id).toBe('__proto__')
    const exported = JSON.parse(JSON.stringify(await palate.export()))
    expect(exported.events.map((e: { item: { id: string } }) => e.item.id)).toContain('__proto__')
    await palate.forget('category:__proto__')
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key)).toEqual(['category:tostring'])
  })

  it('rejects NaN, Infinity and negative prices and popularity, and 10 MB strings, changing nothing', () => {
    const palate = createPalate({ storage: 'memory' })
    palate.track('view', { id: 'ok', category: 'surf' })
    const huge = 'x'.repeat(10 * 1024 * 1024)
    for (const item of [
      { id: 'a', price: Number.NaN },
      { id: 'a', price: Infinity },
      { id: 'a', price: -3 },
      { id: 'a', popularity: -1 },
      { id: huge },
      { id: 'a', category: huge },
      { id: 'a', tags: [huge] },
      { id: 'a', brand: huge },
    ]) {
      expect(() => palate.track('view', item)).toThrow(TypeError)
      expect(() => palate.rank([item])).toThrow(TypeError)
    }
    expect(palate.interests().map((i) => i.key)).toEqual(['category:surf'])
  })

  it('a simulated year of 100,000 events stays within the caps', async () => {
    const clock = manualClock()
    const palate = createPalate({ storage: 'memory', now: clock.now })
    for (let i = 0; i < 100_000; i++) {
      clock.advance(315_000)
      // Thousands of categories and tags: far more than the caps allow.
      palate.track(i % 40 === 0 ? 'purchase' : 'view', { id: `sku-${i % 7919}`, category: `d${i % 13}/c${i % 2003}`, tags: [`t${i % 997}`, `u${i % 31}`], brand: `b${i % 211}` })
      if (i % 2500 === 0) await palate.flush()
    }
    await palate.flush()
    const stored = await palate.export()
    expect(stored.events.length).toBeLessThanOrEqual(500)
    expect(stored.keys.filter((k) => !k.key.startsWith('#')).length).toBeLessThanOrEqual(500)
    expect(stored.items.length).toBeLessThanOrEqual(2500)
    expect(JSON.stringify(stored).length).toBeLessThan(250_000)
    finiteEverywhere(palate, [{ id: 'x', category: 'd1/c1' }])
  }, 60_000)
})
