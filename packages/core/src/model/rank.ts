import { checkNumbers, DIMENSION_WEIGHT, itemFacts, itemId, keysOf, labelOf, rootKey, type ItemFacts } from './keys.js'
import { isMuted, usualCategories } from './interests.js'
import type { Score } from './profile.js'
import { fedByShopper, interestReasonText } from './reasonText.js'
import type { Dimension, Interest, Item, Ranked, Reason, StoredItem } from '../types.js'

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
  /** The raw fields it was built from (tags copied), to tell when an item with this id changed. */
  category: unknown
  tags: unknown
  brand: unknown
  facts: ItemFacts
  keys: string[]
  /** What the item is to the profile, for the profile-derived state numbered `memo.version`. */
  memo: Memo | undefined
  /** Shared by every prepared item with this id: a repeated id is spotted with one property read. */
  slot: IdSlot
}

/** The last rank() call that took an id, and the table it belongs to (see `slotOf`). */
interface IdSlot {
  stamp: number
  epoch: number
}

/**
 * Items are re-ranked on every render; building their keys each time would dominate the cost.
 * Two caches: by object (a re-render with the same objects costs one WeakMap read per item), and
 * by id (fresh objects built from the same data are recognised by their fields). Adding an object
 * to the WeakMap costs more than building its keys again, so only entries built from scratch are.
 */
const byObject = new WeakMap<object, Prepared>()
let byId = new Map<string, Prepared>()
let slots = new Map<string, IdSlot>()
let epoch = 0
let calls = 0

/** Distinct ids a page keeps in its tables before it starts new ones. */
const MAX_IDS = 100_000

/**
 * Starts new id tables once they are full; entries made against the old ones take a slot from the
 * new table when next used. Only ever between calls: within one, an id already taken must keep its
 * slot, or its repeat counts again. A single call with more ids fills the tables past the limit
 * until the next.
 */
function startOverWhenFull(): void {
  if (slots.size < MAX_IDS) return
  slots = new Map()
  byId = new Map()
  epoch++
}

/**
 * One slot per distinct id, whichever objects carry it: two items with the same id but different
 * data still share it, so the second is a repeat in every call, not only in the first.
 */
function slotOf(id: string): IdSlot {
  let slot = slots.get(id)
  if (!slot) slots.set(id, (slot = { stamp: 0, epoch }))
  return slot
}

function sameTags(kept: unknown, tags: unknown): boolean {
  if (kept === tags) return true
  if (!Array.isArray(kept) || !Array.isArray(tags) || kept.length !== tags.length) return false
  for (let i = 0; i < tags.length; i++) if (kept[i] !== tags[i]) return false
  return true
}

function matches(entry: Prepared | undefined, item: Item): entry is Prepared {
  return entry !== undefined && entry.facts.id === item.id && entry.category === item.category && entry.brand === item.brand && sameTags(entry.tags, item.tags)
}

/** An item's entry, outside of a rank() call (for explain()). */
export function prepare(where: string, item: Item): Prepared {
  startOverWhenFull()
  return prepareItem(where, item)
}

function prepareItem(where: string, item: Item): Prepared {
  let entry = byObject.get(item)
  if (!matches(entry, item)) {
    const previous = byId.get(itemId(where, item))
    entry = previous
    if (!matches(entry, item)) {
      const facts = itemFacts(where, item)
      // Tags are copied: an array changed in place must not look like the one the keys came from.
      const tags = Array.isArray(item.tags) ? item.tags.slice() : item.tags
      const built: Prepared = { category: item.category, tags, brand: item.brand, facts, keys: keysOf(facts), memo: undefined, slot: slotOf(facts.id) }
      // A product whose data changed replaces its entry; a repeat within this call does not.
      if (!previous || previous.slot.stamp !== calls) byId.set(facts.id, built)
      byObject.set(item, built)
      return built
    }
  }
  if (entry.slot.epoch !== epoch) entry.slot = slotOf(entry.facts.id)
  // Price and popularity are not part of the entry: check them on every call.
  checkNumbers(where, item)
  return entry
}

