import { describe, expect, it } from 'vitest'
import { listInterests } from './interests.js'
import type { Score } from './profile.js'
import { Ranker, rankItems as rankWith, type RankContext, type RankSettings } from './rank.js'
import type { Item, StoredItem } from '../types.js'

const NOW = Date.UTC(2026, 5, 1)
const DAY = 86_400_000

function context(entries: Record<string, number>, evidence = 10, muted: string[] = [], marks: StoredItem[] = []): RankContext {
  const scores = new Map<string, Score>(Object.entries(entries).map(([k, p]) => [k, { p, long: p, short: p }]))
  const mutedSet = new Set(muted)
  return {
    scores,
    evidence,
    muted: mutedSet,
    listed: listInterests(scores, mutedSet),
    marks: new Map(marks.map((m) => [m.id, m])),
    now: NOW,
    satiation: 30 * DAY,
    dismissal: 90 * DAY,
  }
}
function rankItems<T extends Item>(items: readonly T[], ctx: RankContext, limit = Infinity, settings: Partial<RankSettings> = {}) {
  return rankWith(items, ctx, { limit, surprise: 0, seed: 1, ...settings })
}
const empty = context({}, 0)
const catalog = [
  { id: 'g1', category: 'gym/weights' },
  { id: 'h1', category: 'hiking/boots', tags: ['waterproof'] },
  { id: 's1', category: 'surf/boards' },
  { id: 'h2', category: 'hiking/packs' },
  { id: 'y1', category: 'yoga/mats', tags: ['waterproof'] },
]
const ids = (ranked: { item: { id: string } }[]) => ranked.map((r) => r.item.id)

