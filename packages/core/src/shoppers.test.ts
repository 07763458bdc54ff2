import { describe, expect, it } from 'vitest'
import { DAY, giftBurst, gymToHiking, leadTime, positionOf, returning, seasonal, strayView } from '../../../scripts/eval/shoppers.mjs'
import { createPalate } from './index.js'

/** Replays events through a memory instance on an injected clock; returns the instance and clock. */
function replay(events: { t: number; type: string; item: object }[]) {
  const clock = { t: events[0]?.t ?? 0 }
  const palate = createPalate({ storage: 'memory', now: () => clock.t })
  for (const e of events) {
    clock.t = e.t
    palate.track(e.type as never, e.item as never)
  }
  return { palate, clock }
}

describe('scripted shoppers', () => {
  it('gym → hiking: hiking is the top category within 2 days, and gym is still top 3 a week later', () => {
    const scenario = gymToHiking()
    const lead = leadTime(createPalate, scenario)
    expect(lead).not.toBeNull()
    expect(lead!.days).toBeLessThanOrEqual(2)

    const week = scenario.after.filter((e) => e.t < scenario.switchAt + 7 * DAY)
    const { palate } = replay([...scenario.before, ...week])
    expect(positionOf(palate, 'category:hiking')).toBe(0)
    const gym = positionOf(palate, 'category:gym')
    expect(gym).toBeGreaterThanOrEqual(0)
    expect(gym).toBeLessThan(3)
  })

  it('gym → hiking: before the switch, gym leads and no shift is named', () => {
    const { palate } = replay(gymToHiking().before)
    expect(positionOf(palate, 'category:gym')).toBe(0)
    expect(palate.getSnapshot().shift).toBeNull()
  })

  it('gym → hiking: the snapshot names the shift from gym to hiking once hiking leads', () => {
    const scenario = gymToHiking()
    const { palate } = replay([...scenario.before, ...scenario.after.filter((e) => e.t < scenario.switchAt + 2 * DAY)])
    const shift = palate.getSnapshot().shift
    expect(shift?.from).toMatch(/^category:gym/)
    expect(shift?.to).toMatch(/^category:hiking/)
    expect(shift?.since).toBe(scenario.after[0]!.t)
  })

  it('a stray view among steady interests never enters the top 2 and is out of the top 5 within 7 days', () => {
    const scenario = strayView()
    const { palate, clock } = replay(scenario.before)
    let worst = Infinity
    for (const e of scenario.after) {
      clock.t = e.t
      palate.track(e.type as never, e.item as never)
      const at = positionOf(palate, scenario.stray)
      if (at !== -1) worst = Math.min(worst, at)
    }
    expect(worst).toBeGreaterThanOrEqual(2)
    // Seven days after the stray view, with the shopper still active:
    const { palate: later } = replay([...scenario.before, ...scenario.after.filter((e) => e.t <= scenario.switchAt + 7 * DAY + 12 * 3_600_000)])
    const at = positionOf(later, scenario.stray)
    expect(at === -1 || at >= 5).toBe(true)
  })

  it('a stray view is also out of the top 5 after 7 idle days', () => {
    const scenario = strayView()
    const { palate, clock } = replay([...scenario.before, scenario.after[0]!])
    clock.t += 7 * DAY
    const at = positionOf(palate, scenario.stray)
    expect(at === -1 || at >= 5).toBe(true)
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

  it('seasonal taste is remembered: skiing leads again sooner than a brand-new interest would', () => {
    const back = leadTime(createPalate, seasonal())
    const fresh = leadTime(createPalate, { ...seasonal(), before: seasonal().before.filter((e) => !e.item.category.startsWith('ski')) })
    expect(back).not.toBeNull()
    expect(fresh).not.toBeNull()
    expect(back!.events).toBeLessThanOrEqual(fresh!.events)
    expect(back!.days).toBeLessThanOrEqual(3)
  })

  it('a gift-buying burst does not take over: running leads again within 2 days', () => {
    const lead = leadTime(createPalate, giftBurst())
    expect(lead).not.toBeNull()
    expect(lead!.days).toBeLessThanOrEqual(2)
  })
})
