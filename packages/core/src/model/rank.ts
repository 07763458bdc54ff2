// Re-ranking (pure, no I/O): one pass over the candidates reads each one's standing from the parts
// of its category, tags and brand, then satiation, the popularity prior, calibration and surprise
// slots order the shelf. A Ranker per instance keeps its buffers and parts between calls.
import { DIMENSION_WEIGHT, itemFacts, keysOf, MAX_TAGS, rootKey, type ItemFacts } from './keys.js'
import { categoryKeysOf, emptyStandings, oneKey, Parts, type Part, plainFields, plainText, refresh, sameListed, SEEN, unchanged, type Derived, type Standings } from './parts.js'
import { isMuted, usualCategories } from './interests.js'
import type { Score } from './profile.js'
import { reasonOf, surpriseReason, type Standing, type Tier } from './reasons.js'
import { calibrate, draw, surpriseSlots, topK } from './select.js'
import type { Dimension, Interest, Item, Ranked, Reason, StoredItem } from '../types.js'

export { DEFAULT_REASON } from './reasons.js'

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

/** An item's facts and keys, outside of a rank() call (for explain()). */
export function prepare(where: string, item: Item): { facts: ItemFacts; keys: string[] } {
  const facts = itemFacts(where, item)
  return { facts, keys: keysOf(facts) }
}


function derive(ctx: RankContext, version: number): Derived {
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
  return { version, contribution, groups, groupScores, listed: new Set(ctx.listed.map((interest) => interest.key)), usual: new Map(), scores: ctx.scores, texts: new Map() }
}

/** An item that is not plain at a glance, checked in full: throws naming what is wrong, if anything is. */
const check = (i: number, item: Item): unknown => itemFacts(`rank(): items[${i}]`, item)

function tierOf(id: string, ctx: RankContext): Tier {
  const mark = ctx.marks.get(id)
  if (!mark) return 0
  if (mark.dismissed !== undefined && ctx.now - mark.dismissed < ctx.dismissal) return 2
  if (mark.purchased !== undefined && ctx.now - mark.purchased < ctx.satiation) return 1
  return 0
}


function mark(last: Standings, i: number, tier: Tier): void {
  if (tier === 0) return
  last.flags[i]! |= tier << 1
  last.tiered.push(i)
}

/** Marks change with time and with every purchase or dismissal: read on every call. */
function markTiers(last: Standings, items: readonly Item[], ctx: RankContext): void {
  const { flags, tiered, count } = last
  for (let t = 0; t < tiered.length; t++) flags[tiered[t]!]! &= 1
  tiered.length = 0
  if (ctx.marks.size === 0) return
  if (ctx.marks.size < count) last.index.find(ctx.marks.keys(), last.live, count, (i, id) => mark(last, i, tierOf(id, ctx)))
  else for (let j = 0; j < count; j++) mark(last, last.live[j]!, tierOf(items[last.live[j]!]!.id, ctx))
}

/** Each item's score: its affinity, plus the popularity prior while the profile is thin. */
function scoreWithPrior(last: Standings, items: readonly Item[], pool: Int32Array, evidence: number): void {
  const { score, prior, affinity, count, maxPopularity } = last
  // Indexed loops throughout: iterating a typed array with for…of allocates per element here.
  for (let j = 0; j < count; j++) score[pool[j]!] = affinity[pool[j]!]!
  prior.fill(0, 0, items.length)
  if (evidence <= 0 || maxPopularity <= 0) return
  const weight = POPULARITY_PRIOR / (POPULARITY_PRIOR + evidence)
  for (let j = 0; j < count; j++) {
    const i = pool[j]!
    prior[i] = (weight * (items[i]!.popularity ?? 0)) / maxPopularity
    score[i]! += prior[i]!
  }
}

/** The distinct tag parts of the item at hand, without clearing an array per item (one call at a time). */
const taken: Part[] = new Array<Part>(MAX_TAGS)

/**
 * Items for the surprise slots: one per parent category (surf, whatever the board), so the
 * surprises differ from each other too: each parent's best draw, then the best parents. Only
 * items outside the shopper's usual categories, and not muted or marked, are drawn.
 */
function pickSurprises(items: readonly Item[], last: Standings, pool: Int32Array, categoryOf: (item: Item) => Part | null, derived: Derived, listed: readonly Interest[], seed: number, wanted: number): Set<number> {
  const { flags } = last
  // Read here, not kept by the pass over every item: surprise is off unless the shopper turns it on.
  const cats = Array.from(pool, (i) => categoryOf(items[i]!))
  // The whole store is the top-level category every candidate is under, if there is one.
  let storeRoot: string | null | undefined
  for (let j = 0; j < pool.length; j++) {
    const category = cats[j]
    if (!category) continue
    const root = rootKey(category.keys[0]!)
    if (storeRoot === undefined) storeRoot = root
    else if (storeRoot !== root) {
      storeRoot = null
      break
    }
  }
  const whole = storeRoot ?? null
  let usual = derived.usual.get(whole)
  if (!usual) derived.usual.set(whole, (usual = usualCategories(listed, whole)))
  const byParent = new Map<string, [number, number]>()
  for (let j = 0; j < pool.length; j++) {
    const i = pool[j]!
    const category = cats[j]
    if (!category || flags[i] !== 0 || category.keys.some((key) => usual.has(key))) continue
    const value = draw(items[i]!.id, seed)
    const parent = category.keys[Math.max(0, category.keys.length - 2)]!
    const held = byParent.get(parent)
    if (!held || value < held[1] || (value === held[1] && i < held[0])) byParent.set(parent, [i, value])
  }
  const picked = [...byParent.values()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).slice(0, wanted)
  return new Set(picked.map(([i]) => i))
}

