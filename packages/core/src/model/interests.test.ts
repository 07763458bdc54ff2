import { describe, expect, it } from 'vitest'
import { findShift, listInterests, selectInterests, trendOf } from './interests.js'
import { DAY, DEFAULT_MODEL, HOUR, Profile, type Score } from './profile.js'

const scores = (entries: Record<string, number | [number, number]>): Map<string, Score> =>
  new Map(Object.entries(entries).map(([key, v]) => [key, Array.isArray(v) ? { p: v[0], long: v[1], short: v[0] } : { p: v, long: v, short: v }]))
const keys = (list: { key: string }[]): string[] => list.map((i) => i.key)

describe('listInterests', () => {
  it.each([
    // A category whose one child holds (nearly) all of it is shown as the child.
    ['one child says it more precisely', { 'category:hiking': 1, 'category:hiking/boots': 1 }, ['category:hiking/boots']],
    // A top-level category holding (nearly) everything is the store itself, not an interest.
    ['the whole store is not an interest', { 'category:sports': 1, 'category:sports/gym': 0.6, 'category:sports/hiking': 0.4 }, ['category:sports/gym', 'category:sports/hiking']],
    ['a broad interest with several children stays', { 'category:gym': 0.6, 'category:gym/weights': 0.3, 'category:gym/mats': 0.3, 'category:yoga': 0.4 }, ['category:gym', 'category:yoga', 'category:gym/mats', 'category:gym/weights']],
    ['noise below 3% is not listed', { 'category:a': 0.98, 'category:b': 0.02 }, ['category:a']],
    ['negative feedback is not an interest', { 'category:a': 0.7, 'category:b': 0.3, 'category:c': -0.2 }, ['category:a', 'category:b']],
  ])('%s', (_, entries, expected) => {
    expect(keys(listInterests(scores(entries), new Set()))).toEqual(expected)
  })

  it('weighs tags and brands below categories when listing them together', () => {
    const list = listInterests(scores({ 'category:a': 0.6, 'category:b': 0.4, 'tag:waterproof': 1, 'brand:acme': 0.5 }), new Set())
    expect(keys(list)).toEqual(['category:a', 'tag:waterproof', 'category:b', 'brand:acme'])
  })

  it('gives shares of the dimension, labels and trends', () => {
    const [a, b] = listInterests(scores({ 'category:a': [0.7, 0.4], 'category:b': [0.3, 0.6] }), new Set())
    expect(a).toMatchObject({ key: 'category:a', dimension: 'category', value: 'a', label: 'A', share: 0.7, trend: 'rising' })
    expect(b).toMatchObject({ key: 'category:b', share: 0.3, trend: 'fading' })
  })

  it.each([
    // [short, long, started today] → trend
    ['today holds it, the long term none of it', 0.3, 0.01, false, 'new'],
    ['the run on it began today', 0.5, 0.5, true, 'new'],
    ['below 3% today is not new', 0.02, 0, false, 'steady'],
    ['well above the long term', 0.6, 0.3, false, 'rising'],
    ['well below the long term', 0.2, 0.5, false, 'fading'],
    ['close to the long term', 0.41, 0.4, false, 'steady'],
  ] as const)('trend: %s → %s', (_, short, long, today, trend) => {
    expect(trendOf({ p: short, short, long }, today)).toBe(trend)
  })

  it('shows a same-day rise from a real profile: new today, rising the next days, steady with no change', () => {
    const profile = new Profile(DEFAULT_MODEL)
    const start = Date.UTC(2026, 0, 1)
    const view = (key: string, at: number) => profile.add([key], 1, at)
    // A month of gym, a few views a day.
    for (let d = 0; d < 30; d++) for (let k = 0; k < 3; k++) view('category:gym', start + d * DAY + k * HOUR)
    const since = (key: string) => profile.states.get(key)?.f
    const trend = (key: string, now: number) => listInterests(profile.scores(), new Set(), since, now).find((i) => i.key === key)?.trend
    const day30 = start + 30 * DAY
    expect(trend('category:gym', day30)).toBe('steady')
    // Hiking starts today: new, while gym's share of today falls.
    for (let k = 0; k < 3; k++) view('category:hiking', day30 + k * HOUR)
    expect(trend('category:hiking', day30 + 3 * HOUR)).toBe('new')
    expect(trend('category:gym', day30 + 3 * HOUR)).toBe('fading')
    // Two more days of hiking: no longer new, still well above its long-term share.
    for (let d = 1; d <= 2; d++) for (let k = 0; k < 3; k++) view('category:hiking', day30 + d * DAY + k * HOUR)
    expect(trend('category:hiking', day30 + 2 * DAY + 3 * HOUR)).toBe('rising')
    // Without the run's start, only the shares decide.
    expect(listInterests(profile.scores(), new Set()).find((i) => i.key === 'category:hiking')?.trend).toBe('rising')
  })

  it('leaves muted keys out, and a muted category takes its narrower ones with it', () => {
    const entries = scores({ 'category:a': 0.6, 'category:a/x': 0.3, 'category:a/y': 0.3, 'category:b': 0.4 })
    expect(keys(listInterests(entries, new Set(['category:a'])))).toEqual(['category:b'])
  })

  it('never makes an interest "the whole store" because the others were muted', () => {
    const entries = scores({ 'category:gym': 0.6, 'category:gym/weights': 0.6, 'category:hiking': 0.4, 'category:hiking/boots': 0.2, 'category:hiking/packs': 0.2 })
    expect(keys(listInterests(entries, new Set()))).toEqual(['category:gym/weights', 'category:hiking', 'category:hiking/boots', 'category:hiking/packs'])
    // Hiking holds all that is left once gym is muted, yet it is still listed as itself.
    expect(keys(listInterests(entries, new Set(['category:gym'])))).toEqual(['category:hiking', 'category:hiking/boots', 'category:hiking/packs'])
    // The store itself is still left out, muted sections or not.
    const store = scores({ 'category:sports': 1, 'category:sports/gym': 0.6, 'category:sports/hiking/boots': 0.2, 'category:sports/hiking/packs': 0.2, 'category:sports/hiking': 0.4 })
    expect(keys(listInterests(store, new Set(['category:sports/gym'])))).toEqual(['category:sports/hiking', 'category:sports/hiking/boots', 'category:sports/hiking/packs'])
  })

  it('selects by dimension and limit', () => {
    const list = listInterests(scores({ 'category:a': 0.6, 'category:b': 0.4, 'tag:x': 1 }), new Set())
    expect(keys(selectInterests(list, { dimension: 'tag' }))).toEqual(['tag:x'])
    expect(keys(selectInterests(list, { limit: 1 }))).toEqual(['category:a'])
    expect(selectInterests(list, { limit: 0 })).toEqual([])
  })
})

