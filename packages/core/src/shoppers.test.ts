import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DAY,
  HOUR,
  START,
  giftBurst,
  gymOnly,
  gymToHiking,
  leadTime,
  positionOf,
  product,
  replayInto,
  returning,
  seasonal,
  strayView,
} from '../../../scripts/eval/shoppers.mjs'
import { createPalate } from './index.js'
import type { EventType, Item } from './types.js'

const replay = (events: Parameters<typeof replayInto>[1]) => replayInto(createPalate, events)
const topLevel = (palate: ReturnType<typeof createPalate>): string[] => [
  ...new Set(palate.interests({ dimension: 'category', limit: 50 }).map((i) => i.key.split('/')[0]!)),
]
const shelf = [1, 2, 3].flatMap((n) => [product('gym/weights', 100 + n), product('hiking/boots', 100 + n)])

describe('scripted shoppers', () => {
  it('gym → hiking at 2 views a day: hiking leads the categories and the shelf within 2 days', () => {
    const scenario = gymToHiking(2)
    const lead = leadTime(createPalate, scenario)
    expect(lead).not.toBeNull()
    expect(lead!.days).toBeLessThanOrEqual(2)
    const { palate } = replay([...scenario.before, ...scenario.after.filter((e) => e.t < scenario.switchAt + 2 * DAY)])
    expect(topLevel(palate)[0]).toBe('category:hiking')
    expect(palate.rank(shelf)[0]!.item.category).toBe('hiking/boots')
  })

  it('gym → hiking: after 14 days of hiking, gym is still in the top 3', () => {
    const scenario = gymToHiking(2)
    const { palate } = replay([...scenario.before, ...scenario.after])
    expect(topLevel(palate).slice(0, 3)).toContain('category:gym')
    // Among every listed category too, hiking's sections included: third at worst, not just listed.
    const gym = positionOf(palate, 'category:gym')
    expect(gym).toBeGreaterThanOrEqual(0)
    expect(gym).toBeLessThan(3)
  })

  it('gym → hiking, then six months away: hiking still leads, and the shelf opens with hiking', () => {
    const scenario = gymToHiking(2)
    const { palate, clock } = replay([...scenario.before, ...scenario.after])
    const before = topLevel(palate)
    clock.t += 182 * DAY
    expect(topLevel(palate)).toEqual(before)
    expect(before[0]).toBe('category:hiking')
    expect(palate.rank(shelf)[0]!.item.category).toBe('hiking/boots')
  })

  it('gym → hiking: before the switch, gym leads and no shift is named', () => {
    const { palate } = replay(gymToHiking().before)
    expect(positionOf(palate, 'category:gym')).toBe(0)
    expect(palate.getSnapshot().shift).toBeNull()
  })

  it('gym → hiking at 3 views a day: the shift to hiking is named within 2 days, with top-level categories', () => {
    const scenario = gymToHiking(3)
    const { palate } = replay([...scenario.before, ...scenario.after.filter((e) => e.t < scenario.switchAt + 2 * DAY)])
    expect(palate.getSnapshot().shift).toEqual({ from: 'category:gym', to: 'category:hiking', since: scenario.after[0]!.t })
  })

  it('gym only, weights then accessories: no shift is ever named', () => {
    const scenario = gymOnly()
    const { palate, clock } = replay(scenario.before)
    for (const e of scenario.after) {
      clock.t = e.t
      palate.track(e.type as EventType, e.item as Item)
      expect(palate.getSnapshot().shift).toBeNull()
    }
  })

  it('a stray view among six steady interests never enters the top 2, and is out of the top 5 a week later', () => {
    const scenario = strayView()
    const { palate, clock } = replay(scenario.before)
    let best = Infinity
    for (const e of scenario.after) {
      clock.t = e.t
      palate.track(e.type as EventType, e.item as Item)
      const at = positionOf(palate, scenario.stray)
      if (at !== -1) best = Math.min(best, at)
    }
    expect(best).toBeGreaterThanOrEqual(2)
    const { palate: later } = replay([...scenario.before, ...scenario.after.filter((e) => e.t <= scenario.switchAt + 7 * DAY + 12 * HOUR)])
    const at = positionOf(later, scenario.stray)
    expect(at === -1 || at >= 5).toBe(true)
  })

  it('a stray view just now does not take the first two places of a shelf of the shopper\'s steady interests', () => {
    const scenario = strayView()
    const { palate, clock } = replay([...scenario.before, scenario.after[0]!])
    const steady = ['running/shoes', 'yoga/mats', 'cycling/helmets', 'camping/tents', 'books/novels', 'kitchen/knives']
    const candidates = [product('garden/tools', 200), ...steady.map((c) => product(c, 200))]
    for (const wait of [0, 5 * 60_000, 20 * 60_000]) {
      clock.t = scenario.after[0]!.t + wait
      const order = palate.rank(candidates).map((r) => r.item.category)
      expect(order.indexOf('garden/tools')).toBeGreaterThanOrEqual(2)
    }
  })

  it('a stray view an hour ago ranks below every steady interest, and a week of no visits changes nothing', () => {
    const scenario = strayView()
    const { palate, clock } = replay([...scenario.before, scenario.after[0]!])
    clock.t += HOUR
    const at = positionOf(palate, scenario.stray)
    expect(at === -1 || at >= 5).toBe(true)
    const order = palate.interests({ limit: 50 }).map((i) => i.key)
    clock.t += 7 * DAY
    expect(palate.interests({ limit: 50 }).map((i) => i.key)).toEqual(order)
  })

  it('after 6 months away, the order of interests is the one the shopper left with', () => {
    const scenario = returning()
    const { palate, clock } = replay(scenario.before)
    const order = (): string[] => palate.interests({ dimension: 'category' }).map((i) => i.key)
    const left = order()
    expect(left.slice(0, 3).map((k) => k.split('/')[0])).toEqual(['category:running', 'category:yoga', 'category:camping'])
    clock.t = scenario.switchAt - 1
    expect(order()).toEqual(left)
    for (const interest of palate.interests()) expect(Number.isFinite(interest.score) && interest.score > 0).toBe(true)
  })

  it('a returning shopper’s new interest leads within 2 days of coming back', () => {
    const lead = leadTime(createPalate, returning())
    expect(lead).not.toBeNull()
    expect(lead!.days).toBeLessThanOrEqual(2)
  })

  it('seasonal taste comes back within 2 days, about as fast as a brand-new interest would lead', () => {
    const back = leadTime(createPalate, seasonal())
    const fresh = leadTime(createPalate, { ...seasonal(), before: seasonal().before.filter((e) => !e.item.category.startsWith('ski')) })
    expect(back).not.toBeNull()
    expect(fresh).not.toBeNull()
    // The first ski visit teaches the mix that long-term taste foresaw it: one more event, not days.
    expect(back!.events).toBeLessThanOrEqual(fresh!.events + 1)
    expect(back!.days).toBeLessThanOrEqual(2)
  })

  it('a gift-buying burst does not take over: running leads again within 2 days', () => {
    const lead = leadTime(createPalate, giftBurst())
    expect(lead).not.toBeNull()
    expect(lead!.days).toBeLessThanOrEqual(2)
  })
})

