// How a preferences panel groups the shopper's interests: one group per dimension (categories,
// then brands, then tags), narrower categories under theirs, whole percents that add up to 100.
import { labelOf, type Dimension, type Interest, type Palate } from '@palate/core'

/** One row of a preferences panel: an interest, or a broad category shown for its sections. */
export interface InterestRow {
  /** The interest key, e.g. `'category:hiking'`: what `forget()` and `mute()` take. */
  key: string
  label: string
  /** Share of its list (a group, or the sections of one category) in whole percent; a list's percents add up to 100. */
  percent: number
  /** Strength against the strongest row of its list, in `(0, 1]`: the length of a bar. */
  relative: number
  trend: Interest['trend']
  /** Narrower categories listed under this one, strongest first (categories only). */
  sections: InterestRow[]
}

/** The interests of one dimension, strongest first. */
export interface InterestGroup {
  dimension: Dimension
  /** `'Categories'`, `'Brands'` or `'Tags'`. */
  title: string
  rows: InterestRow[]
}

/** Categories first: what a shopper is into reads before who makes it and what it is like. */
const GROUPS: [Dimension, string][] = [
  ['category', 'Categories'],
  ['brand', 'Brands'],
  ['tag', 'Tags'],
]

interface Entry {
  key: string
  label: string
  score: number
  trend: Interest['trend']
  sections: Entry[]
}

const rootOf = (key: string): string => key.split('/')[0]!

/** Whole percents that add up to exactly 100 (largest remainders get the rounding), plus bar lengths. */
function shareOut(entries: Entry[]): InterestRow[] {
  entries.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))
  const total = entries.reduce((sum, e) => sum + e.score, 0)
  const exact = entries.map((e) => (total > 0 ? (e.score / total) * 100 : 0))
  const percents = exact.map(Math.floor)
  let left = total > 0 ? 100 - percents.reduce((a, b) => a + b, 0) : 0
  for (const i of exact.map((_, i) => i).sort((a, b) => exact[b]! - percents[b]! - (exact[a]! - percents[a]!))) {
    if (left-- <= 0) break
    percents[i]!++
  }
  const top = entries[0]?.score || 1
  return entries.map((e, i) => ({
    key: e.key,
    label: e.label,
    percent: percents[i]!,
    relative: Math.max(0, e.score / top),
    trend: e.trend,
    sections: shareOut(e.sections),
  }))
}

/**
 * The shopper's interests as a preferences panel shows them: one group per dimension (categories,
 * then brands, then tags, empty groups left out), each ordered by strength, with percents that add
 * up to 100 within the group. Narrower categories are listed under their top-level category.
 *
 * Core leaves a broad category out of `interests()` when it says nothing its one section does not,
 * or when it holds nearly all attention (the whole store; muted categories count in that, so
 * muting Gym does not drop Hiking). A shopper's interest must not vanish for that, so such a category is shown
 * again above its listed sections (its strength: theirs, summed), unless every listed category is
 * under it and nothing elsewhere is muted (then it is the whole store, and its sections lead).
 *
 * @example
 * for (const group of groupInterests(palate)) console.log(group.title, group.rows.map((r) => `${r.label} ${r.percent}%`))
 * // Categories ['Hiking 64%', 'Gym 36%']   Brands ['Summit 58%', 'Ironclad 42%']
 */
export function groupInterests(palate: Pick<Palate, 'interests' | 'getSnapshot'>, { limit = 12 }: { limit?: number } = {}): InterestGroup[] {
  const groups: InterestGroup[] = []
  for (const [dimension, title] of GROUPS) {
    const listed = palate.interests({ dimension, limit: limit * 4 })
    const entry = (i: Interest): Entry => ({ key: i.key, label: i.label, score: i.score, trend: i.trend, sections: [] })
    let entries: Entry[]
    if (dimension === 'category') {
      const roots = new Map<string, { own?: Interest; sections: Interest[] }>()
      for (const interest of listed) {
        const root = rootOf(interest.key)
        const node = roots.get(root) ?? { sections: [] }
        roots.set(root, node)
        if (root === interest.key) node.own = interest
        else node.sections.push(interest)
      }
      const muted = palate.getSnapshot().muted
      const wholeStore = roots.size === 1 && !muted.some((key) => key.startsWith('category:') && rootOf(key) !== [...roots.keys()][0])
      entries = []
      for (const [root, { own, sections }] of roots) {
        if (own || !wholeStore) {
          entries.push({
            key: root,
            label: own?.label ?? labelOf(root),
            // A left-out category holds at least what its listed sections hold.
            score: own?.score ?? sections.reduce((sum, s) => sum + s.score, 0),
            trend: own?.trend ?? 'steady',
            sections: sections.map(entry),
          })
        } else entries.push(...sections.map(entry))
      }
    } else entries = listed.map(entry)
    entries.sort((a, b) => b.score - a.score)
    const rows = shareOut(entries.slice(0, limit))
    if (rows.length) groups.push({ dimension, title, rows })
  }
  return groups
}
