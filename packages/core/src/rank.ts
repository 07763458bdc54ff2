import { DIMENSION_WEIGHT, itemFacts, keysOf, labelOf, type ItemFacts } from './keys.js'
import { isMuted, usualCategories } from './interests.js'
import type { Score } from './profile.js'
import type { Dimension, Interest, Item, Ranked, Reason, StoredItem } from './types.js'

/**
 * Strength of the popularity prior, in events: with this much evidence, the profile and the
 * candidates' popularity count equally.
 */
export const POPULARITY_PRIOR = 5

export interface RankContext {
  scores: ReadonlyMap<string, Score>
  /**
   * How much the profile knows: the shopper's (decayed) number of events. The popularity prior
   * counts for less as it grows; at 0 nothing is reordered.
   */
  evidence: number
  muted: ReadonlySet<string>
  /** The listed interests: reasons name one of these when they can. */
  listed: readonly Interest[]
  /** When items were bought or dismissed. */
  marks: ReadonlyMap<string, StoredItem>
  now: number
  /** A bought item is not pushed again for this long (ms). */
  satiation: number
  /** A dismissed item stays at the bottom for this long (ms). */
  dismissal: number
}

export interface RankSettings {
  limit: number
  /** Share of the shelf's slots given to surprises; 0 for none. */
  surprise: number
  /** Fixed for the visit, so surprises hold still across renders and reloads. */
  seed: number
}

interface Prepared {
  category: unknown
  tags: unknown
  brand: unknown
  facts: ItemFacts
  keys: string[]
}

/**
 * Items are re-ranked on every render; normalizing the same product object again each time would
 * dominate the cost. The cache is checked against the fields it was built from.
 */
const prepared = new WeakMap<object, Prepared>()

export function prepare(where: string, item: Item): Prepared {
  const hit = prepared.get(item)
  if (hit && hit.category === item.category && hit.tags === item.tags && hit.brand === item.brand && hit.facts.id === item.id) {
    return hit
  }
  const facts = itemFacts(where, item)
  const entry = { category: item.category, tags: item.tags, brand: item.brand, facts, keys: keysOf(facts) }
  prepared.set(item, entry)
  return entry
}

/** What the ranking needs from a profile, derived once per profile version. */
interface Derived {
  /** What each key adds to an item's score: its blended share times its dimension's weight. */
  contribution: Map<string, number>
  /** Listed category interests and their scores: the groups a shelf is calibrated over. */
  groups: Map<string, number>
  /** Keys of the listed interests, for reasons. */
  listed: Set<string>
  /** Categories that are the shopper's usual (see `usualCategories`). */
  usual: Set<string>
}

const derivedCache = new WeakMap<ReadonlyMap<string, Score>, { muted: ReadonlySet<string>; listed: readonly Interest[]; derived: Derived }>()

function derive(ctx: RankContext): Derived {
  const hit = derivedCache.get(ctx.scores)
  if (hit && hit.muted === ctx.muted && hit.listed === ctx.listed) return hit.derived
  const contribution = new Map<string, number>()
  for (const [key, score] of ctx.scores) {
    if (score.p !== 0 && !isMuted(key, ctx.muted)) contribution.set(key, DIMENSION_WEIGHT[key.slice(0, key.indexOf(':')) as Dimension] * score.p)
  }
  const groups = new Map<string, number>()
  for (const interest of ctx.listed) if (interest.dimension === 'category') groups.set(interest.key, interest.score)
  const derived = {
    contribution,
    groups,
    listed: new Set(ctx.listed.map((interest) => interest.key)),
    usual: usualCategories(ctx.listed, ctx.scores),
  }
  derivedCache.set(ctx.scores, { muted: ctx.muted, listed: ctx.listed, derived })
  return derived
}

/** 0: rank normally; 1: bought recently, not pushed again; 2: dismissed, at the bottom. */
type Tier = 0 | 1 | 2

function tierOf(id: string, ctx: RankContext): Tier {
  const mark = ctx.marks.get(id)
  if (!mark) return 0
  if (mark.dismissed !== undefined && ctx.now - mark.dismissed < ctx.dismissal) return 2
  if (mark.purchased !== undefined && ctx.now - mark.purchased < ctx.satiation) return 1
  return 0
}

export function interestReason(key: string): Reason {
  return { kind: 'interest', key, text: `Because you've been looking at ${labelOf(key)}` }
}

const reason = (kind: Reason['kind'], text: string): Reason => Object.freeze({ kind, text }) as Reason
export const DEFAULT_REASON = reason('default', 'Picked by the store')
export const POPULAR_REASON = reason('popular', 'Popular with shoppers')
const BOUGHT_REASON = reason('default', 'You bought this recently')
const DISMISSED_REASON = reason('default', 'You hid this')

