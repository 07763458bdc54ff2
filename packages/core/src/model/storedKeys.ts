// The special keys a profile keeps besides the interests (`#`-prefixed: a dimension's total, the
// event count and weight, the learned mix), and the check a stored key record must pass to be read.
import { dimensionOf, parseKey } from './keys.js'
import type { Dimension, StoredKey } from '../types.js'

/** The key under which a dimension's total mass is kept. `#` never starts a real key. */
export function totalKey(dimension: Dimension): string {
  return '#' + dimension
}

/** Decayed count of (positive) events, and their decayed weight. */
export const EVENTS = '#events'
export const WEIGHT = '#weight'
/**
 * The record holding what the profile learned about this shopper's horizons: `v` the log-weights
 * of the horizons (same order as `halfLives`), `t` the time of the latest event, `f` when the
 * current visit began.
 */
export const MIX = '#mix'

/** Every total a profile keeps: one per dimension, and the event count and weight. */
const TOTALS = ['#category', '#tag', '#brand', EVENTS, WEIGHT]

/** The total key of a key's dimension: the same string each time for the three dimensions. */
export function totalOf(key: string): string {
  return key.startsWith('category:') ? TOTALS[0]! : key.startsWith('tag:') ? TOTALS[1]! : key.startsWith('brand:') ? TOTALS[2]! : totalKey(dimensionOf(key))
}

export function isTotalKey(key: string): boolean {
  return key.charCodeAt(0) === 35 /* # */
}

/** Whether a stored record has the shape of a key state with `n` horizons. */
export function isStoredKey(record: unknown, n: number): record is StoredKey {
  if (record === null || typeof record !== 'object') return false
  const { key, v, t, f, s } = record as Partial<StoredKey>
  return (
    typeof key === 'string' &&
    (TOTALS.includes(key) || key === MIX || parseKey(key) !== null) &&
    Array.isArray(v) &&
    v.length === n &&
    v.every(Number.isFinite) &&
    Number.isFinite(t) &&
    Number.isFinite(f) &&
    (s === undefined || Number.isFinite(s))
  )
}