describe('time alone never reorders', () => {
  const categories = ['gym/weights', 'gym/mats', 'hiking/boots', 'hiking/packs', 'yoga/mats', 'books/novels', 'toys/lego']
  const types: EventType[] = ['view', 'view', 'view', 'click', 'add_to_cart', 'wishlist', 'purchase', 'dismiss']
  const event = fc.record({
    gap: fc.oneof(fc.integer({ min: 0, max: 20 * 60_000 }), fc.integer({ min: 0, max: 40 * DAY })),
    category: fc.constantFrom(...categories),
    type: fc.constantFrom(...types),
    n: fc.integer({ min: 0, max: 4 }),
    tag: fc.constantFrom(undefined, 'waterproof', 'vegan'),
  })

  it('any history, left 1 day, 30 days or 6 months without events, lists its interests in the same order', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 80 }), (history) => {
        const clock = { t: START }
        const palate = createPalate({ storage: 'memory', now: () => clock.t })
        for (const e of history) {
          clock.t += e.gap
          const item: Item = { id: `${e.category}-${e.n}`, category: e.category, ...(e.tag ? { tags: [e.tag] } : {}) }
          palate.track(e.type, item)
        }
        const order = (): string[] => palate.interests({ limit: 100 }).map((i) => `${i.key}:${i.trend}`)
        const ranked = (): string[] => palate.rank(categories.map((c) => product(c, 9))).map((r) => r.item.id)
        clock.t += 31 * 60_000
        const now = order()
        const shelfNow = ranked()
        for (const away of [DAY, 30 * DAY, 182 * DAY]) {
          clock.t += away
          expect(order()).toEqual(now)
          expect(ranked()).toEqual(shelfNow)
        }
        palate.close()
      }),
      { numRuns: 150 },
    )
  })
})
