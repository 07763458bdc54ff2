// Import of a file from export(): checked whole before anything is replaced, replaced as one
// transaction, and exact (export → import → export gives the same file). Node and Chromium.
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Palate, ProfileExport } from '../types.js'
import { closedAfterEach, DAY, ensureLocalStorage, manualClock, uniqueName } from '../testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()

/** A stored profile of `count` events, its export, and a way to open it again (a reload). */
async function shopper(count: number, options: { maxEvents?: number; maxKeys?: number } = {}) {
  const name = uniqueName('import')
  const clock = manualClock()
  const palate = make({ name, now: clock.now, ...options })
  await palate.ready
  for (let i = 0; i < count; i++) {
    clock.advance(60_000)
    palate.track(i % 5 === 0 ? 'add_to_cart' : 'view', { id: `own${i}`, category: i % 2 ? 'hiking/boots' : 'yoga/mats', tags: ['mine'], brand: 'Own' })
  }
  await palate.flush()
  const reload = async (): Promise<Palate> => {
    palate.close()
    const again = make({ name, now: clock.now, ...options })
    await again.ready
    return again
  }
  return { palate, clock, name, reload, exported: await palate.export() }
}

/** A file from another shopper, as JSON gives it back. */
function foreign(events: number): ProfileExport {
  const t = Date.UTC(2026, 0, 5, 12)
  return {
    format: 'palate-profile',
    schemaVersion: 3,
    profileId: 'other',
    createdAt: t - DAY,
    exportedAt: t,
    consent: 'granted',
    halfLives: [],
    settings: { surprise: false, muted: [] },
    keys: [],
    events: Array.from({ length: events }, (_, i) => ({ id: i + 1, t: t - 1000 + i, type: 'view' as const, item: { id: `x${i}`, category: 'surf' } })),
    items: [],
    forgotten: [],
  }
}

async function rejectsKeepingProfile(file: unknown, field: RegExp) {
  const { palate, reload, exported } = await shopper(40)
  const error = await palate.import(file as ProfileExport).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(TypeError)
  expect(String((error as Error).message)).toMatch(field)
  const again = await reload()
  const after = await again.export()
  expect({ ...after, exportedAt: 0 }).toEqual({ ...exported, exportedAt: 0 })
  expect(after.events).toHaveLength(40)
}

describe('a rejected import leaves the current profile as it was, after a reload too', () => {
  it('an event id the database cannot key: a TypeError naming it, the 40 events kept', async () => {
    const file = foreign(5)
    ;(file.events[3] as { id: unknown }).id = 'not-a-key'
    await rejectsKeepingProfile(file, /events\[3\]\.id/)
  })

  it('an event id past 2^53 is refused', async () => {
    const file = foreign(5)
    file.events[0]!.id = 2 ** 53
    await rejectsKeepingProfile(file, /events\[0\]\.id/)
  })

  it('a bad record late in the file is found before anything is replaced', async () => {
    const file = foreign(30)
    ;(file.events[29]!.item as { id: unknown }).id = 7
    await rejectsKeepingProfile(file, /events\[29\]/)
  })

  it('size limits: profileId length, mutes, events beyond maxEvents, keys beyond maxKeys', async () => {
    await rejectsKeepingProfile({ ...foreign(1), profileId: 'p'.repeat(100_000) }, /profileId/)
    await rejectsKeepingProfile({ ...foreign(1), settings: { surprise: false, muted: Array.from({ length: 100_000 }, (_, i) => `tag:t${i}`) } }, /settings\.muted/)
    await rejectsKeepingProfile(foreign(501), /events holds 501/)
    const keys = Array.from({ length: 600 }, (_, i) => ({ key: `tag:t${i}`, v: [1, 1, 1], t: 0, f: 0 }))
    await rejectsKeepingProfile({ ...foreign(1), keys }, /keys holds 600/)
  })

  it('malformed tombstones are refused by field', async () => {
    await rejectsKeepingProfile({ ...foreign(1), forgotten: [{ key: 'nope', at: 1 }] }, /forgotten\[0\]/)
  })

  it('an item mark whose id is longer than any tracked id is refused', async () => {
    await rejectsKeepingProfile({ ...foreign(1), items: [{ id: 'x'.repeat(5_000_000), dismissed: 1 }] }, /items\[0\]/)
  })
})

describe('keys not spelled as Palate spells them', () => {
  // A file written by hand, or by a version that kept invisible characters in keys: every interest
  // it lists must be one the shopper can forget and mute.
  it('are rebuilt from the events, so that each listed interest can be forgotten and muted', async () => {
    const name = uniqueName('import')
    const palate = make({ name })
    await palate.ready
    const file = foreign(3)
    file.events[2]!.item = { id: 'r', category: 'Pilates/Reformer' }
    file.keys = [
      { key: 'category:/Pilates//Reformer/', v: [5, 5, 5], t: file.exportedAt, f: file.exportedAt },
      { key: 'category:Surf', v: [9, 9, 9], t: file.exportedAt, f: file.exportedAt },
      { key: 'category:hi\u200bking', v: [9, 9, 9], t: file.exportedAt, f: file.exportedAt },
    ] as ProfileExport['keys']
    file.halfLives = (await palate.export()).halfLives
    await palate.import(file)
    const keys = () => palate.interests({ limit: 50 }).map((i) => i.key).sort()
    expect(keys()).toEqual(['category:pilates/reformer', 'category:surf'])
    await palate.mute('category:surf')
    await palate.forget('category:pilates')
    expect(keys()).toEqual([])
  })
})

