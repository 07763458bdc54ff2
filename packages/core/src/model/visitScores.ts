// The current visit in ranking: how long a visit lasts, how fast what was looked at earlier in it
// fades, and the scores rank() uses while a visit is under way (the profile's, with the visit's
// own shares mixed in by how many events it holds).
import { decayFactor } from './decay.js'
import { dimensionOf } from './keys.js'
import type { Profile, Score } from './profile.js'
import { EVENTS, isTotalKey } from './storedKeys.js'

/** A visit ends after this long without an event, as analytics tools count them. */
export const VISIT_GAP = 30 * 60_000
/** Within a visit, what the shopper looked at a while ago counts for half after this long. */
export const VISIT_HALF_LIFE = 15 * 60_000
/**
 * How many events a visit needs before it counts as much as the whole profile in `rank()`. One
 * view is thin evidence: it lifts its category up the shelf (into the first five among a handful
 * of steady interests) without taking the first places from them; a few views of one thing do.
 */
const VISIT_PRIOR = 8

/**
 * The scores `rank()` uses at `now`: while a visit is under way, what it holds so far is mixed
 * in by how many events it holds — the shopper's intent of the moment, on top of their taste.
 * After the visit, the profile's scores as they are.
 */
export function visitScores(profile: Profile, now: number): Map<string, Score> {
  const base = profile.scores()
  const { last, visitStart, states } = profile
  if (profile.model.visit === false || now - last > VISIT_GAP || now < visitStart) return base
  const cached = profile.visitCache
  if (cached && cached.version === profile.version) return cached.scores
  const visitMass = (key: string): number => {
    const state = states.get(key)
    return state && state.t >= visitStart ? (state.s ?? 0) * decayFactor(last - state.t, VISIT_HALF_LIFE) : 0
  }
  const events = states.get(EVENTS)
  const count = events && events.t >= visitStart ? (events.s ?? 0) : 0
  const alpha = count / (count + VISIT_PRIOR)
  const totals = new Map<string, number>()
  for (const key of states.keys()) if (isTotalKey(key)) totals.set(key.slice(1), visitMass(key))
  const scores = new Map<string, Score>()
  for (const [key, score] of base) {
    const total = totals.get(dimensionOf(key)) ?? 0
    const share = total > 0 ? visitMass(key) / total : 0
    scores.set(key, share === 0 ? score : { ...score, p: (1 - alpha) * score.p + alpha * share })
  }
  profile.visitCache = { version: profile.version, scores }
  return scores
}
