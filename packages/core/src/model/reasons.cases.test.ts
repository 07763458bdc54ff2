import { describe, expect, it } from 'vitest'
import { fold } from './events.js'
import { listInterests } from './interests.js'
import { itemFacts, keysOf } from './keys.js'
import { DAY, DEFAULT_MODEL, HOUR, Profile, type Score } from './profile.js'
import { rankItems, reasonFor, type RankContext } from './rank.js'
import { fedByShopper, interestReasonText } from './reasonText.js'
import type { EventType, Item } from '../types.js'

const NOW = Date.UTC(2026, 5, 1, 12)
const WEIGHTS: Record<string, number> = { view: 1, click: 1, add_to_cart: 3, purchase: 5, dismiss: -4 }

const boots: Item = { id: 'boots', category: 'hiking/boots', tags: ['waterproof', 'trail'], brand: 'Summit' }
const pack: Item = { id: 'pack', category: 'hiking/packs', tags: ['waterproof'], brand: 'Summit' }
const bench: Item = { id: 'bench', category: 'gym/benches', brand: 'Ironclad' }
const kettlebell: Item = { id: 'kettlebell', category: 'gym/weights', brand: 'Ironclad' }
const trailShoes: Item = { id: 'run-trail', category: 'running/shoes', tags: ['trail', 'lightweight'], brand: 'Stride' }
const roadShoes: Item = { id: 'run-road', category: 'running/shoes', tags: ['road'], brand: 'Stride' }
const ironcladMat: Item = { id: 'mat', category: 'yoga/mats', brand: 'Ironclad' }
const waterproofJacket: Item = { id: 'jacket', category: 'outdoor/jackets', tags: ['waterproof'] }
const surfboard: Item = { id: 'board', category: 'surf/boards' }

/** `[type, item, hours ago]`, oldest first. */
type Journey = [EventType, Item, number][]

function contextOf(journey: Journey, muted: string[] = []): RankContext {
  const profile = new Profile(DEFAULT_MODEL)
  for (const [type, item, hoursAgo] of journey) {
    const event = { t: NOW - hoursAgo * HOUR, type, item: itemFacts('test', item) }
    fold(profile, { event, keys: keysOf(event.item), weight: WEIGHTS[type]! })
  }
  const mutedSet = new Set(muted)
  return {
    scores: profile.rankScores(NOW),
    evidence: profile.evidence(),
    muted: mutedSet,
    listed: listInterests(profile.scores(), mutedSet),
    marks: new Map(),
    now: NOW,
    satiation: 30 * DAY,
    dismissal: 90 * DAY,
  }
}

const views = (item: Item, times: number, hoursAgo: number): Journey => Array.from({ length: times }, (_, i) => ['view', item, hoursAgo - i * 0.01])

/**
 * Reasons for typical shoppers: what they did, the item, what it says. Every interest reason names
 * something the shopper's own events fed.
 */