describe('findShift', () => {
  const runStart = () => 123
  it('names a short-horizon leader that displaced the long-horizon one', () => {
    const s = scores({ 'category:hiking': [0.6, 0.1], 'category:gym': [0.4, 0.9] })
    expect(findShift(s, new Set(), runStart)).toEqual({ from: 'category:gym', to: 'category:hiking', since: 123 })
  })
  it('is null when the long-horizon leader still leads', () => {
    const s = scores({ 'category:hiking': [0.4, 0.1], 'category:gym': [0.6, 0.9] })
    expect(findShift(s, new Set(), runStart)).toBeNull()
  })
  it('is null when the new leader is a narrower part of the old one', () => {
    const s = scores({ 'category:gym': [0.5, 0.9], 'category:gym/mats': [0.45, 0.1], 'category:gym/weights': [0.05, 0.8], 'category:yoga': [0.5, 0.1] })
    // Gym mats overtaking gym weights is one interest: only yoga against gym could be a shift.
    const shift = findShift(s, new Set(), runStart)
    expect(shift === null || shift.to === 'category:yoga').toBe(true)
  })
  it('names top-level categories, whatever part of them moved', () => {
    const s = scores({ 'category:gym': [0.4, 0.9], 'category:gym/weights': [0.4, 0.9], 'category:hiking': [0.6, 0.1], 'category:hiking/boots': [0.6, 0.1] })
    expect(findShift(s, new Set(), runStart)).toEqual({ from: 'category:gym', to: 'category:hiking', since: 123 })
  })
  it('is null when the new leader is muted', () => {
    const s = scores({ 'category:hiking': [0.6, 0.1], 'category:gym': [0.4, 0.9] })
    expect(findShift(s, new Set(['category:hiking']), runStart)).toBeNull()
  })
})
