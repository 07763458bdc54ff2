import { describe, expect, it } from 'vitest'
import { DAY, DEFAULT_MODEL, HOUR, isTotalKey, Profile, type Model } from './profile.js'

const model: Model = { halfLives: [DAY, 10 * DAY, 365 * DAY], prior: 3 }
const T0 = Date.UTC(2026, 0, 1)

describe('decay', () => {
  it('halves each horizon after its half-life, and never grows on a clock that went back', () => {
    const p = new Profile(model)
    p.add(['category:hiking'], 1, T0)
    const state = p.states.get('category:hiking')!
    expect(p.valueAt(state, 0, T0 + DAY)).toBeCloseTo(0.5, 12)
    expect(p.valueAt(state, 1, T0 + 10 * DAY)).toBeCloseTo(0.5, 12)
    expect(p.valueAt(state, 2, T0 + 365 * DAY)).toBeCloseTo(0.5, 12)
    expect(p.valueAt(state, 0, T0 - DAY)).toBe(1)
  })

  it('is monotone: with no new events every value only falls', () => {
    const p = new Profile(model)
    p.add(['category:hiking'], 3, T0)
    const state = p.states.get('category:hiking')!
    let previous = Infinity
    for (let t = T0; t < T0 + 400 * DAY; t += 7 * HOUR) {
      const v = p.valueAt(state, 1, t)
      expect(v).toBeLessThanOrEqual(previous)
      previous = v
    }
  })

  it('updates only the keys of the event (lazily), never the rest of the profile', () => {
    const p = new Profile(model)
    for (let i = 0; i < 5000; i++) p.add([`category:c${i}`], 1, T0)
    p.add(['category:hiking', 'tag:waterproof'], 1, T0 + DAY)
    const untouched = [...p.states.entries()].filter(([key, s]) => !isTotalKey(key) && s.t === T0)
    expect(untouched).toHaveLength(5000)
    expect(p.states.get('category:hiking')!.t).toBe(T0 + DAY)
  })

  it('gives the same values whatever order events arrive in (tabs merging)', () => {
    const events: [string[], number, number][] = [
      [['category:a'], 1, T0],
      [['category:a', 'tag:x'], 4, T0 + 3 * HOUR],
      [['category:b'], 2, T0 + 5 * HOUR],
      [['category:a'], 1, T0 + 9 * HOUR],
    ]
    const inOrder = new Profile(model)
    for (const [keys, w, t] of events) inOrder.add(keys, w, t)
    const shuffled = new Profile(model)
    for (const [keys, w, t] of [events[2]!, events[0]!, events[3]!, events[1]!]) shuffled.add(keys, w, t)
    const at = T0 + 2 * DAY
    for (const [key, score] of inOrder.scores(at)) expect(shuffled.scores(at).get(key)!.p).toBeCloseTo(score.p, 12)
  })

  it('retract exactly undoes an event however long ago it was', () => {
    const p = new Profile(model)
    p.add(['category:a', 'tag:x'], 2, T0)
    p.add(['category:a'], 1, T0 + 30 * DAY)
    p.retract(['category:a', 'tag:x'], 2, T0)
    const a = p.states.get('category:a')!
    const at = T0 + 40 * DAY
    const alone = new Profile(model)
    alone.add(['category:a'], 1, T0 + 30 * DAY)
    for (let i = 0; i < 3; i++) expect(p.valueAt(a, i, at)).toBeCloseTo(alone.valueAt(alone.states.get('category:a')!, i, at), 12)
    expect(p.valueAt(p.states.get('tag:x')!, 2, at)).toBeCloseTo(0, 12)
  })

  it('takes a clock that jumped back by more than a day as the new now, instead of muting new events', () => {
    const p = new Profile(model)
    p.add(['category:a'], 1, T0 + 5 * 365 * DAY)
    p.add(['category:a'], 1, T0)
    expect(p.valueAt(p.states.get('category:a')!, 0, T0)).toBeCloseTo(2, 12)
  })
})