describe('stored event ids never come from the file', () => {
  it('45 events that share one id are 45 events, renumbered in order', async () => {
    const { palate, reload } = await shopper(3)
    const file = foreign(45)
    for (const event of file.events) event.id = 7
    await palate.import(file)
    const again = await reload()
    const { events } = await again.export()
    expect(events).toHaveLength(45)
    expect(events.map((e) => e.item.id)).toEqual(file.events.map((e) => e.item.id))
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1))
    // And the database goes on writing: a later event is stored after them.
    again.track('view', { id: 'later', category: 'surf' })
    await again.flush()
    expect((await again.export()).events.at(-1)!.item.id).toBe('later')
  })
})

describe('export → import → export is the same file', () => {
  it('keeps the tombstones of a recent forget', async () => {
    const { palate, clock } = await shopper(12)
    await palate.forget('brand:own')
    const exported = await palate.export()
    expect(exported.forgotten.map((f) => f.key)).toContain('brand:own')
    const copy = make({ name: uniqueName('copy'), now: clock.now })
    await copy.ready
    await copy.import(JSON.parse(JSON.stringify(exported)))
    expect({ ...(await copy.export()), exportedAt: 0 }).toEqual({ ...exported, exportedAt: 0 })
  })

  it('for random profiles (keys with #mix and visit fields, mutes, marks, tombstones)', async () => {
    const segment = fc.constantFrom('surf', 'ski', 'yoga', 'gym', 'Boots', 'hiking')
    const action = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('track' as const), type: fc.constantFrom('view', 'add_to_cart', 'purchase', 'dismiss') as fc.Arbitrary<'view'>, id: fc.constantFrom('a', 'b', 'c', 'd'), category: fc.array(segment, { minLength: 1, maxLength: 2 }), tag: segment, brand: segment, dt: fc.integer({ min: 0, max: 2 * DAY }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('mute' as const), key: segment.map((s) => `tag:${s.toLowerCase()}`) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), key: segment.map((s) => `brand:${s.toLowerCase()}`) }) },
    )
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 30 }), fc.boolean(), async (actions, surprise) => {
        const clock = manualClock()
        const palate = make({ name: uniqueName('prop'), now: clock.now })
        await palate.ready
        for (const a of actions) {
          if (a.kind === 'track') {
            clock.advance(a.dt)
            palate.track(a.type, { id: a.id, category: a.category.join('/'), tags: [a.tag], brand: a.brand })
          } else if (a.kind === 'mute') await palate.mute(a.key)
          else await palate.forget(a.key).catch(() => undefined)
        }
        await palate.setSurprise(surprise)
        const exported = await palate.export()
        const copy = make({ name: uniqueName('prop-copy'), now: clock.now })
        await copy.ready
        await copy.import(JSON.parse(JSON.stringify(exported)))
        const again = await copy.export()
        expect({ ...again, exportedAt: 0 }).toEqual({ ...exported, exportedAt: 0 })
        palate.close()
        copy.close()
      }),
      { numRuns: 15 },
    )
  })
})

describe('a file dated ahead of this page’s clock (a device whose clock ran fast, or an edited file)', () => {
  /** A shopper's export, with surf's interest, a forget of hiking and a purchase of `board` dated a year ahead. */
  async function aheadOfTime() {
    const { palate, clock, exported } = await shopper(0)
    for (const category of ['surf', 'yoga', 'surf', 'yoga']) palate.track('view', { id: category, category })
    await palate.flush()
    const file: ProfileExport = JSON.parse(JSON.stringify(await palate.export()))
    const ahead = clock.now() + 365 * DAY
    const surf = file.keys.find((k) => k.key === 'category:surf')!
    Object.assign(surf, { t: ahead, f: ahead })
    file.forgotten = [{ key: 'category:hiking', at: ahead }]
    file.items = [{ id: 'board', purchased: ahead }]
    expect(exported.events).toEqual([])
    const copy = make({ name: uniqueName('ahead'), now: clock.now })
    await copy.ready
    await copy.import(file)
    return { copy, clock }
  }

  it('fades like the rest from the day it is imported, instead of holding its interests until that date', async () => {
    const { copy, clock } = await aheadOfTime()
    clock.advance(90 * DAY)
    copy.track('view', { id: 'ping', category: 'ski' })
    const score = (key: string) => copy.interests({ limit: 10 }).find((i) => i.key === key)!.score
    expect(score('category:surf')).toBeCloseTo(score('category:yoga'), 6)
  })

  it('does not keep refusing what the shopper does now, nor keep a bought item down for a year', async () => {
    const { copy, clock } = await aheadOfTime()
    clock.advance(60_000)
    copy.track('view', { id: 'trail', category: 'hiking' })
    await copy.flush()
    expect(copy.interests({ limit: 10 }).map((i) => i.key)).toContain('category:hiking')
    clock.advance(60 * DAY)
    const items = [{ id: 'board', category: 'surf' }, { id: 'fin', category: 'surf' }]
    expect(copy.rank(items).map((r) => r.item.id)).toEqual(['board', 'fin'])
    const stored = await copy.export()
    expect(stored.events.map((e) => e.item.id)).toContain('trail')
    expect(Math.max(...stored.keys.map((k) => k.t), ...stored.forgotten.map((f) => f.at), stored.items[0]!.purchased!)).toBeLessThanOrEqual(clock.now())
  })
})