/**
 * The reason for an item outside of surprise slots: what keeps it down (bought, dismissed), else
 * its popularity when that is what lifted it most, else the listed interest that adds most to its
 * score, else the store's own placement.
 */
export function reasonFor(id: string, keys: readonly string[], ctx: RankContext, prior = 0): Reason {
  const tier = tierOf(id, ctx)
  if (tier === 2) return DISMISSED_REASON
  if (tier === 1) return BOUGHT_REASON
  const { contribution, listed } = derive(ctx)
  // The listed interest that adds most; failing that, any key that adds most (a broader category
  // left out of the list, say "Surf" for a wetsuit when only boards are listed).
  let best: string | undefined
  let most = 0
  let fallback: string | undefined
  let fallbackMost = 0
  let affinity = 0
  for (const key of keys) {
    if (ctx.muted.size > 0 && isMuted(key, ctx.muted)) return prior > 0 ? POPULAR_REASON : DEFAULT_REASON
    const c = contribution.get(key) ?? 0
    affinity += c
    if (c > most && listed.has(key)) {
      best = key
      most = c
    }
    if (c > fallbackMost) {
      fallback = key
      fallbackMost = c
    }
  }
  if (prior > 0 && prior >= affinity) return POPULAR_REASON
  best ??= fallback
  if (best) return interestReason(best)
  return prior > 0 ? POPULAR_REASON : DEFAULT_REASON
}

interface Entry<T> {
  item: T
  id: string
  keys: string[]
  score: number
  prior: number
  index: number
  tier: Tier
  /** The listed category interest that lifts this item most, if any. */
  group: string | undefined
  /** Whether the item is outside the shopper's usual categories: a surprise candidate. */
  novel: boolean
  /** Visit-stable pseudo-random rank among surprise candidates. */
  draw: number
}

/** Not pushed (bought, dismissed) after the rest; then higher score first; ties keep the storefront's order. */
function byRank<T>(a: Entry<T>, b: Entry<T>): number {
  return a.tier - b.tier || b.score - a.score || a.index - b.index
}

const byDraw = <T,>(a: Entry<T>, b: Entry<T>): number => a.draw - b.draw || a.index - b.index

/** The best `k` entries in order, without sorting all of them: O(n log k) comparisons. */
function topK<T>(entries: Entry<T>[], k: number, compare: (a: Entry<T>, b: Entry<T>) => number): Entry<T>[] {
  if (k <= 0) return []
  if (k >= entries.length) return entries.slice().sort(compare)
  const top: Entry<T>[] = []
  for (const entry of entries) {
    if (top.length === k && compare(entry, top[k - 1]!) >= 0) continue
    let lo = 0
    let hi = top.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compare(top[mid]!, entry) <= 0) lo = mid + 1
      else hi = mid
    }
    top.splice(lo, 0, entry)
    if (top.length > k) top.pop()
  }
  return top
}