describe('blended scores', () => {
  it('are shares: top-level categories sum to 1', () => {
    const p = new Profile(DEFAULT_MODEL)
    p.add(['category:a', 'category:a/b'], 1, T0)
    p.add(['category:c'], 1, T0 + HOUR)
    p.add(['category:a'], 1, T0 + 2 * HOUR)
    const s = p.scores(T0 + 3 * HOUR)
    expect(s.get('category:a')!.p + s.get('category:c')!.p).toBeCloseTo(1, 12)
  })

  it('return to the long-term shares when the shopper is away, and stay finite after decades', () => {
    const p = new Profile(DEFAULT_MODEL)
    for (let d = 0; d < 60; d++) p.add(['category:gym'], 1, T0 + d * DAY)
    for (let d = 60; d < 63; d++) for (let i = 0; i < 5; i++) p.add(['category:hiking'], 1, T0 + d * DAY + i * HOUR)
    const now = p.scores(T0 + 63 * DAY)
    expect(now.get('category:hiking')!.p).toBeGreaterThan(now.get('category:gym')!.p)
    const later = p.scores(T0 + 63 * DAY + 200 * DAY)
    expect(later.get('category:gym')!.p).toBeGreaterThan(later.get('category:hiking')!.p)
    expect(later.get('category:gym')!.p).toBeCloseTo(later.get('category:gym')!.long, 3)
    const decades = p.scores(T0 + 30 * 365 * DAY)
    for (const s of decades.values()) expect(Number.isFinite(s.p) && Number.isFinite(s.long)).toBe(true)
    expect(decades.get('category:gym')!.p).toBeGreaterThan(decades.get('category:hiking')!.p)
  })

  it('do not depend on the weights’ scale: purchases only is as steady as views only', () => {
    const views = new Profile(DEFAULT_MODEL)
    const buys = new Profile(DEFAULT_MODEL)
    for (let d = 0; d < 30; d++) {
      views.add(['category:a'], 1, T0 + d * DAY)
      buys.add(['category:a'], 6, T0 + d * DAY)
    }
    views.add(['category:b'], 1, T0 + 30 * DAY)
    buys.add(['category:b'], 6, T0 + 30 * DAY)
    expect(buys.scores(T0 + 30 * DAY).get('category:b')!.p).toBeCloseTo(views.scores(T0 + 30 * DAY).get('category:b')!.p, 12)
  })

  it('count a purchase as long-term taste only: it does not move the short horizons', () => {
    const p = new Profile(DEFAULT_MODEL)
    p.add(['category:a'], 6, T0, true)
    const state = p.states.get('category:a')!
    expect(state.v).toEqual([0, 0, 6])
  })
})

describe('bounds', () => {
  it('prunes the weakest keys beyond the cap and keeps the totals', () => {
    const p = new Profile(model)
    for (let i = 0; i < 300; i++) p.add([`category:c${i}`], 1 + (i % 7), T0 + i * HOUR)
    const dropped = p.prune(T0 + 300 * HOUR, 100)
    expect([...p.states.keys()].filter((key) => !isTotalKey(key))).toHaveLength(100)
    expect(dropped).toHaveLength(200)
    expect(p.states.has('#category')).toBe(true)
    const kept = [...p.scores(T0 + 300 * HOUR).values()].map((s) => s.p)
    const min = Math.min(...kept)
    for (const key of dropped) expect(p.states.has(key)).toBe(false)
    expect(min).toBeGreaterThan(0)
  })

  it('drops keys that have faded to nothing', () => {
    const p = new Profile(model)
    p.add(['category:old'], 1, T0)
    p.add(['category:new'], 1, T0 + 20 * 365 * DAY)
    expect(p.prune(T0 + 20 * 365 * DAY, 100)).toEqual(['category:old'])
  })

  it('skips stored records of the wrong shape and says which', () => {
    const p = new Profile(model)
    const rejects = p.load([
      { key: 'category:a', v: [1, 1, 1], t: T0, f: T0 },
      { key: 'category:b', v: [1, 1], t: T0, f: T0 },
      { key: 'category:c', v: [1, Number.NaN, 1], t: T0, f: T0 },
      { key: 'nonsense', v: [1, 1, 1], t: T0, f: T0 },
      null,
    ])
    expect([...p.states.keys()]).toEqual(['category:a'])
    expect(rejects).toHaveLength(4)
  })
})

describe('expiry', () => {
  it('deletes a key not fed for two years, however strong it was', () => {
    const p = new Profile(DEFAULT_MODEL)
    for (let i = 0; i < 200; i++) p.add(['category:old'], 6, T0 + i * HOUR, true)
    p.add(['category:new'], 1, T0 + 740 * DAY)
    expect(p.prune(T0 + 729 * DAY, 500)).toEqual([])
    expect(p.prune(T0 + 740 * DAY, 500)).toEqual(['category:old'])
  })
})
