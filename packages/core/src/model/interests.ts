// The listed interests (positive, not muted, above a share of their dimension, strongest first),
// their trends, the usual categories that "surprise me" looks past, and the shift.
import { DIMENSION_WEIGHT, DIMENSIONS, dimensionOf, labelOf, parentKey, rootKey } from './keys.js'
import type { Score } from './profile.js'
import type { Dimension, Interest, Shift } from '../types.js'

/**
 * A category whose single child holds this much of its score says nothing the child does not say
 * more precisely ("Boots" rather than "Outdoors"), and a top-level category holding this much of
 * all attention (muted categories' included) is the whole store ("Sports" in a sports shop): both
 * are left out of the list.
 */
const IMPLIED = 0.9
/**
 * Interests below this share of their dimension are noise: one stray view among a month of steady
 * browsing is about 2%.
 */
export const MIN_SHARE = 0.03
/** An interest whose current run of activity began less than this long ago is `new`. */
const NEW_WITHIN = 24 * 3_600_000
/** Trend thresholds: today's attention (the short horizon) against long-term taste. */
const RISING = 1.25
const FADING = 0.8
const TREND_MARGIN = 0.02

/** Whether `key` is muted directly or through a muted broader category. */
export function isMuted(key: string, muted: ReadonlySet<string>): boolean {
  if (muted.size === 0) return false
  for (let k: string | null = key; k; k = parentKey(k)) if (muted.has(k)) return true
  return false
}

/**
 * Every interest worth showing, strongest first: positive, not muted, above {@link MIN_SHARE}
 * of its dimension, with implied categories left out. `since` gives when the current run of
 * activity on a key began (a profile's `f`), and `now` the time to judge it by: with both, an
 * interest whose run began within the last day is `new`.
 */
export function listInterests(
  scores: ReadonlyMap<string, Score>,
  muted: ReadonlySet<string>,
  since?: (key: string) => number | undefined,
  now?: number,
): Interest[] {
  const candidates = new Map<string, Score>()
  // Whether a top-level category is the whole store is judged against all attention, muted
  // categories included: muting Gym must not make Hiking "the whole store" and drop it.
  let allTopLevel = 0
  for (const [key, score] of scores) {
    if (score.p <= 0) continue
    if (key.startsWith('category:') && !parentKey(key)) allTopLevel += score.p
    if (!isMuted(key, muted)) candidates.set(key, score)
  }

  const children = new Map<string, string[]>()
  const totals = new Map<Dimension, number>()
  for (const [key, score] of candidates) {
    const parent = parentKey(key)
    if (parent) {
      const list = children.get(parent)
      if (list) list.push(key)
      else children.set(parent, [key])
    } else {
      const dimension = dimensionOf(key)
      totals.set(dimension, (totals.get(dimension) ?? 0) + score.p)
    }
  }

  const listed: Interest[] = []
  for (const [key, score] of candidates) {
    const dimension = dimensionOf(key)
    const total = totals.get(dimension) ?? 0
    // Negative feedback on a broad category can leave a narrower one above its total: a share is still a fraction.
    const share = total > 0 ? Math.min(1, score.p / total) : 0
    if (share < MIN_SHARE) continue
    const kids = children.get(key)
    if (kids) {
      if (kids.some((kid) => candidates.get(kid)!.p >= IMPLIED * score.p)) continue
      if (!parentKey(key) && dimension === 'category' && score.p >= IMPLIED * allTopLevel) continue
    }
    listed.push({
      key,
      dimension,
      value: key.slice(dimension.length + 1),
      label: labelOf(key),
      score: score.p,
      share,
      trend: trendOf(score, since && now !== undefined ? now - (since(key) ?? -Infinity) < NEW_WITHIN : false),
    })
  }
  return listed.sort(byScore)
}

/**
 * The categories that make up the shopper's usual, for "surprise me": every listed category
 * interest, and its parent — so hiking packs are not a surprise to someone into hiking boots —
 * unless that parent is the whole store (`storeRoot`: the top-level category every candidate is
 * under, like "sports" in a sports shop). A surprise falls under none of them.
 */
export function usualCategories(listed: readonly Interest[], storeRoot: string | null): Set<string> {
  const usual = new Set<string>()
  for (const interest of listed) {
    if (interest.dimension !== 'category') continue
    usual.add(interest.key)
    const parent = parentKey(interest.key)
    if (parent && parent !== storeRoot) {
      usual.add(parent)
      // A top-level category left out of the list for holding nearly all attention is still the
      // shopper's usual when it is not the whole store.
      const root = rootKey(parent)
      if (root !== storeRoot) usual.add(root)
    }
  }
  return usual
}

/**
 * `new`: today's attention is worth listing while long-term taste holds (next to) none of it, or
 * the shopper's run of activity on it began today; then `rising` / `fading` when the short horizon
 * is well above / below the long one; else `steady`.
 */
export function trendOf({ short, long }: Score, startedToday = false): Interest['trend'] {
  if (startedToday || (short >= MIN_SHARE && long < MIN_SHARE)) return 'new'
  if (short > long * RISING && short - long > TREND_MARGIN) return 'rising'
  if (short < long * FADING && long - short > TREND_MARGIN) return 'fading'
  return 'steady'
}

/**
 * Strongest first, each score weighted as ranking weighs its dimension; ties by dimension
 * (category first), broader first, then by key, so the order never depends on insertion.
 */
function byScore(a: Interest, b: Interest): number {
  return (
    b.score * DIMENSION_WEIGHT[b.dimension] - a.score * DIMENSION_WEIGHT[a.dimension] ||
    DIMENSIONS.indexOf(a.dimension) - DIMENSIONS.indexOf(b.dimension) ||
    a.key.split('/').length - b.key.split('/').length ||
    (a.key < b.key ? -1 : 1)
  )
}

/** Filters and trims a full list the way {@link Palate.interests} options ask. */
export function selectInterests(
  all: readonly Interest[],
  options: { limit?: number | undefined; dimension?: Dimension | undefined } = {},
): Interest[] {
  const limit = options.limit ?? 10
  const out: Interest[] = []
  for (const interest of all) {
    if (out.length >= limit) break
    if (!options.dimension || interest.dimension === options.dimension) out.push(interest)
  }
  return out
}

/**
 * A top-level category that leads now but not over the long horizon, and has overtaken the
 * long-horizon leader: the cue for "new to hiking? start here". Only top-level categories count:
 * moving from gym weights to gym accessories is one interest, not a shift. `runStart` gives when
 * activity on a key began.
 */
export function findShift(
  scores: ReadonlyMap<string, Score>,
  muted: ReadonlySet<string>,
  runStart: (key: string) => number,
): Shift | null {
  let now: [string, Score] | undefined
  let before: [string, Score] | undefined
  let total = 0
  for (const entry of scores) {
    const [key, score] = entry
    if (!key.startsWith('category:') || parentKey(key) || score.p <= 0) continue
    total += score.p
    if (isMuted(key, muted)) continue
    if (!now || score.p > now[1].p) now = entry
    if (!before || score.long > before[1].long) before = entry
  }
  if (!now || !before || now[0] === before[0] || now[1].p < MIN_SHARE * total) return null
  return { from: before[0], to: now[0], since: runStart(now[0]) }
}