/** The shelf with the surprises in their slots, the rest of it in order around them. */
function placeSurprises(shelf: number[], surprises: Set<number>, slots: number[], length: number): number[] {
  const rest = shelf.filter((i) => !surprises.has(i))
  const at = new Set(slots)
  const queue = [...surprises]
  const merged: number[] = []
  for (let position = 0, r = 0; merged.length < length; position++) {
    merged.push(at.has(position) && queue.length > 0 ? queue.shift()! : rest[r++]!)
  }
  return merged
}

/**
 * Ranking for one instance. What it remembers between calls is bounded: the parts of at most
 * `MAX_PARTS` distinct strings of each kind, and the last derivation; nothing per item id.
 * `close()` lets go of all of it.
 */
export class Ranker {
  private categories = new Parts(categoryKeysOf)
  private tags = new Parts(oneKey('tag'))
  private brands = new Parts(oneKey('brand'))
  private last: { scores: RankContext['scores']; muted: RankContext['muted']; listed: RankContext['listed']; derived: Derived } | null = null
  private derivations = 0
  /** The last call's standings: its buffers, and what tells a repeated call. */
  private scratch: Standings | null = null
  /** The arrays ranked before (held weakly): one ranked again is worth recording (see `rank`). */
  private ranked = new WeakSet<readonly Item[]>()

  private derived(ctx: RankContext): Derived {
    const last = this.last
    if (last && last.scores === ctx.scores && last.muted === ctx.muted && sameListed(last.listed, ctx.listed)) return last.derived
    const derived = derive(ctx, ++this.derivations)
    this.last = { scores: ctx.scores, muted: ctx.muted, listed: ctx.listed, derived }
    return derived
  }

  close(): void {
    this.scratch = null
    this.ranked = new WeakSet()
    this.categories.clear()
    this.tags.clear()
    this.brands.clear()
    this.last = null
  }

  /**
   * Re-ranks candidates: affinity plus a popularity prior while the profile is thin; ties keep the
   * input order, so an empty profile returns the storefront's order unchanged. Recently bought
   * items are not pushed, dismissed ones sink to the bottom; the top of the shelf is calibrated to
   * the mix of interests; with surprise on, evenly spread slots go to items from outside the
   * shopper's usual. A repeated id keeps its first occurrence.
   *
   * One pass over the items reads each one's standing from the parts of its category, tags and
   * brand (typed arrays, no object per item); keys and reasons are built for the shelf only.
   */
  rank<T extends Item>(items: readonly T[], ctx: RankContext, settings: RankSettings): Ranked<T>[] {
    const derived = this.derived(ctx)
    let last = this.scratch
    if (!last || last.items !== items || last.version !== derived.version || !last.recorded || !unchanged(last, items)) {
      // What the items were read from is recorded from an array's second call on: most arrays are
      // ranked once (a page's first render), and a record never compared costs a write per field.
      const again = this.ranked.has(items)
      if (!again) this.ranked.add(items)
      last = this.scratch = this.standings(items, derived, ctx.muted, last, again)
    }
    const { score, prior, affinity, group, flags, count } = last
    const pool = last.live.subarray(0, count)
    markTiers(last, items, ctx)
    scoreWithPrior(last, items, pool, ctx.evidence)
    // An interest's slot, unless the item is not pushed, or was lifted more by popularity than by interest.
    const groupOf = (i: number): number => (flags[i]! >> 1 === 0 && !(prior[i]! > 0 && prior[i]! >= affinity[i]!) ? group[i]! : -1)

    const length = Math.min(settings.limit, count)
    let shelf = calibrate(topK(pool, length, last), pool, groupOf, derived.groupScores, last)
    const slots = derived.groups.size > 0 ? surpriseSlots(length, settings.surprise) : []
    const surprises = slots.length > 0 ? pickSurprises(items, last, pool, (item) => (item.category != null ? this.categories.get(item.category) : null), derived, ctx.listed, settings.seed, slots.length) : new Set<number>()
    if (surprises.size > 0) shelf = placeSurprises(shelf, surprises, slots, length)

    return shelf.map((i) => {
      const keys = this.keysOf(items[i]!)
      const standing: Standing = { affinity: affinity[i]!, muted: (flags[i]! & 1) === 1 }
      const reason: Reason = surprises.has(i) ? surpriseReason(keys) : reasonOf((flags[i]! >> 1) as Tier, keys, standing, derived, prior[i]!)
      return { item: items[i]!, score: score[i]!, reason }
    })
  }

