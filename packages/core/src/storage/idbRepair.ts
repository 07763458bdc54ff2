// The half-lives repair: a stored profile computed with other half-lives (a deploy changed them)
// is carried over to the new ones, losing no interest. Rare, so loaded with import() when needed.
import { DAY, isStoredKey } from '../model/profile.js'
import type { StoredKey } from '../types.js'
import { packKeys } from './packing.js'
import { unpackKeys, type Packed } from './packed.js'

/** Stored keys (packed) made with the half-lives `from`, carried over to `to` (see `convertHorizons`); those of another shape go. */
export function repackHorizons(packed: unknown, from: readonly number[], to: readonly number[]): Packed {
  const converted = convertHorizons(unpackKeys(packed, from.length), from, to)
  return packKeys(converted.filter((record): record is StoredKey => isStoredKey(record, to.length)), to.length)
}

/**
 * Stored key records made with the half-lives `from`, carried over to `to`: each new horizon
 * starts from the stored horizon whose half-life is nearest to its own (on a log scale). Records of
 * another shape pass unchanged (loading skips them and says so).
 */
export function convertHorizons(records: readonly unknown[], from: readonly number[], to: readonly number[]): unknown[] {
  if (!from.length) return [...records]
  const log = (h: number): number => Math.log(Math.min(h, 3650 * DAY))
  const nearest = to.map((h) => {
    let best = 0
    from.forEach((g, j) => {
      if (Math.abs(log(g) - log(h)) < Math.abs(log(from[best]!) - log(h))) best = j
    })
    return best
  })
  return records.map((record) => (isStoredKey(record, from.length) ? { ...record, v: nearest.map((j) => record.v[j]!) } : record))
}
