import { describe, expect, it } from 'vitest'
import { convertHorizons } from '../storage/idbRepair.js'
import { DAY, DEFAULT_MODEL, HOUR, isTotalKey, Profile, type Model } from './profile.js'

const model: Model = { halfLives: [DAY, 10 * DAY, 365 * DAY], prior: 0.5 }
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

  it('gives the same masses whatever order events arrive in (tabs merging)', () => {
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
    for (const [key, state] of inOrder.states) {
      for (let i = 0; i < 3; i++) expect(shuffled.valueAt(shuffled.states.get(key)!, i, at)).toBeCloseTo(inOrder.valueAt(state, i, at), 12)
    }
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
    const s = p.scores()
    expect(s.get('category:a')!.p + s.get('category:c')!.p).toBeCloseTo(1, 12)
  })

  it('are read as of the latest event: a shopper away for months comes back to what they left', () => {
    const p = new Profile(DEFAULT_MODEL)
    for (let d = 0; d < 60; d++) p.add(['category:gym'], 1, T0 + d * DAY)
    for (let d = 60; d < 63; d++) for (let i = 0; i < 5; i++) p.add(['category:hiking'], 1, T0 + d * DAY + i * HOUR)
    const now = p.scores()
    expect(now.get('category:hiking')!.p).toBeGreaterThan(now.get('category:gym')!.p)
    // Long-term taste is still there, below today's.
    expect(now.get('category:gym')!.long).toBeGreaterThan(now.get('category:hiking')!.long)
    expect(now.get('category:hiking')!.short).toBeGreaterThan(now.get('category:hiking')!.long)
    for (const s of now.values()) expect(Number.isFinite(s.p) && Number.isFinite(s.long) && Number.isFinite(s.short)).toBe(true)
  })

  it('learn the mix of horizons from the shopper’s own visits', () => {
    const steady = new Profile(DEFAULT_MODEL)
    const errands = new Profile(DEFAULT_MODEL)
    // A household that buys the same few things every week: long-term taste foretells each visit.
    for (let w = 0; w < 30; w++) for (const c of ['a', 'b', 'c']) steady.add([`category:${c}`], 1, T0 + w * 7 * DAY + (c === 'a' ? 0 : 60_000))
    // A browser on a new errand every day, back to yesterday's now and then: today foretells tomorrow.
    for (let d = 0; d < 30; d++) errands.add([`category:e${d % 3 === 0 ? d - 1 : d}`], 1, T0 + d * DAY)
    const longest = (p: Profile): number => p.weights()[2]!
    const shortest = (p: Profile): number => p.weights()[0]!
    expect(longest(steady)).toBeGreaterThan(shortest(steady))
    expect(shortest(errands)).toBeGreaterThan(shortest(steady))
    expect(steady.weights().reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it('store the learned mix with the profile, and read it back', () => {
    const p = new Profile(DEFAULT_MODEL)
    for (let d = 0; d < 20; d++) p.add([`category:e${d}`], 1, T0 + d * DAY)
    const copy = new Profile(DEFAULT_MODEL)
    expect(copy.load(p.records())).toEqual([])
    expect(copy.weights()).toEqual(p.weights())
    expect([...copy.scores()]).toEqual([...p.scores()])
  })

  it('carry every stored interest over to new half-lives', () => {
    const p = new Profile(model)
    p.add(['category:a'], 1, T0)
    p.add(['category:b'], 2, T0 + DAY)
    const next: Model = { halfLives: [HOUR, 30 * DAY], prior: 0.5 }
    const carried = new Profile(next)
    expect(carried.load(convertHorizons(p.records(), model.halfLives, next.halfLives))).toEqual([])
    expect(carried.states.get('category:b')!.v).toEqual([p.states.get('category:b')!.v[0], p.states.get('category:b')!.v[1]])
    expect([...carried.scores().keys()].sort()).toEqual(['category:a', 'category:b'])
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
    expect(buys.scores().get('category:b')!.p).toBeCloseTo(views.scores().get('category:b')!.p, 12)
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
    const kept = [...p.scores().values()].map((s) => s.p)
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