  /**
   * One pass over the items: each one checked, its repeats dropped, its standing read from the
   * parts of its category, tags and brand, and, with `record`, what it was read from kept to tell
   * a repeated call (same array, same objects, same fields) from a new one. Buffers are reused
   * between calls.
   */
  private standings(items: readonly Item[], derived: Derived, muted: ReadonlySet<string>, reuse: Standings | null, record: boolean): Standings {
    const n = items.length
    const last = reuse && reuse.capacity >= n ? reuse : emptyStandings(Math.max(n, 2 * (reuse?.capacity ?? 0)))
    // Not a record of any call until this one is read to the end (an item may throw on the way).
    last.items = null
    const { seen, index, live, flags, affinity, group, prior } = last
    const version = derived.version
    index.reset(n, items)
    let p = 0
    for (let i = 0; i < n; i++) {
      const item = items[i]!
      if (item === null || typeof item !== 'object') check(i, item)
      const { id, category, brand, tags, popularity } = item
      if (!plainFields(id, category, brand, tags, item.price, popularity)) check(i, item)
      const kept = tags != null ? Math.min(tags.length, MAX_TAGS) : 0
      if (record) {
        seen[p] = item
        seen[p + 1] = id
        seen[p + 2] = category
        seen[p + 3] = brand
        seen[p + 4] = popularity
        seen[p + 5] = item.price
        seen[p + 6] = tags
        seen[p + 7] = kept
        for (let t = 0; t < kept; t++) seen[p + SEEN + t] = tags![t]
        p += SEEN + kept
      }
      let k = 0
      let sum = 0
      let off = false
      for (let t = 0; t < kept; t++) {
        const value = tags![t]
        if (!plainText(value)) check(i, item)
        const tag = this.tags.get(value as string)
        if (!tag) continue
        // A tag counts once, however many spellings of it the item has (they share a part).
        let repeat = false
        for (let j = 0; j < k; j++) if (taken[j] === tag) repeat = true
        if (repeat) continue
        taken[k++] = tag
        if (tag.version !== version) refresh(tag, derived, muted)
        sum += tag.sum
        off ||= tag.muted
      }
      index.note(i, id as string)
      let g = -1
      const part = category != null ? this.categories.get(category) : null
      if (part) {
        if (part.version !== version) refresh(part, derived, muted)
        sum += part.sum
        g = part.group
        off ||= part.muted
      }
      const maker = brand != null ? this.brands.get(brand) : null
      if (maker) {
        if (maker.version !== version) refresh(maker, derived, muted)
        sum += maker.sum
        off ||= maker.muted
      }
      flags[i] = off ? 1 : 0
      affinity[i] = off ? 0 : sum
      group[i] = off ? -1 : g
      // (Kept here until the first of each id is known; `scoreWithPrior` fills it anew.)
      prior[i] = popularity! > 0 ? popularity! : 0
    }
    // A repeated id keeps its first occurrence: the rest are not candidates.
    const count = index.settle(n, live)
    let maxPopularity = 0
    for (let j = 0; j < count; j++) maxPopularity = Math.max(maxPopularity, prior[live[j]!]!)
    // Ends the record here, letting go of what a longer call before left after it.
    seen.length = last.seenEnd = p
    last.recorded = record
    last.tiered.length = 0
    last.count = count
    last.maxPopularity = maxPopularity
    last.items = items
    last.version = version
    return last
  }

  /** The keys of an item already checked, in `keysOf` order, from the parts. */
  private keysOf(item: Item): string[] {
    const keys = item.category != null ? (this.categories.get(item.category)?.keys.slice() ?? []) : []
    if (item.tags != null) {
      for (let t = 0; t < item.tags.length && t < MAX_TAGS; t++) {
        const key = this.tags.get(item.tags[t]!)?.keys[0]
        if (key !== undefined && !keys.includes(key)) keys.push(key)
      }
    }
    const brand = item.brand != null ? this.brands.get(item.brand)?.keys[0] : undefined
    if (brand !== undefined) keys.push(brand)
    return keys
  }
}

/** {@link Ranker.rank} with a ranker of its own, for one call. */
export function rankItems<T extends Item>(items: readonly T[], ctx: RankContext, settings: RankSettings, ranker = new Ranker()): Ranked<T>[] {
  return ranker.rank(items, ctx, settings)
}

/** The standing of an item from its keys, as `Ranker.rank` reads it from the parts. */
function standingOf(keys: readonly string[], derived: Derived, muted: ReadonlySet<string>): Standing {
  let affinity = 0
  for (const key of keys) {
    if (muted.size > 0 && isMuted(key, muted)) return { affinity: 0, muted: true }
    affinity += derived.contribution.get(key) ?? 0
  }
  return { affinity, muted: false }
}

/**
 * The reason for an item outside of surprise slots (see `reasonOf`), for explain(): what keeps it
 * down (bought, dismissed), else its popularity when that lifted it most, else its interest.
 */
export function reasonFor(id: string, keys: readonly string[], ctx: RankContext, prior = 0): Reason {
  const derived = derive(ctx, 0)
  return reasonOf(tierOf(id, ctx), keys, standingOf(keys, derived, ctx.muted), derived, prior)
}