describe('rankItems', () => {
  it('returns the storefront’s order unchanged for an empty profile, with default reasons', () => {
    const ranked = rankItems(catalog, empty, Infinity)
    expect(ids(ranked)).toEqual(['g1', 'h1', 's1', 'h2', 'y1'])
    expect(ranked.every((r) => r.reason.kind === 'default' && r.score === 0)).toBe(true)
  })

  it.each([
    ['the top interest first, ties in input order', { 'category:hiking': 0.7, 'category:surf/boards': 0.02 }, ['h1', 'h2', 's1', 'g1', 'y1']],
    ['the narrower match ranks higher', { 'category:hiking': 0.7, 'category:hiking/packs': 0.6 }, ['h2', 'h1', 'g1', 's1', 'y1']],
    // Two interests: the shelf is calibrated to their mix (see below), each one's items in order.
    ['two interests share the top', { 'category:hiking': 0.7, 'category:hiking/packs': 0.6, 'category:gym': 0.3 }, ['h2', 'g1', 'h1', 's1', 'y1']],
    ['tags count too', { 'category:surf': 0.5, 'category:yoga': 0.5, 'tag:waterproof': 0.9 }, ['y1', 's1', 'h1', 'g1', 'h2']],
    ['negative feedback sinks an item below neutral ones', { 'category:gym': -0.5, 'category:hiking': 0.2 }, ['h1', 'h2', 's1', 'y1', 'g1']],
  ])('%s', (_, entries, expected) => {
    expect(ids(rankItems(catalog, context(entries), Infinity))).toEqual(expected)
  })

  it('names the broader interest that lifted an item when that one is not listed itself', () => {
    // Only boards are listed ("Boards", not "Surf"), yet a wetsuit is lifted by the surf interest.
    const ctx = context({ 'category:surf': 1, 'category:surf/boards': 1 })
    const [first] = rankItems([{ id: 'w', category: 'surf/wetsuits' }], ctx)
    expect(first!.reason).toEqual({ kind: 'interest', key: 'category:surf', text: "Because you've been looking at Surf" })
  })

  it('gives each item a human reason naming a listed interest', () => {
    const [first] = rankItems(catalog, context({ 'category:hiking': 0.7, 'category:gym': 0.3 }), 1)
    expect(first!.reason).toEqual({ kind: 'interest', key: 'category:hiking', text: "Because you've been looking at Hiking" })
  })

  it('gives an item touching a muted key no lift at all, and no interest reason', () => {
    const ranked = rankItems(catalog, context({ 'category:hiking': 0.7, 'category:gym': 0.3, 'tag:waterproof': 1 }, 10, ['category:hiking']), Infinity)
    expect(ids(ranked)).toEqual(['y1', 'g1', 'h1', 's1', 'h2'])
    expect(ranked.find((r) => r.item.id === 'h1')!.reason.kind).toBe('default')
  })

  it('uses popularity while the profile is thin, and less as it fills', () => {
    const items = [
      { id: 'niche', category: 'hiking', popularity: 1 },
      { id: 'hit', category: 'surf', popularity: 1000 },
    ]
    const thin = rankItems(items, context({ 'category:hiking': 0.5, 'category:surf': 0.3 }, 1), Infinity)
    expect(ids(thin)).toEqual(['hit', 'niche'])
    expect(thin[0]!.reason.kind).toBe('popular')
    const rich = rankItems(items, context({ 'category:hiking': 0.5, 'category:surf': 0.3 }, 200), Infinity)
    expect(ids(rich)).toEqual(['niche', 'hit'])
    expect(ids(rankItems(items, empty, Infinity))).toEqual(['niche', 'hit'])
  })

  it('keeps the first of repeated ids and honours the limit', () => {
    const items = [...catalog, { id: 'h1', category: 'hiking/boots' }]
    expect(ids(rankItems(items, context({ 'category:hiking': 1 }), Infinity))).toEqual(['h1', 'h2', 'g1', 's1', 'y1'])
    expect(ids(rankItems(items, context({ 'category:hiking': 1 }), 2))).toEqual(['h1', 'h2'])
    expect(rankItems(items, empty, 0)).toEqual([])
  })

  it('notices an item that changed, whether a new object with the same id or tags changed in place', () => {
    const ctx = context({ 'category:hiking': 0.6, 'category:surf': 0.4, 'tag:waterproof': 1 })
    const a = { id: 'x', category: 'surf/boards', tags: ['plain'] }
    expect(rankItems([a], ctx)[0]!.reason.key).toBe('category:surf')
    expect(rankItems([{ ...a, category: 'hiking/boots' }], ctx)[0]!.reason.key).toBe('category:hiking')
    a.tags.push('waterproof')
    expect(rankItems([a], ctx)[0]!.score).toBeCloseTo(0.4 + 0.5 * 1, 9)
  })

  it('keeps the first of two different objects with the same id', () => {
    const ctx = context({ 'category:hiking': 1 })
    const ranked = rankItems([{ id: 'x', category: 'surf' }, { id: 'y', category: 'ski' }, { id: 'x', category: 'hiking' }], ctx)
    expect(ranked.map((r) => `${r.item.id}:${r.item.category}`)).toEqual(['x:surf', 'y:ski'])
  })

  it('keeps one of a repeated id in a call that takes the page past 100,000 distinct ids', () => {
    // The id tables used to start over in the middle of such a call, and an id taken before that
    // counted again after it.
    const dup = { id: 'dup', category: 'surf/boards' }
    const many = Array.from({ length: 100_000 }, (_, i) => ({ id: `m${i}`, category: 'hiking/boots' }))
    const ranked = rankItems([dup, ...many, dup, { ...dup }], empty, Infinity)
    expect(ranked).toHaveLength(100_001)
    expect(ranked.filter((r) => r.item.id === 'dup')).toHaveLength(1)
    // The next call starts on new tables and still spots repeats, of old objects and of new ones.
    expect(ids(rankItems([many[0]!, dup, many[0]!, { ...dup }], empty, Infinity))).toEqual(['m0', 'dup'])
  })

  it('keeps the first of every repeated id in a large call, wherever the repeats fall', () => {
    // Repeats far apart in a large call, in the id table's packed slots: each still loses to its first.
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: `r${(i * 7919) % 40_000}`, category: i < 25_000 ? 'surf/boards' : 'hiking/boots' }))
    const ranked = rankItems(items, context({ 'category:hiking': 1 }), Infinity)
    const firsts = new Map<string, (typeof items)[number]>()
    for (const item of items) if (!firsts.has(item.id)) firsts.set(item.id, item)
    expect(ranked).toHaveLength(firsts.size)
    expect(ranked.every((r) => firsts.get(r.item.id) === r.item)).toBe(true)
    expect(ranked.filter((r) => r.item.category === 'hiking/boots')).toHaveLength(15_000)
  })

  it('keeps ids that share a hash apart, and finds the mark of each among many items', () => {
    // Each pair shares the 32-bit hash the ranker files ids by; repeats of them are still repeats.
    const pairs = [['hash-82vu', 'hash-juea'], ['hash-82vv', 'hash-jueb'], ['hash-82vw', 'hash-juec']]
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `m${i}`, category: 'hiking/boots' }))
    const clashing = pairs.flat().map((id) => ({ id, category: 'hiking/boots' }))
    const items = [...many.slice(0, 10_000), ...clashing, ...many.slice(10_000), ...clashing.map((item) => ({ ...item, category: 'surf' }))]
    const bought = [pairs[0]![1]!, pairs[2]![0]!, 'm12345']
    const ctx = context({ 'category:hiking': 1 }, 10, [], bought.map((id) => ({ id, purchased: NOW - DAY })))
    const ranked = rankItems(items, ctx, Infinity)
    expect(ranked).toHaveLength(20_006)
    expect(ranked.every((r) => r.item.category === 'hiking/boots')).toBe(true)
    // Exactly the bought ones are not pushed: they trail everything else.
    expect(new Set(ids(ranked.slice(-3)))).toEqual(new Set(bought))
    expect(ranked.slice(0, -3).every((r) => r.reason.kind !== 'default')).toBe(true)
  })

  it('selects the top of a large list exactly as a full sort would', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ id: `i${i}`, category: `c${i % 37}`, tags: [`t${i % 11}`] }))
    const ctx = context(Object.fromEntries([...Array.from({ length: 37 }, (_, i) => [`category:c${i}`, ((i * 7) % 37) / 37]), ...Array.from({ length: 11 }, (_, i) => [`tag:t${i}`, i / 11])]))
    const full = ids(rankItems(many, ctx, Infinity))
    expect(ids(rankItems(many, ctx, 24))).toEqual(full.slice(0, 24))
  })

  it('names the item that is malformed', () => {
    expect(() => rankItems([{ id: 'a' }, { id: '' }], empty, Infinity)).toThrow(/rank\(\): items\[1\]: item\.id must be a non-empty string/)
    expect(() => rankItems([{ id: 'a' }, null as never], empty, Infinity)).toThrow(/items\[1\]: item must be an object, got null/)
  })
})

