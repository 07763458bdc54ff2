// The wording of an interest reason per dimension, and which keys a reason may name (only those
// the shopper's own events fed).
import { dimensionOf, labelOf } from './keys.js'
import type { Score } from './profile.js'

/**
 * The wording of an interest reason, per dimension. Each says only what the shopper did — looked
 * at things — and reads naturally for what the dimension is: a category is a kind of thing, a
 * brand a maker, a tag an attribute (an adjective, mostly).
 *
 * | dimension | key                     | text                                          |
 * | --------- | ----------------------- | --------------------------------------------- |
 * | category  | `category:hiking/boots` | Because you've been looking at Hiking boots   |
 * | brand     | `brand:ironclad`        | More from Ironclad, which you've looked at    |
 * | tag       | `tag:waterproof`        | Waterproof, like things you've looked at      |
 */
export function interestReasonText(key: string): string {
  const label = labelOf(key)
  switch (dimensionOf(key)) {
    case 'brand':
      return `More from ${label}, which you've looked at`
    case 'tag':
      return `${label}, like things you've looked at`
    default:
      return `Because you've been looking at ${label}`
  }
}

/**
 * Whether the shopper's own events fed this key: it has positive mass over the longest horizon,
 * which every positive event reaches. A reason may only name such a key; a key the profile holds
 * no positive mass for (never fed, or pushed down by negative feedback) is never named, whatever
 * a blend or the visit mix makes of it.
 */
export function fedByShopper(score: Score | undefined): boolean {
  return score !== undefined && score.long > 0
}
