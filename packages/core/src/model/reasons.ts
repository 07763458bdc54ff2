// Reasons: the reason constants, and which reason an item gets from its standing with the profile
// (kept down, an interest, popular, the default, a surprise).
import { labelOf } from './keys.js'
import type { Score } from './profile.js'
import { fedByShopper, interestReasonText } from './reasonText.js'
import type { Reason } from '../types.js'

/** 0: rank normally; 1: bought recently, not pushed again; 2: dismissed, at the bottom. */
export type Tier = 0 | 1 | 2

/** What the reason of an item needs to know of its standing with the profile. */
export interface Standing {
  affinity: number
  /** Whether a muted key touches the item (no lift, and no surprise either). */
  muted: boolean
}

/** What the reason needs to know of the profile. */
export interface ReasonProfile {
  /** What each key adds to an item's score. */
  contribution: ReadonlyMap<string, number>
  /** Keys of the listed interests. */
  listed: ReadonlySet<string>
  /** The scores it was derived from: a reason names only a key the shopper's events fed. */
  scores: ReadonlyMap<string, Score>
  /** The text of each key's interest reason once worded, for the next shelf (bounded by its owner). */
  texts: Map<string, string>
}

function interestReason(key: string, texts: Map<string, string>): Reason {
  let text = texts.get(key)
  if (text === undefined) {
    text = interestReasonText(key)
    texts.set(key, text)
  }
  return { kind: 'interest', key, text }
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
export function reasonOf(tier: Tier, keys: readonly string[], standing: Standing, profile: ReasonProfile, prior: number): Reason {
  if (tier === 2) return DISMISSED_REASON
  if (tier === 1) return BOUGHT_REASON
  const placed = prior > 0 ? POPULAR_REASON : DEFAULT_REASON
  if (standing.muted || (prior > 0 && prior >= standing.affinity)) return placed
  // The listed interest that adds most; failing that, any key that adds most (a broader category
  // left out of the list, say "Surf" for a wetsuit when only boards are listed).
  let best: string | undefined
  let most = 0
  let fallback: string | undefined
  let fallbackMost = 0
  for (const key of keys) {
    const c = fedByShopper(profile.scores.get(key)) ? (profile.contribution.get(key) ?? 0) : 0
    if (c > most && profile.listed.has(key)) {
      best = key
      most = c
    }
    if (c > fallbackMost) {
      fallback = key
      fallbackMost = c
    }
  }
  best ??= fallback
  return best ? interestReason(best, profile.texts) : placed
}

/** The reason of an item in a surprise slot: its most specific category, when it has one. */
export function surpriseReason(keys: readonly string[]): Reason {
  let key: string | undefined
  for (const k of keys) if (k.startsWith('category:')) key = k
  return key ? { kind: 'surprise', key, text: `Something different: ${labelOf(key)}` } : { kind: 'surprise', text: 'Something different' }
}
