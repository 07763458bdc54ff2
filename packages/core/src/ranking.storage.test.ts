// Ranking through the engine: surprise me across renders, reloads and visits; satiation; dismissal.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Palate } from './index.js'
import { closedAfterEach, DAY, ensureLocalStorage, manualClock, uniqueName } from './testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()

const hiking = Array.from({ length: 10 }, (_, i) => ({ id: `h${i}`, category: `hiking/${i % 2 ? 'boots' : 'packs'}` }))
const others = ['surf', 'yoga', 'cycling', 'camping', 'running', 'climbing', 'ski', 'tennis', 'golf', 'swim', 'kayak', 'fishing'].map((c, i) => ({
  id: `${c}-${i}`,
  category: `${c}/gear`,
}))
const catalog = [...hiking, ...others]
const surprises = (palate: Palate) =>
  palate
    .rank(catalog, { limit: 12 })
    .filter((r) => r.reason.kind === 'surprise')
    .map((r) => r.item.id)

async function hiker(name: string, clock: ReturnType<typeof manualClock>, random = Math.random): Promise<Palate> {
  const palate = make({ name, now: clock.now, random })
  await palate.ready
  for (let i = 0; i < 6; i++) palate.track('view', hiking[i]!)
  return palate
}

describe('surprise me', () => {
  it('is off until the shopper turns it on; then a quarter of the shelf are surprises', async () => {
    const palate = await hiker(uniqueName(), manualClock())
    expect(surprises(palate)).toEqual([])
    await palate.setSurprise(true)
    expect(surprises(palate)).toHaveLength(3)
    expect(palate.rank(catalog, { limit: 12, surprise: false }).some((r) => r.reason.kind === 'surprise')).toBe(false)
    expect(palate.rank(catalog, { limit: 12, surprise: 0.5 }).filter((r) => r.reason.kind === 'surprise')).toHaveLength(6)
  })

  it('holds still across renders and a reload, and changes on the next visit', async () => {
    const name = uniqueName()
    const clock = manualClock()
    const palate = await hiker(name, clock)
    await palate.setSurprise(true)
    const shelf = surprises(palate)
    clock.advance(5 * 60_000)
    expect(surprises(palate)).toEqual(shelf)
    await palate.flush()
    palate.close()

    const reloaded = make({ name, now: clock.now })
    await reloaded.ready
    expect(surprises(reloaded)).toEqual(shelf)

    // A visit ends after 30 minutes without activity; each later visit draws again.
    const visits = new Set<string>()
    for (let v = 0; v < 4; v++) {
      clock.advance(31 * 60_000)
      visits.add(surprises(reloaded).join())
    }
    expect(visits.size).toBeGreaterThan(1)
    expect([...visits].every((v) => v.split(',').length === 3)).toBe(true)
  })

  it('rejects a surprise option that is not a boolean or a share', () => {
    const palate = make({ storage: 'memory' })
    expect(() => palate.rank(catalog, { surprise: 2 })).toThrow(/rank\(\): surprise must be true, false or a share between 0 and 1, got 2/)
    expect(() => palate.rank(catalog, { surprise: 'yes' as never })).toThrow(/got "yes"/)
  })

  it('writes no visit seed without consent, and forgets it on opt-out', async () => {
    const pending = make({ name: uniqueName(), consent: 'pending' })
    pending.track('view', hiking[0]!)
    pending.rank(catalog, { surprise: true })
    expect(Object.keys(sessionStorage).filter((k) => k.startsWith(`palate:`) && k.includes('pending'))).toEqual([])
    const name = uniqueName()
    const palate = await hiker(name, manualClock())
    palate.rank(catalog, { surprise: true })
    expect(sessionStorage.getItem(`palate:${name}:visit`)).not.toBeNull()
    await palate.optOut()
    expect(sessionStorage.getItem(`palate:${name}:visit`)).toBeNull()
  })
})

describe('satiation, dismissal and explain', () => {
  it('a bought item is not pushed again while its category still counts', async () => {
    const clock = manualClock()
    const palate = make({ name: uniqueName(), now: clock.now })
    for (let i = 0; i < 4; i++) palate.track('view', hiking[1]!)
    palate.track('purchase', hiking[1]!)
    const order = palate.rank(catalog).map((r) => r.item.id)
    expect(order.at(-1)).toBe('h1')
    expect(order[0]).toBe('h3')
    expect(palate.explain(hiking[1]!).text).toBe('You bought this recently')
    clock.advance(31 * DAY)
    expect(palate.rank(catalog)[0]!.item.id).toBe('h1')
  })

  it('dismiss sinks the item to the bottom and weighs its category down', async () => {
    const palate = make({ name: uniqueName() })
    palate.track('view', others[0]!)
    palate.track('view', others[1]!)
    palate.track('dismiss', others[0]!)
    const order = palate.rank(catalog).map((r) => r.item.id)
    expect(order[0]).toBe(others[1]!.id)
    expect(order.at(-1)).toBe(others[0]!.id)
    expect(palate.interests({ dimension: 'category' }).map((i) => i.key)).toEqual(['category:yoga/gear'])
  })

  it('explain gives the reason rank gives', async () => {
    const palate = await hiker(uniqueName(), manualClock())
    for (const { item, reason } of palate.rank(catalog)) expect(palate.explain(item)).toEqual(reason)
  })
})