/** What the ranking needs from a profile, derived once per profile version. */
interface Derived {
  /** Numbers this derivation, for the memos computed against it (see `Memo`). */
  version: number
  /** What each key adds to an item's score: its blended share times its dimension's weight. */
  contribution: Map<string, number>
  /** Listed category interests, numbered: the groups a shelf is calibrated over. */
  groups: Map<string, number>
  /** Each group's score, by number. */
  groupScores: number[]
  /** Keys of the listed interests, for reasons. */
  listed: Set<string>
  /** Categories that are the shopper's usual, for each whole-store root (see `usualCategories`). */
  usual: Map<string | null, Set<string>>
  /** The scores it was derived from: a reason names only a key the shopper's events fed. */
  scores: ReadonlyMap<string, Score>
}

const derivedCache = new WeakMap<ReadonlyMap<string, Score>, { muted: ReadonlySet<string>; listed: readonly Interest[]; derived: Derived }>()
let derivations = 0

function derive(ctx: RankContext): Derived {
  const hit = derivedCache.get(ctx.scores)
  if (hit && hit.muted === ctx.muted && hit.listed === ctx.listed) return hit.derived
  const contribution = new Map<string, number>()
  for (const [key, score] of ctx.scores) {
    if (score.p !== 0 && !isMuted(key, ctx.muted)) contribution.set(key, DIMENSION_WEIGHT[key.slice(0, key.indexOf(':')) as Dimension] * score.p)
  }
  const groups = new Map<string, number>()
  const groupScores: number[] = []
  for (const interest of ctx.listed) {
    if (interest.dimension !== 'category') continue
    groups.set(interest.key, groupScores.length)
    groupScores.push(interest.score)
  }
  const derived = {
    version: ++derivations,
    contribution,
    groups,
    groupScores,
    listed: new Set(ctx.listed.map((interest) => interest.key)),
    usual: new Map(),
    scores: ctx.scores,
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

function interestReason(key: string): Reason {
  return { kind: 'interest', key, text: interestReasonText(key) }
}

const reason = (kind: Reason['kind'], text: string): Reason => Object.freeze({ kind, text }) as Reason
export const DEFAULT_REASON = reason('default', 'Picked by the store')
const POPULAR_REASON = reason('popular', 'Popular with shoppers')
const BOUGHT_REASON = reason('default', 'You bought this recently')
const DISMISSED_REASON = reason('default', 'You hid this')

/**
 * The reason for an item outside of surprise slots: what keeps it down (bought, dismissed), else
 * its popularity when that is what lifted it most, else the listed interest that adds most to its
 * score, else the store's own placement.
 */
export function reasonFor(id: string, keys: readonly string[], ctx: RankContext, prior = 0): Reason {
  const derived = derive(ctx)
  return reasonOf(tierOf(id, ctx), keys, computeMemo(keys, derived, ctx.muted), derived, prior)
}

/** {@link reasonFor} for an item whose tier and memo the ranking already has. */
function reasonOf(tier: Tier, keys: readonly string[], memo: Memo, derived: Derived, prior: number): Reason {
  if (tier === 2) return DISMISSED_REASON
  if (tier === 1) return BOUGHT_REASON
  const placed = prior > 0 ? POPULAR_REASON : DEFAULT_REASON
  if (memo.muted || (prior > 0 && prior >= memo.affinity)) return placed
  // The listed interest that adds most; failing that, any key that adds most (a broader category
  // left out of the list, say "Surf" for a wetsuit when only boards are listed).
  let best: string | undefined
  let most = 0
  let fallback: string | undefined
  let fallbackMost = 0
  for (const key of keys) {
    const c = fedByShopper(derived.scores.get(key)) ? (derived.contribution.get(key) ?? 0) : 0
    if (c > most && derived.listed.has(key)) {
      best = key
      most = c
    }
    if (c > fallbackMost) {
      fallback = key
      fallbackMost = c
    }
  }
  best ??= fallback
  return best ? interestReason(best) : placed
}

/**
 * What an item is to the current profile: cached on the item until the profile changes. It holds
 * the number of the derivation it was computed for, not the derivation: up to `MAX_IDS` entries
 * last ranked against as many profile versions must not keep those versions' maps alive.
 */
interface Memo {
  version: number
  affinity: number
  /** The listed category interest that lifts this item most (its number), or -1. */
  group: number
  /** Whether a muted key touches the item (no lift, and no surprise either). */
  muted: boolean
}

function memoOf(prep: Prepared, derived: Derived, muted: ReadonlySet<string>): Memo {
  const hit = prep.memo
  if (hit && hit.version === derived.version) return hit
  return (prep.memo = computeMemo(prep.keys, derived, muted))
}

function computeMemo(keys: readonly string[], derived: Derived, muted: ReadonlySet<string>): Memo {
  const version = derived.version
  let affinity = 0
  let group = -1
  let best = 0
  for (const key of keys) {
    if (muted.size > 0 && isMuted(key, muted)) return { version, affinity: 0, group: -1, muted: true }
    const c = derived.contribution.get(key) ?? 0
    affinity += c
    if (c > best && derived.groups.has(key)) {
      best = c
      group = derived.groups.get(key)!
    }
  }
  return { version, affinity, group, muted: false }
}

/** Whether an item is outside the shopper's usual categories: a surprise candidate. */
function novel(prep: Prepared, usual: ReadonlySet<string>): boolean {
  if (prep.facts.category === undefined) return false
  for (const key of prep.keys) if (usual.has(key)) return false
  return true
}

/**
 * Adds `i` to `top`, the best at most `k` (k >= 1) so far in order. Most candidates lose to the
 * last of a full list at once; the others find their place in O(log k) comparisons.
 */
function insertBounded(top: number[], i: number, k: number, compare: (a: number, b: number) => number): void {
  if (top.length === k && compare(i, top[k - 1]!) >= 0) return
  let lo = 0
  let hi = top.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(top[mid]!, i) <= 0) lo = mid + 1
    else hi = mid
  }
  top.splice(lo, 0, i)
  if (top.length > k) top.pop()
}