/** A 32-bit hash of an id mixed with the visit's seed (FNV-1a, then a murmur-style finalizer). */
function draw(id: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * Calibration: the slots that interest-matched items hold at the top of the shelf are dealt out
 * again across the interests in proportion to their scores (70% hiking, 30% gym → about 7 and 3
 * of 10), each interest's items in their own order. Slots held by other items (popular, neutral)
 * keep their place, so a thin profile's popularity prior is not overridden.
 */
function calibrate<T>(shelf: Entry<T>[], pool: Entry<T>[], groups: Map<string, number>): Entry<T>[] {
  const slots: number[] = []
  shelf.forEach((entry, i) => {
    if (entry.tier === 0 && entry.group !== undefined) slots.push(i)
  })
  if (slots.length < 2) return shelf
  const byGroup = new Map<string, Entry<T>[]>()
  for (const entry of pool) {
    if (entry.tier !== 0 || entry.group === undefined) continue
    const list = byGroup.get(entry.group)
    if (list) list.push(entry)
    else byGroup.set(entry.group, [entry])
  }
  if (byGroup.size < 2) return shelf
  let total = 0
  for (const group of byGroup.keys()) total += groups.get(group)!
  const queues = [...byGroup].map(([group, entries]) => ({ target: groups.get(group)! / total, entries: topK(entries, slots.length, byRank), taken: 0 }))
  const out = shelf.slice()
  slots.forEach((slot, j) => {
    let best: (typeof queues)[number] | undefined
    let bestDeficit = -Infinity
    for (const q of queues) {
      if (q.taken >= q.entries.length) continue
      const deficit = q.target * (j + 1) - q.taken
      if (deficit > bestDeficit + 1e-9 || (Math.abs(deficit - bestDeficit) <= 1e-9 && best && byRank(q.entries[q.taken]!, best.entries[best.taken]!) < 0)) {
        best = q
        bestDeficit = deficit
      }
    }
    out[slot] = best!.entries[best!.taken++]!
  })
  return out
}

/** Positions (0-based) of surprise slots: spread evenly, never the first. Share 0.25 → 4th, 8th, 12th… */
function surpriseSlots(length: number, share: number): number[] {
  const slots: number[] = []
  if (share <= 0) return slots
  for (let i = 0; i < length; i++) if (Math.floor((i + 1) * share + 1e-9) > Math.floor(i * share + 1e-9)) slots.push(i)
  return slots
}

function surpriseReason(keys: readonly string[]): Reason {
  let key: string | undefined
  for (const k of keys) if (k.startsWith('category:')) key = k
  return key ? { kind: 'surprise', key, text: `Something different: ${labelOf(key)}` } : { kind: 'surprise', text: 'Something different' }
}

/**
 * Re-ranks candidates: affinity plus a popularity prior while the profile is thin; ties keep the
 * input order, so an empty profile returns the storefront's order unchanged. Recently bought items
 * are not pushed, dismissed ones sink to the bottom; the top of the shelf is calibrated to the mix
 * of interests; with surprise on, evenly spread slots go to items from outside the shopper's usual.
 * A repeated id keeps its first occurrence.
 */
export function rankItems<T extends Item>(items: readonly T[], ctx: RankContext, settings: RankSettings): Ranked<T>[] {
  const derived = derive(ctx)
  const { contribution, groups, usual } = derived
  const seen = new Set<string>()
  const entries: Entry<T>[] = []
  let maxPopularity = 0
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!
    const { facts, keys } = prepare(`rank(): items[${index}]`, item)
    if (seen.has(facts.id)) continue
    seen.add(facts.id)
    const popularity = item.popularity
    if (popularity !== undefined && popularity > maxPopularity) maxPopularity = popularity
    let score = 0
    let group: string | undefined
    let best = 0
    let novel = facts.category !== undefined
    for (const key of keys) {
      if (ctx.muted.size > 0 && isMuted(key, ctx.muted)) {
        score = 0
        group = undefined
        novel = false
        break
      }
      const c = contribution.get(key) ?? 0
      score += c
      if (c > best && groups.has(key)) {
        best = c
        group = key
      }
      if (novel && usual.has(key)) novel = false
    }
    const tier = ctx.marks.size > 0 ? tierOf(facts.id, ctx) : 0
    entries.push({ item, id: facts.id, keys, score, prior: 0, index, tier, group, novel: novel && tier === 0, draw: 0 })
  }
  if (ctx.evidence > 0 && maxPopularity > 0) {
    const weight = POPULARITY_PRIOR / (POPULARITY_PRIOR + ctx.evidence)
    for (const entry of entries) {
      entry.prior = (weight * (entry.item.popularity ?? 0)) / maxPopularity
      // Lifted more by popularity than by an interest: it holds a popular slot, not an interest's.
      if (entry.prior > 0 && entry.prior >= entry.score) entry.group = undefined
      entry.score += entry.prior
    }
  }

  const length = Math.min(settings.limit, entries.length)
  let shelf = calibrate(topK(entries, length, byRank), entries, groups)

  const slots = groups.size > 0 ? surpriseSlots(length, settings.surprise) : []
  const surprises = new Set<Entry<T>>()
  if (slots.length > 0) {
    // One surprise per parent category (surf, whatever the board), so the surprises differ from
    // each other too: keep each parent's best draw, then the best parents.
    const byParent = new Map<string, Entry<T>>()
    for (const entry of entries) {
      if (!entry.novel) continue
      entry.draw = draw(entry.id, settings.seed)
      const path = entry.keys.filter((key) => key.startsWith('category:'))
      const parent = path[Math.max(0, path.length - 2)]!
      const held = byParent.get(parent)
      if (!held || byDraw(entry, held) < 0) byParent.set(parent, entry)
    }
    for (const entry of [...byParent.values()].sort(byDraw).slice(0, slots.length)) surprises.add(entry)
  }
  if (surprises.size > 0) {
    const rest = shelf.filter((entry) => !surprises.has(entry))
    const at = new Set(slots)
    const queue = [...surprises]
    const merged: Entry<T>[] = []
    for (let i = 0, r = 0; merged.length < length; i++) {
      merged.push(at.has(i) && queue.length > 0 ? queue.shift()! : rest[r++]!)
    }
    shelf = merged
  }

  return shelf.map((entry) => ({
    item: entry.item,
    score: entry.score,
    reason: surprises.has(entry) ? surpriseReason(entry.keys) : reasonFor(entry.id, entry.keys, ctx, entry.prior),
  }))
}
