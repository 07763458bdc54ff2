/**
 * Selection helpers of the ranking: they work on indices into the candidates, in the order of the
 * shelf (see `Order`; ties broken by index, so every order is total).
 */
export type Compare = (a: number, b: number) => number

/**
 * The order of a shelf over candidate indices: lower tier first, then higher score, then lower
 * index. Kept as typed arrays so that the passes over every candidate read it inline: a call per
 * candidate was most of their cost.
 */
export interface Order {
  /** Bits 1-2 of each: the candidate's tier. */
  flags: Uint8Array
  score: Float64Array
  /** Each candidate's interest group (see `calibrate`), or -1. */
  group: Int32Array
}

export const compareIn =
  ({ flags, score }: Order): Compare =>
  (a, b) =>
    (flags[a]! >> 1) - (flags[b]! >> 1) || score[b]! - score[a]! || a - b

/**
 * Adds `i` to `top`, the best at most `k` (k >= 1) so far in order, in O(log k) comparisons. The
 * callers turn away first, inline, what loses to the last of a full list.
 */
export function insertBounded(top: number[], i: number, k: number, compare: Compare): void {
  let lo = 0
  let hi = top.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(top[mid]!, i) <= 0) lo = mid + 1
    else hi = mid
  }
  if (lo >= k) return
  // Shifted by hand: a splice allocates the array of what it removed, on every insertion.
  let j = top.length
  if (j < k) top.push(i)
  else j = k - 1
  for (; j > lo; j--) top[j] = top[j - 1]!
  top[lo] = i
}

/**
 * The best `k` of `pool` (indices in ascending order) in order, without sorting all of it:
 * O(n log k) comparisons, and once the list is full most candidates are turned away on their tier
 * and score alone (a later index loses a tie).
 */
export function topK(pool: ArrayLike<number>, k: number, order: Order): number[] {
  const compare = compareIn(order)
  if (k <= 0) return []
  if (k >= pool.length) return Array.from(pool).sort(compare)
  const { flags, score } = order
  const top: number[] = []
  let tier = 0
  let least = 0
  for (let j = 0; j < pool.length; j++) {
    const i = pool[j]!
    if (top.length === k) {
      const t = flags[i]! >> 1
      if (t > tier || (t === tier && score[i]! <= least)) continue
    }
    insertBounded(top, i, k, compare)
    if (top.length === k) {
      tier = flags[top[k - 1]!]! >> 1
      least = score[top[k - 1]!]!
    }
  }
  return top
}

/** A 32-bit hash of an id mixed with the visit's seed (FNV-1a, then a murmur-style finalizer). */
export function draw(id: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** An interest's candidates in calibration: the best of them, read as far as `cap`, in order. */
interface Queue {
  group: number
  score: number
  cap: number
  members: number[]
  taken: number
}

/**
 * Calibration: the slots that interest-matched items hold at the top of the shelf are dealt out
 * again across the interests in proportion to their scores (70% hiking, 30% gym → about 7 and 3
 * of 10), each interest's items in their own order. Slots held by other items (popular, neutral)
 * keep their place, so a thin profile's popularity prior is not overridden. `pool` is in ascending
 * order, and the members of any group share a tier.
 */
export function calibrate(shelf: number[], pool: ArrayLike<number>, groupOf: (i: number) => number, groupScores: readonly number[], order: Order): number[] {
  const compare = compareIn(order)
  const slots: number[] = []
  shelf.forEach((i, position) => {
    if (groupOf(i) >= 0) slots.push(position)
  })
  const k = slots.length
  if (k < 2) return shelf
  // Each interest's best members are read as far as its share of the listed scores reaches, plus
  // one (a tie is broken by the members, which can move a slot); one emptied below is read again.
  let listed = 0
  for (const score of groupScores) listed += score
  const queues: Queue[] = groupScores.map((score, group) => ({ group, score, cap: Math.min(k, Math.ceil((k * score) / listed) + 1) || k, members: [], taken: 0 }))
  readMembers(queues, pool, groupOf, order)
  const present = queues.filter((q) => q.members.length > 0)
  if (present.length < 2) return shelf
  let total = 0
  for (const q of present) total += q.score
  const out = shelf.slice()
  slots.forEach((slot, j) => {
    let best: Queue | undefined
    let bestDeficit = -Infinity
    for (const q of present) {
      if (q.taken >= q.members.length) {
        // Every candidate it has is taken, or only every one read so far: then read on.
        if (q.members.length < q.cap) continue
        q.cap = k
        readMembers([q], pool, groupOf, order)
        if (q.taken >= q.members.length) continue
      }
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

/** Reads each queue's best `cap` members, in order, in one pass over `pool`. */
function readMembers(queues: Queue[], pool: ArrayLike<number>, groupOf: (i: number) => number, order: Order): void {
  const compare = compareIn(order)
  const { score, group } = order
  const of: (Queue | undefined)[] = []
  // The score to beat to enter each full list (its last member's): a later index loses a tie,
  // and a group's members share a tier. (`groupOf(i)` is `group[i]` or -1: the cheap read first.)
  const least: number[] = []
  for (const q of queues) {
    q.members = []
    of[q.group] = q
    least[q.group] = -Infinity
  }
  for (let j = 0; j < pool.length; j++) {
    const i = pool[j]!
    const g = group[i]!
    const q = g < 0 ? undefined : of[g]
    if (!q || score[i]! <= least[g]! || groupOf(i) < 0) continue
    insertBounded(q.members, i, q.cap, compare)
    if (q.members.length === q.cap) least[g] = score[q.members[q.cap - 1]!]!
  }
}

/** Positions (0-based) of surprise slots: spread evenly, never the first. Share 0.25 → 4th, 8th, 12th… */
export function surpriseSlots(length: number, share: number): number[] {
  const slots: number[] = []
  if (share <= 0) return slots
  for (let i = 1; i < length; i++) if (Math.floor((i + 1) * share + 1e-9) > Math.floor(i * share + 1e-9)) slots.push(i)
  return slots
}