describe('calibration', () => {
  const hiking = Array.from({ length: 20 }, (_, i) => ({ id: `h${i}`, category: `hiking/${['boots', 'packs', 'poles'][i % 3]}` }))
  const gym = Array.from({ length: 20 }, (_, i) => ({ id: `g${i}`, category: `gym/${['weights', 'mats'][i % 2]}` }))
  const count = (ranked: { item: { id: string } }[], prefix: string) => ranked.filter((r) => r.item.id.startsWith(prefix)).length

  it.each([
    ['70/30', { 'category:hiking': 0.7, 'category:gym': 0.3 }, 7, 3],
    ['50/50', { 'category:hiking': 0.5, 'category:gym': 0.5 }, 5, 5],
    ['90/10', { 'category:hiking': 0.9, 'category:gym': 0.1 }, 9, 1],
  ])('a %s profile gets about that mix in the top 10', (_, entries, h, g) => {
    const top = rankItems([...hiking, ...gym], context(entries), 10)
    expect(count(top, 'h')).toBe(h)
    expect(count(top, 'g')).toBe(g)
  })

  it('leads with the top interest and keeps every prefix of the shelf close to the mix', () => {
    const top = rankItems([...hiking, ...gym], context({ 'category:hiking': 0.7, 'category:gym': 0.3 }), 20)
    expect(top[0]!.item.id).toMatch(/^h/)
    top.forEach((_, n) => expect(Math.abs(count(top.slice(0, n + 1), 'g') - 0.3 * (n + 1))).toBeLessThanOrEqual(1))
  })

  it('keeps each interest’s items in their own order', () => {
    const top = rankItems([...hiking, ...gym], context({ 'category:hiking': 0.7, 'category:gym': 0.3, 'category:hiking/poles': 0.4 }), 10)
    const ids = top.filter((r) => r.item.id.startsWith('h')).map((r) => r.item.id)
    expect(ids.slice(0, 3)).toEqual(['h2', 'h5', 'h8'])
  })

  it('leaves slots held by popular or neutral items where they are', () => {
    const items = [{ id: 'hit', category: 'surf', popularity: 100 }, ...hiking.slice(0, 5), ...gym.slice(0, 5)]
    const top = rankItems(items, context({ 'category:hiking': 0.7, 'category:gym': 0.3 }, 1), 6)
    expect(top[0]!.item.id).toBe('hit')
    expect(count(top.slice(1), 'g')).toBeGreaterThanOrEqual(1)
  })
})

