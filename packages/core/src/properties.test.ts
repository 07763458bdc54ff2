// Invariants, checked on generated inputs (fast-check): whatever a storefront and a clock throw at
// Palate, scores stay finite, decay only decays, the profile stays bounded, exports round-trip.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from './model/events.js'
import { createPalate, type EventType, type Item, type ProfileExport } from './index.js'
import { DAY, DEFAULT_MODEL, HOUR, Profile } from './model/profile.js'

const segment = fc.constantFrom('surf', 'ski', 'yoga', 'gym', 'hiking', '__proto__', 'constructor', 'Boots', ' x ')
const item: fc.Arbitrary<Item> = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', '__proto__'),
    category: fc.array(segment, { minLength: 1, maxLength: 3 }).map((path) => path.join('/')),
    tags: fc.uniqueArray(segment, { maxLength: 4 }),
    brand: segment,
  },
  { requiredKeys: ['id'] },
)
/** A time step: mostly minutes to days, sometimes the clock jumps years ahead or back. */
const step = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 3 * DAY }) },
  { weight: 1, arbitrary: fc.integer({ min: -5 * 365 * DAY, max: 5 * 365 * DAY }) },
)
const event = fc.record({ type: fc.constantFrom(...EVENT_TYPES) as fc.Arbitrary<EventType>, item, dt: step })

function replay(events: { type: EventType; item: Item; dt: number }[], options = {}) {
  const clock = { t: Date.UTC(2026, 0, 1) }
  const palate = createPalate({ storage: 'memory', now: () => clock.t, ...options })
  for (const e of events) {
    clock.t += e.dt
    palate.track(e.type, e.item)
  }
  return { palate, clock }
}

/** `file` as an import at `now` stores it: times more than a day after `now` are `now`. */
function readAsOf(file: ProfileExport, now: number): ProfileExport {
  const at = (t: number) => (t - now > DAY ? now : t)
  const item = ({ id, purchased, dismissed }: ProfileExport['items'][number]) => ({ id, ...(purchased === undefined ? {} : { purchased: at(purchased) }), ...(dismissed === undefined ? {} : { dismissed: at(dismissed) }) })
  return {
    ...file,
    createdAt: file.createdAt === null ? null : at(file.createdAt),
    keys: file.keys.map((k) => ({ ...k, t: at(k.t), f: at(k.f) })),
    events: file.events.map((e) => ({ ...e, t: at(e.t) })),
    items: file.items.map(item),
    forgotten: file.forgotten.map(({ key, at: t }) => ({ key, at: at(t) })),
  }
}

describe('invariants', () => {
  it('scores are always finite, shares stay in [0, 1], whatever the events and the clock', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 0, max: 20 * 365 * DAY }), (events, later) => {
        const { palate, clock } = replay(events)
        for (const at of [clock.t, clock.t + later]) {
          clock.t = at
          for (const interest of palate.interests({ limit: 100 })) {
            expect(Number.isFinite(interest.score)).toBe(true)
            expect(interest.share >= 0 && interest.share <= 1).toBe(true)
          }
          const items = events.map((e) => e.item)
          for (const r of palate.rank(items, { surprise: true })) expect(Number.isFinite(r.score)).toBe(true)
          const shift = palate.getSnapshot().shift
          if (shift) expect(Number.isFinite(shift.since)).toBe(true)
        }
        palate.close()
      }),
      { numRuns: 150 },
    )
  })

  it('decay is monotone: with no new events, no horizon of any key grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ keys: fc.subarray(['category:a', 'category:a/b', 'tag:x', 'brand:y'], { minLength: 1 }), weight: fc.double({ min: -100, max: 100, noNaN: true }), dt: fc.integer({ min: 0, max: 30 * DAY }) }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 400 * DAY }), { minLength: 2, maxLength: 6 }),
        (adds, gaps) => {
          const profile = new Profile(DEFAULT_MODEL)
          let t = 0
          for (const a of adds) profile.add(a.keys, a.weight, (t += a.dt))
          for (const state of profile.states.values()) {
            let at = t
            let previous = state.v.map((_, i) => Math.abs(profile.valueAt(state, i, at)))
            for (const gap of gaps) {
              at += gap
              const now = state.v.map((_, i) => Math.abs(profile.valueAt(state, i, at)))
              now.forEach((v, i) => expect(v).toBeLessThanOrEqual(previous[i]! + 1e-12))
              previous = now
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('the profile stays bounded by its caps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 50, maxLength: 400 }), async (events) => {
        const { palate } = replay(events, { maxKeys: 10, maxEvents: 20 })
        await palate.flush()
        const stored = await palate.export()
        expect(stored.events.length).toBeLessThanOrEqual(20)
        expect(stored.keys.filter((k) => !k.key.startsWith('#')).length).toBeLessThanOrEqual(10)
        palate.close()
      }),
      { numRuns: 40 },
    )
  })

  it('export → import round-trips: the same stored profile and the same interests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), fc.boolean(), async (events, surprise) => {
        const { palate, clock } = replay(events)
        await palate.setSurprise(surprise)
        const exported = await palate.export()
        const copy = createPalate({ storage: 'memory', now: () => clock.t })
        await copy.import(JSON.parse(JSON.stringify(exported)))
        const again = await copy.export()
        // After the clock jumped back, the file holds times ahead of it: an import reads those as
        // now, and the interests read as of now are the same.
        expect({ ...again, exportedAt: 0 }).toEqual({ ...readAsOf(exported, clock.t), exportedAt: 0 })
        expect(copy.interests({ limit: 100 })).toEqual(palate.interests({ limit: 100 }))
        palate.close()
        copy.close()
      }),
      { numRuns: 60 },
    )
  })

  it('the order events arrive in does not change the masses (tabs merge in any order)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ keys: fc.subarray(['category:a', 'category:a/b', 'category:c', 'tag:x'], { minLength: 1 }), weight: fc.integer({ min: 1, max: 6 }), t: fc.integer({ min: 0, max: 20 * HOUR }) }), { minLength: 1, maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (adds, randomness) => {
          const inOrder = new Profile(DEFAULT_MODEL)
          for (const a of [...adds].sort((x, y) => x.t - y.t)) inOrder.add(a.keys, a.weight, a.t)
          const shuffled = new Profile(DEFAULT_MODEL)
          const order = adds.map((a) => [randomness.next().value, a] as const).sort((x, y) => x[0] - y[0])
          for (const [, a] of order) shuffled.add(a.keys, a.weight, a.t)
          const at = 21 * HOUR
          for (const [key, state] of inOrder.states) {
            for (let i = 0; i < state.v.length; i++) expect(shuffled.valueAt(shuffled.states.get(key)!, i, at)).toBeCloseTo(inOrder.valueAt(state, i, at), 9)
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
