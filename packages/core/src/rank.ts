import { DIMENSION_WEIGHT, itemFacts, keysOf, labelOf, type ItemFacts } from './keys.js'
import { isMuted } from './interests.js'
import type { Score } from './profile.js'
import type { Dimension, Interest, Item, Ranked, Reason } from './types.js'

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

/** What each key adds to an item's score: its blended share times its dimension's weight; muted keys add nothing. */
const contributionCache = new WeakMap<ReadonlyMap<string, Score>, { muted: ReadonlySet<string>; map: Map<string, number> }>()

function contributions(ctx: RankContext): Map<string, number> {
  const hit = contributionCache.get(ctx.scores)
  if (hit && hit.muted === ctx.muted) return hit.map
  const map = new Map<string, number>()
  for (const [key, score] of ctx.scores) {
    if (score.p !== 0 && !isMuted(key, ctx.muted)) map.set(key, DIMENSION_WEIGHT[key.slice(0, key.indexOf(':')) as Dimension] * score.p)
  }
  contributionCache.set(ctx.scores, { muted: ctx.muted, map })
  return map
}

/**
 * The item's affinity: the sum of its keys' contributions. An item touching a muted key gets no
 * lift at all — a shopper who mutes Hiking does not want hiking boots pushed through their brand.
 */
function affinityOf(keys: readonly string[], contribution: Map<string, number>, muted: ReadonlySet<string>): number {
  let score = 0
  for (let i = 0; i < keys.length; i++) {
    if (muted.size > 0 && isMuted(keys[i]!, muted)) return 0
    score += contribution.get(keys[i]!) ?? 0
  }
  return score
}

export function interestReason(key: string): Reason {
  return { kind: 'interest', key, text: `Because you've been looking at ${labelOf(key)}` }
}

export const DEFAULT_REASON: Reason = Object.freeze({ kind: 'default', text: 'Picked by the store' }) as Reason
export const POPULAR_REASON: Reason = Object.freeze({ kind: 'popular', text: 'Popular with shoppers' }) as Reason

/**
 * The reason for an item outside of surprise slots: its popularity when that is what lifted it
 * most, else the listed interest that adds most to its score, else the store's own placement.
 */
export function reasonFor(keys: readonly string[], ctx: RankContext, prior = 0): Reason {
  const contribution = contributions(ctx)
  let best: string | undefined
  let most = 0
  let affinity = 0
  for (const key of keys) {
    if (ctx.muted.size > 0 && isMuted(key, ctx.muted)) return prior > 0 ? POPULAR_REASON : DEFAULT_REASON
    const c = contribution.get(key) ?? 0
    affinity += c
    if (c > most && ctx.listed.some((interest) => interest.key === key)) {
      best = key
      most = c
    }
  }
  if (prior > 0 && prior >= affinity) return POPULAR_REASON
  if (best) return interestReason(best)
  return prior > 0 ? POPULAR_REASON : DEFAULT_REASON
}

interface Entry<T> {
  item: T
  score: number
  prior: number
  index: number
  keys: string[]
}

/** Higher score first; ties keep the storefront's order. */
function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.score > b.score || (a.score === b.score && a.index < b.index)
}

/** The best `k` entries in order, without sorting all of them: O(n log k) compares. */
function topK<T>(entries: Entry<T>[], k: number): Entry<T>[] {
  if (k <= 0) return []
  if (k >= entries.length) return entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  const top: Entry<T>[] = []
  for (const entry of entries) {
    if (top.length === k && !before(entry, top[k - 1]!)) continue
    let lo = 0
    let hi = top.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (before(top[mid]!, entry)) lo = mid + 1
      else hi = mid
    }
    top.splice(lo, 0, entry)
    if (top.length > k) top.pop()
  }
  return top
}

/**
 * Re-ranks candidates by affinity, plus a popularity prior while the profile is thin. Ties keep the
 * input order, so an empty profile returns the storefront's order unchanged. A repeated id keeps
 * its first occurrence.
 */
export function rankItems<T extends Item>(items: readonly T[], ctx: RankContext, limit: number): Ranked<T>[] {
  const contribution = contributions(ctx)
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
    entries.push({ item, score: affinityOf(keys, contribution, ctx.muted), prior: 0, index, keys })
  }
  if (ctx.evidence > 0 && maxPopularity > 0) {
    const weight = POPULARITY_PRIOR / (POPULARITY_PRIOR + ctx.evidence)
    for (const entry of entries) {
      entry.prior = (weight * (entry.item.popularity ?? 0)) / maxPopularity
      entry.score += entry.prior
    }
  }
  return topK(entries, limit).map(({ item, score, prior, keys }) => ({
    item,
    score,
    reason: reasonFor(keys, ctx, prior),
  }))
}