describe('surprise me', () => {
  const usual = Array.from({ length: 12 }, (_, i) => ({ id: `h${i}`, category: `hiking/${i % 2 ? 'boots' : 'packs'}` }))
  const others = ['surf', 'yoga', 'cycling', 'camping', 'running', 'climbing', 'ski', 'tennis', 'golf', 'swim'].flatMap((c) =>
    Array.from({ length: 3 }, (_, i) => ({ id: `${c}${i}`, category: `${c}/gear` })),
  )
  const shelf = [...usual, ...others]
  const profile = () => context({ 'category:hiking': 1, 'category:hiking/boots': 0.6, 'category:hiking/packs': 0.4 })

  it.each([
    [0.25, 12, [3, 7, 11]],
    [0.5, 6, [1, 3, 5]],
    [0.1, 12, [9]],
    [0, 12, []],
  ])('share %s of %s slots puts surprises at positions %j', (share, limit, positions) => {
    const ranked = rankItems(shelf, profile(), limit, { surprise: share, seed: 7 })
    expect(ranked).toHaveLength(limit)
    expect(ranked.flatMap((r, i) => (r.reason.kind === 'surprise' ? [i] : []))).toEqual(positions)
  })

  it('takes surprises from outside the usual categories, one per category, with a reason', () => {
    const ranked = rankItems(shelf, profile(), 12, { surprise: 0.25, seed: 7 })
    const surprises = ranked.filter((r) => r.reason.kind === 'surprise')
    expect(surprises.every((r) => !r.item.category.startsWith('hiking'))).toBe(true)
    expect(new Set(surprises.map((r) => r.item.category)).size).toBe(3)
    expect(surprises[0]!.reason.text).toBe(`Something different: ${surprises[0]!.item.category.replace('/', ' ').replace(/^./, (c) => c.toUpperCase())}`)
    expect(surprises[0]!.reason.key).toBe(`category:${surprises[0]!.item.category}`)
  })

  it('holds still for a seed whatever order the candidates come in, and changes with the seed', () => {
    const pick = (items: typeof shelf, seed: number) =>
      rankItems(items, profile(), 12, { surprise: 0.25, seed })
        .filter((r) => r.reason.kind === 'surprise')
        .map((r) => r.item.id)
    const a = pick(shelf, 7)
    expect(pick([...shelf].reverse(), 7)).toEqual(a)
    expect(pick(shelf, 7)).toEqual(a)
    const seeds = [8, 9, 10, 11].map((seed) => pick(shelf, seed).join())
    expect(seeds.some((s) => s !== a.join())).toBe(true)
  })

  it('treats the whole store as nobody’s usual: in a sports shop, surf is a surprise for a hiker', () => {
    const items = [...usual.map((i) => ({ ...i, category: `sports/${i.category}` })), ...others.map((i) => ({ ...i, category: `sports/${i.category}` }))]
    const ctx = context({ 'category:sports': 1, 'category:sports/hiking': 0.6, 'category:sports/gym': 0.4 })
    const surprises = rankItems(items, ctx, 12, { surprise: 0.25, seed: 3 }).filter((r) => r.reason.kind === 'surprise')
    expect(surprises).toHaveLength(3)
    expect(surprises.every((r) => !r.item.category.startsWith('sports/hiking'))).toBe(true)
  })

  it('never offers a hiking item as a surprise to a shopper whose only interest is hiking', () => {
    // Hiking holds all the attention, so the list shows its parts (boots, packs, apparel); the store
    // sells much else, so hiking is not "the whole store" but this shopper's usual.
    const ctx = context({ 'category:hiking': 1, 'category:hiking/boots': 0.4, 'category:hiking/packs': 0.35, 'category:hiking/apparel': 0.25 })
    const items = [...['boots', 'packs', 'apparel', 'poles', 'tents'].map((c, i) => ({ id: `h${i}`, category: `hiking/${c}` })), ...others]
    for (let seed = 0; seed < 200; seed++) {
      const surprises = rankItems(items, ctx, 12, { surprise: 0.25, seed }).filter((r) => r.reason.kind === 'surprise')
      expect(surprises.length).toBeGreaterThan(0)
      expect(surprises.filter((r) => r.item.category.startsWith('hiking'))).toEqual([])
    }
  })

  it('changes nothing for an empty profile, and never offers bought, dismissed or muted items', () => {
    expect(rankItems(shelf, context({}, 0), 12, { surprise: 0.25, seed: 7 }).map((r) => r.item.id)).toEqual(shelf.slice(0, 12).map((i) => i.id))
    const all = others.map((o) => o.id)
    const marks: StoredItem[] = [
      ...all.filter((_, i) => i % 2).map((id) => ({ id, purchased: NOW - DAY })),
      ...all.filter((_, i) => i % 2 === 0 && i % 4).map((id) => ({ id, dismissed: NOW - DAY })),
    ]
    const ctx = context({ 'category:hiking': 1, 'category:hiking/boots': 0.6, 'category:hiking/packs': 0.4 }, 10, ['category:surf'], marks)
    const surprises = rankItems(shelf, ctx, 24, { surprise: 0.25, seed: 7 }).filter((r) => r.reason.kind === 'surprise')
    expect(surprises.length).toBeGreaterThan(0)
    for (const r of surprises) {
      expect(ctx.marks.has(r.item.id)).toBe(false)
      expect(r.item.category.startsWith('surf')).toBe(false)
    }
  })
})

