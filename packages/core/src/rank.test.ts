import { describe, expect, it } from 'vitest'
import { listInterests } from './interests.js'
import type { Score } from './profile.js'
import { rankItems, type RankContext } from './rank.js'

function context(entries: Record<string, number>, evidence = 10, muted: string[] = []): RankContext {
  const scores = new Map<string, Score>(Object.entries(entries).map(([k, p]) => [k, { p, long: p }]))
  const mutedSet = new Set(muted)
  return { scores, evidence, muted: mutedSet, listed: listInterests(scores, mutedSet) }
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
    ['the top interest first, ties in input order', { 'category:hiking': 0.7, 'category:gym': 0.3 }, ['h1', 'h2', 'g1', 's1', 'y1']],
    ['the narrower match ranks higher', { 'category:hiking': 0.7, 'category:hiking/packs': 0.6, 'category:gym': 0.3 }, ['h2', 'h1', 'g1', 's1', 'y1']],
    ['tags count too', { 'category:surf': 0.5, 'category:yoga': 0.5, 'tag:waterproof': 0.9 }, ['y1', 's1', 'h1', 'g1', 'h2']],
    ['negative feedback sinks an item below neutral ones', { 'category:gym': -0.5, 'category:hiking': 0.2 }, ['h1', 'h2', 's1', 'y1', 'g1']],
  ])('%s', (_, entries, expected) => {
    expect(ids(rankItems(catalog, context(entries), Infinity))).toEqual(expected)
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
