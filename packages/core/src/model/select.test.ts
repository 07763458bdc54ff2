// The shelf's selection passes against the plainest way to say what they do (sort everything),
// on generated candidates with many ties, tiers and interests of every size.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calibrate, compareIn, topK, type Order } from './select.js'

/** Candidates: a tier, a score from a few values (ties), and an interest group or none. */
const candidates = fc
  .record({
    groups: fc.integer({ min: 0, max: 6 }),
    rows: fc.array(fc.record({ tier: fc.constantFrom(0, 0, 0, 1, 2), score: fc.constantFrom(0, 0.1, 0.25, 0.5, 0.5, 1), group: fc.integer({ min: -1, max: 5 }), lifted: fc.boolean() }), { maxLength: 150 }),
    limit: fc.integer({ min: 0, max: 30 }),
    groupScores: fc.array(fc.constantFrom(0.05, 0.2, 0.2, 0.5, 1), { minLength: 6, maxLength: 6 }),
  })
  .map(({ groups, rows, limit, groupScores }) => {
    const n = rows.length
    const order: Order = { flags: new Uint8Array(n), score: new Float64Array(n), group: new Int32Array(n) }
    const lifted = rows.map((row) => row.lifted)
    rows.forEach((row, i) => {
      order.flags[i] = row.tier << 1
      order.score[i] = row.score
      // As the ranking sets them: a tiered item is in no group.
      order.group[i] = row.tier === 0 && row.group < groups ? row.group : -1
    })
    // As the ranking's: no group for an item lifted more by popularity than by interest.
    const groupOf = (i: number): number => (lifted[i] ? -1 : order.group[i]!)
    const pool = Int32Array.from(rows.keys())
    return { order, pool, limit, groupOf, groupScores: groupScores.slice(0, groups) }
  })

/** Calibration as it reads: every interest's members sorted in full, then the slots dealt by deficit. */
function calibrateBySorting(shelf: number[], pool: Int32Array, groupOf: (i: number) => number, groupScores: number[], order: Order): number[] {
  const compare = compareIn(order)
  const slots = shelf.flatMap((i, position) => (groupOf(i) >= 0 ? [position] : []))
  if (slots.length < 2) return shelf
  const queues = groupScores
    .map((score, g) => ({ score, members: [...pool].filter((i) => groupOf(i) === g).sort(compare), taken: 0 }))
    .filter((q) => q.members.length > 0)
  if (queues.length < 2) return shelf
  const total = queues.reduce((sum, q) => sum + q.score, 0)
  const out = shelf.slice()
  for (const [j, slot] of slots.entries()) {
    // The interest furthest behind its share so far; between two as far behind, the better next item.
    const behind = (q: (typeof queues)[number]): number => (q.score / total) * (j + 1) - q.taken
    const best = queues
      .filter((q) => q.taken < q.members.length)
      .reduce((a, b) => (behind(b) > behind(a) + 1e-9 || (Math.abs(behind(b) - behind(a)) <= 1e-9 && compare(b.members[b.taken]!, a.members[a.taken]!) < 0) ? b : a))
    out[slot] = best.members[best.taken++]!
  }
  return out
}

/** An order over candidates given as [score, group]: tier 0, no popularity lift. */
function orderOf(rows: [number, number][]): { order: Order; pool: Int32Array; groupOf: (i: number) => number } {
  const order: Order = { flags: new Uint8Array(rows.length), score: Float64Array.from(rows, ([score]) => score), group: Int32Array.from(rows, ([, group]) => group) }
  return { order, pool: Int32Array.from(rows.keys()), groupOf: (i) => order.group[i]! }
}

describe('selection', () => {
  it('calibrate: two interests of equal weight share the slots, a tie going to the better next item', () => {
    // Slots: the first is a tie, won by the better item (0: 1.0 over 2: 0.9); the second goes to
    // the interest behind; the third is a tie again, won by 3 (0.8) over 1 (0.2): two of three
    // slots for the second interest, though ties alone would have given them to the first.
    const { order, pool, groupOf } = orderOf([
      [1, 0],
      [0.2, 0],
      [0.9, 1],
      [0.8, 1],
    ])
    const shelf = topK(pool, 3, order)
    expect(shelf).toEqual([0, 2, 3])
    expect(calibrate(shelf, pool, groupOf, [0.5, 0.5], order)).toEqual([0, 2, 3])
  })

  it('topK is the start of the whole pool sorted', () => {
    fc.assert(
      fc.property(candidates, ({ order, pool, limit }) => {
        expect(topK(pool, limit, order)).toEqual([...pool].sort(compareIn(order)).slice(0, limit))
      }),
      { numRuns: 500 },
    )
  })

  it('calibrate deals the slots as if every interest had been sorted in full', () => {
    fc.assert(
      fc.property(candidates, ({ order, pool, limit, groupOf, groupScores }) => {
        const shelf = topK(pool, limit, order)
        expect(calibrate(shelf, pool, groupOf, groupScores, order)).toEqual(calibrateBySorting(shelf, pool, groupOf, groupScores, order))
      }),
      { numRuns: 1000 },
    )
  })
})