describe('satiation and dismissal', () => {
  const items = [
    { id: 'boots', category: 'hiking/boots' },
    { id: 'poles', category: 'hiking/poles' },
    { id: 'mat', category: 'yoga/mats' },
    { id: 'board', category: 'surf/boards' },
  ]
  const ranked = (marks: StoredItem[]) => rankItems(items, context({ 'category:hiking': 0.8, 'category:yoga': 0.2 }, 10, [], marks))

  it.each([
    ['nothing marked', [], ['boots', 'poles', 'mat', 'board']],
    ['a bought item is not pushed again; its category still counts', [{ id: 'boots', purchased: NOW - 2 * DAY }], ['poles', 'mat', 'board', 'boots']],
    ['after satiationDays it is back', [{ id: 'boots', purchased: NOW - 31 * DAY }], ['boots', 'poles', 'mat', 'board']],
    ['a dismissed item sinks below everything', [{ id: 'mat', dismissed: NOW - DAY }, { id: 'boots', purchased: NOW - DAY }], ['poles', 'board', 'boots', 'mat']],
  ])('%s', (_, marks, order) => {
    expect(ranked(marks as StoredItem[]).map((r) => r.item.id)).toEqual(order)
  })

  it('says why', () => {
    const r = ranked([{ id: 'mat', dismissed: NOW - DAY }, { id: 'boots', purchased: NOW - DAY }])
    expect(r.find((x) => x.item.id === 'boots')!.reason.text).toBe('You bought this recently')
    expect(r.find((x) => x.item.id === 'mat')!.reason.text).toBe('You hid this')
  })
})