const CASES: { shopper: string; journey: Journey; muted?: string[]; item: Item; kind: string; text: string }[] = [
  { shopper: 'new, nothing done yet', journey: [], item: boots, kind: 'default', text: 'Picked by the store' },
  { shopper: 'looked at hiking boots', journey: views(boots, 3, 2), item: boots, kind: 'interest', text: "Because you've been looking at Hiking boots" },
  // Hiking itself is not listed (Boots say it more precisely); the listed tag they share is named.
  { shopper: 'looked at hiking boots, shown a pack', journey: views(boots, 3, 2), item: pack, kind: 'interest', text: "Waterproof, like things you've looked at" },
  { shopper: 'looked at Ironclad gym gear, shown an Ironclad yoga mat', journey: [...views(bench, 3, 30), ...views(kettlebell, 3, 2)], item: ironcladMat, kind: 'interest', text: "More from Ironclad, which you've looked at" },
  { shopper: 'looked at waterproof hiking gear, shown a waterproof jacket', journey: [...views(boots, 2, 5), ...views(pack, 2, 3)], item: waterproofJacket, kind: 'interest', text: "Waterproof, like things you've looked at" },
  // The case of the issue: no running view at all. The only thing the trail shoes share with what
  // the shopper did is the tag, and the reason says so rather than naming Running.
  { shopper: 'looked at hiking boots only, shown trail running shoes', journey: views(boots, 4, 2), item: trailShoes, kind: 'interest', text: "Trail, like things you've looked at" },
  { shopper: 'looked at gym gear only, shown road running shoes', journey: views(bench, 4, 2), item: roadShoes, kind: 'default', text: 'Picked by the store' },
  { shopper: 'a gym regular now into hiking, shown a bench', journey: [...views(bench, 10, 24 * 20), ...views(boots, 6, 1)], item: bench, kind: 'interest', text: "Because you've been looking at Gym benches" },
  { shopper: 'a gym regular now into hiking, shown boots', journey: [...views(bench, 10, 24 * 20), ...views(boots, 6, 1)], item: boots, kind: 'interest', text: "Because you've been looking at Hiking boots" },
  { shopper: 'looked at running shoes, then hid them', journey: [...views(roadShoes, 1, 5), ['dismiss', roadShoes, 4], ...views(boots, 3, 2)], item: trailShoes, kind: 'interest', text: "Trail, like things you've looked at" },
  { shopper: 'muted Gym, shown an Ironclad bench', journey: [...views(bench, 3, 3), ...views(boots, 3, 2)], muted: ['category:gym'], item: bench, kind: 'default', text: 'Picked by the store' },
  { shopper: 'looked at surfboards, shown one', journey: views(surfboard, 2, 1), item: surfboard, kind: 'interest', text: "Because you've been looking at Surf boards" },
]

describe('reasons for typical shoppers', () => {
  it.each(CASES)('$shopper: "$text"', ({ journey, muted, item, kind, text }) => {
    const ctx = contextOf(journey, muted)
    const [ranked] = rankItems([item], ctx, { limit: Infinity, surprise: 0, seed: 1 })
    expect(ranked!.reason).toMatchObject({ kind, text })
    // explain() says the same as rank().
    expect(reasonFor(String(item.id), keysOf(itemFacts('test', item)), ctx)).toMatchObject({ kind, text })
    // An interest reason names a key the shopper's own events fed.
    if (ranked!.reason.key) expect(fedByShopper(ctx.scores.get(ranked!.reason.key))).toBe(true)
  })
})

describe('interestReasonText', () => {
  it.each([
    ['category:hiking', "Because you've been looking at Hiking"],
    ['category:sports/hiking/boots', "Because you've been looking at Hiking boots"],
    ['brand:acme co', "More from Acme Co, which you've looked at"],
    ['tag:water-resistant', "Water resistant, like things you've looked at"],
  ])('%s → %s', (key, text) => {
    expect(interestReasonText(key)).toBe(text)
  })
})

describe('fedByShopper', () => {
  const score = (long: number): Score => ({ p: 0.3, long, short: 0.3 })
  it('is true only for a key with positive long-horizon mass', () => {
    expect(fedByShopper(score(0.2))).toBe(true)
    expect(fedByShopper(score(0))).toBe(false)
    expect(fedByShopper(score(-0.1))).toBe(false)
    expect(fedByShopper(undefined)).toBe(false)
  })

  it('keeps a key that lifts an item but was never fed out of its reason', () => {
    // A blend can leave a positive score on a key the longest horizon holds nothing for.
    const scores = new Map<string, Score>([
      ['category:running', { p: 0.4, long: 0, short: 0.4 }],
      ['tag:trail', { p: 0.2, long: 0.2, short: 0.2 }],
    ])
    const ctx: RankContext = { scores, evidence: 5, muted: new Set(), listed: listInterests(scores, new Set()), marks: new Map(), now: NOW, satiation: DAY, dismissal: DAY }
    expect(rankItems([trailShoes], ctx, { limit: 1, surprise: 0, seed: 1 })[0]!.reason).toMatchObject({ key: 'tag:trail', text: "Trail, like things you've looked at" })
  })
})