/** The best `k` of `pool` in order, without sorting all of it: O(n log k) comparisons. */
function topK(pool: readonly number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return []
  if (k >= pool.length) return pool.slice().sort(compare)
  const top: number[] = []
  for (const i of pool) insertBounded(top, i, k, compare)
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
function calibrate(
  shelf: number[],
  pool: readonly number[],
  groupOf: (i: number) => number,
  groupScores: readonly number[],
  compare: (a: number, b: number) => number,
): number[] {
  const slots: number[] = []
  shelf.forEach((i, position) => {
    if (groupOf(i) >= 0) slots.push(position)
  })
  const k = slots.length
  if (k < 2) return shelf
  // Each interest's best k members, in one pass.
  const tops: number[][] = groupScores.map(() => [])
  for (const i of pool) {
    const g = groupOf(i)
    if (g >= 0) insertBounded(tops[g]!, i, k, compare)
  }
  const queues = tops.flatMap((members, g) => (members.length ? [{ score: groupScores[g]!, members, taken: 0 }] : []))
  if (queues.length < 2) return shelf
  let total = 0
  for (const q of queues) total += q.score
  const out = shelf.slice()
  slots.forEach((slot, j) => {
    let best: (typeof queues)[number] | undefined
    let bestDeficit = -Infinity
    for (const q of queues) {
      if (q.taken >= q.members.length) continue
      const deficit = (q.score / total) * (j + 1) - q.taken
      if (deficit > bestDeficit + 1e-9 || (Math.abs(deficit - bestDeficit) <= 1e-9 && best && compare(q.members[q.taken]!, best.members[best.taken]!) < 0)) {
        best = q
        bestDeficit = deficit
      }
    }
    out[slot] = best!.members[best!.taken++]!
  })
  return out
}

/** Positions (0-based) of surprise slots: spread evenly, never the first. Share 0.25 → 4th, 8th, 12th… */
function surpriseSlots(length: number, share: number): number[] {
  const slots: number[] = []
  if (share <= 0) return slots
  for (let i = 1; i < length; i++) if (Math.floor((i + 1) * share + 1e-9) > Math.floor(i * share + 1e-9)) slots.push(i)
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
 *
 * Ranking works on indices and typed arrays, and what an item is to the profile is cached on the
 * item: re-ranking the same candidates on a re-render costs a lookup per item.
 */
export function rankItems<T extends Item>(items: readonly T[], ctx: RankContext, settings: RankSettings): Ranked<T>[] {
  startOverWhenFull()
  const derived = derive(ctx)
  const n = items.length
  const preps: Prepared[] = new Array(n)
  const memos: Memo[] = new Array(n)
  const score = new Float64Array(n)
  const prior = new Float64Array(n)
  const tier = new Uint8Array(n)
  const live: number[] = []
  const call = ++calls
  let maxPopularity = 0
  for (let i = 0; i < n; i++) {
    const item = items[i]!
    const prep = prepareItem(`rank(): items[${i}]`, item)
    const id = prep.facts.id
    if (prep.slot.stamp === call) continue
    prep.slot.stamp = call
    live.push(i)
    preps[i] = prep
    const memo = (memos[i] = memoOf(prep, derived, ctx.muted))
    score[i] = memo.affinity
    if (ctx.marks.size > 0) tier[i] = tierOf(id, ctx)
    const popularity = item.popularity
    if (popularity !== undefined && popularity > maxPopularity) maxPopularity = popularity
  }
  if (ctx.evidence > 0 && maxPopularity > 0) {
    const weight = POPULARITY_PRIOR / (POPULARITY_PRIOR + ctx.evidence)
    for (const i of live) {
      prior[i] = (weight * (items[i]!.popularity ?? 0)) / maxPopularity
      score[i]! += prior[i]!
    }
  }
  const compare = (a: number, b: number): number => tier[a]! - tier[b]! || score[b]! - score[a]! || a - b
  // An interest's slot, unless the item is not pushed, or was lifted more by popularity than by interest.
  const groupOf = (i: number): number => (tier[i] === 0 && !(prior[i]! > 0 && prior[i]! >= memos[i]!.affinity) ? memos[i]!.group : -1)

  const length = Math.min(settings.limit, live.length)
  let shelf = calibrate(topK(live, length, compare), live, groupOf, derived.groupScores, compare)

  const slots = derived.groups.size > 0 ? surpriseSlots(length, settings.surprise) : []
  const surprises = new Set<number>()
  if (slots.length > 0) {
    // One surprise per parent category (surf, whatever the board), so the surprises differ from
    // each other too: keep each parent's best draw, then the best parents.
    // The whole store is the top-level category every candidate is under, if there is one.
    let storeRoot: string | null | undefined
    for (const i of live) {
      const first = preps[i]!.keys[0]
      if (preps[i]!.facts.category === undefined || first === undefined) continue
      const root = rootKey(first)
      if (storeRoot === undefined) storeRoot = root
      else if (storeRoot !== root) {
        storeRoot = null
        break
      }
    }
    const whole = storeRoot ?? null
    let usual = derived.usual.get(whole)
    if (!usual) derived.usual.set(whole, (usual = usualCategories(ctx.listed, whole)))
    const byParent = new Map<string, [number, number]>()
    for (const i of live) {
      if (memos[i]!.muted || tier[i] !== 0 || !novel(preps[i]!, usual)) continue
      const value = draw(preps[i]!.facts.id, settings.seed)
      const path = preps[i]!.keys.filter((key) => key.startsWith('category:'))
      const parent = path[Math.max(0, path.length - 2)]!
      const held = byParent.get(parent)
      if (!held || value < held[1] || (value === held[1] && i < held[0])) byParent.set(parent, [i, value])
    }
    const picked = [...byParent.values()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).slice(0, slots.length)
    for (const [i] of picked) surprises.add(i)
  }
  if (surprises.size > 0) {
    const rest = shelf.filter((i) => !surprises.has(i))
    const at = new Set(slots)
    const queue = [...surprises]
    const merged: number[] = []
    for (let position = 0, r = 0; merged.length < length; position++) {
      merged.push(at.has(position) && queue.length > 0 ? queue.shift()! : rest[r++]!)
    }
    shelf = merged
  }

  return shelf.map((i) => ({
    item: items[i]!,
    score: score[i]!,
    reason: surprises.has(i) ? surpriseReason(preps[i]!.keys) : reasonOf(tier[i] as Tier, preps[i]!.keys, memos[i]!, derived, prior[i]!),
  }))
}