describe('one ranker across calls', () => {
  const settings = { limit: Infinity, surprise: 0, seed: 1 }
  const ctx = context({ 'category:hiking': 0.7, 'category:gym': 0.3, 'tag:waterproof': 1 })

  it('ranks the same array again as a fresh ranker would, after its items change in place', () => {
    const ranker = new Ranker()
    const items: Item[] = catalog.map((item) => (item.tags ? { ...item, tags: item.tags.slice() } : { ...item }))
    expect(ids(ranker.rank(items, ctx, settings))).toEqual(ids(rankWith(items, ctx, settings)))
    items[2]!.tags = ['waterproof']
    items[0]!.category = 'hiking'
    items[4]!.tags![0] = 'dry'
    items[1]!.tags!.length = 0
    const again = ranker.rank(items, ctx, settings)
    expect(again).toEqual(rankWith(items, ctx, settings))
    expect(ids(again)).not.toEqual(ids(rankItems(catalog, ctx)))
    // From the second call on, what the items were read from is recorded: a change is still seen.
    items[0]!.category = 'gym/weights'
    items[3]!.id = 'renamed'
    const third = ranker.rank(items, ctx, settings)
    expect(third).toEqual(rankWith(items, ctx, settings))
    expect(ids(third)).not.toEqual(ids(again))
    expect(ranker.rank(items, ctx, settings)).toEqual(third)
    items[2]!.tags!.push('dry')
    expect(ranker.rank(items, ctx, settings)).toEqual(rankWith(items, ctx, settings))
  })

  it('reads marks on every call, the items unchanged', () => {
    const ranker = new Ranker()
    const items = catalog.slice()
    const marks = new Map<string, StoredItem>()
    const live = { ...ctx, marks }
    expect(ranker.rank(items, live, settings)[0]!.item.id).toBe('h1')
    marks.set('h1', { id: 'h1', dismissed: NOW - DAY })
    const hidden = ranker.rank(items, live, settings)
    expect(hidden.at(-1)!.item.id).toBe('h1')
    marks.delete('h1')
    expect(ranker.rank(items, live, settings)[0]!.item.id).toBe('h1')
  })

  it('follows a new profile for the same items', () => {
    const ranker = new Ranker()
    expect(ranker.rank(catalog, context({ 'category:gym': 1 }), settings)[0]!.item.id).toBe('g1')
    expect(ranker.rank(catalog, context({ 'category:surf': 1 }), settings)[0]!.item.id).toBe('s1')
  })

  it('ranks an array as a fresh ranker would after a call on it threw half-way', () => {
    const ranker = new Ranker()
    const items: Item[] = catalog.map((item) => ({ ...item }))
    ranker.rank(items, ctx, settings)
    const kept = items[3]!
    items[3] = { id: '' }
    expect(() => ranker.rank(items, ctx, settings)).toThrow(/items\[3\]/)
    items[3] = kept
    items[0]!.category = 'hiking/boots'
    expect(ranker.rank(items, ctx, settings)).toEqual(rankWith(items, ctx, settings))
  })

  it('reads a shorter array after a longer one, and tags spelled like built-in properties', () => {
    const ranker = new Ranker()
    const long = Array.from({ length: 3000 }, (_, i) => ({ id: `l${i}`, category: 'gym/mats', tags: ['__proto__', 'constructor'] }))
    ranker.rank(long, ctx, settings)
    const short = [{ id: 'l1', category: 'hiking', tags: ['__proto__', 'waterproof', 'toString'] }, { id: 'l1', category: 'gym' }]
    const ranked = ranker.rank(short, ctx, settings)
    expect(ranked).toEqual(rankWith(short, ctx, settings))
    expect(ranked[0]!.score).toBeCloseTo(0.7 + 0.5 * 1, 9)
    expect(ranker.rank(short, ctx, settings)).toEqual(ranked)
  })

  it('still checks items it has seen, and forgets them on close()', () => {
    const ranker = new Ranker()
    const items: { id: string; price?: number }[] = [{ id: 'a' }, { id: 'b' }]
    ranker.rank(items, empty, settings)
    items[1]!.price = -1
    expect(() => ranker.rank(items, empty, settings)).toThrow(/items\[1\]: item\.price must be a finite number >= 0/)
    ranker.close()
    expect(ids(ranker.rank([{ id: 'c' }], empty, settings))).toEqual(['c'])
  })
})
