/**
 * The visit: what "surprise me" holds still for, and within which a repeat view of an item counts
 * once. Surprises must not reshuffle on every render or reload, but should change on the next
 * visit; reloading a product page is not a second look. The visit lives in sessionStorage (gone
 * when the tab closes) and ends after 30 minutes without activity, as analytics tools count them.
 */
export const VISIT_GAP = 30 * 60_000
/** Last-activity time is rewritten at most this often. */
const TOUCH_EVERY = 60_000
/** Most item ids a visit remembers as viewed (the oldest are let go first). */
const VIEWED_IDS = 200

interface Visit {
  /** Last activity. */
  at: number
  /** Drawn on the first ranking with surprises. */
  seed?: number | undefined
  /** The items viewed in the visit, oldest first (a Set: a view asks it once per event). */
  ids: Set<string>
  /** Items viewed in the visit whose events are never written (sensitive): in this page only. */
  pageOnly: Set<string>
  /**
   * Walks `ids` from the oldest as they are let go: a Set's iterator stays valid as it changes,
   * and a new one would step over every entry deleted since the Set last compacted.
   */
  oldest?: Iterator<string>
}

function session(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    return null
  }
}

export function visitKey(name: string): string {
  return `palate:${name}:visit`
}

/**
 * Writes the visit `current()` gives, once the calls of this task are over (a microtask: no page
 * goes away in between), so that a burst of views costs one write, not one each. Nothing is
 * written when the visit is gone meanwhile (an opt-out cleared it).
 */
function queuedWrite(name: string, current: () => Visit | null): () => void {
  let queued = false
  return () => {
    if (queued) return
    queued = true
    queueMicrotask(() => {
      queued = false
      const visit = current()
      try {
        if (visit) session()?.setItem(visitKey(name), JSON.stringify({ at: visit.at, seed: visit.seed, ids: [...visit.ids] }))
      } catch {
        // Full or refused: the visit still holds for this page.
      }
    })
  }
}

/**
 * Tracks the current visit. `persist()` says whether writing is allowed now (consent granted, the
 * profile open in IndexedDB); until then the visit lives in this page only, and `persisted()` writes
 * it once it may.
 */
export function createVisit(name: string, random: () => number, persist: () => boolean) {
  let visit: Visit | null = null
  /** When the visit was last written: a page that could not write yet writes it at `persisted()`. */
  let saved = -Infinity

  function read(): Visit | null {
    try {
      const { at, seed, ids } = JSON.parse(session()?.getItem(visitKey(name)) ?? 'null') as Partial<Visit>
      if (!Number.isFinite(at) || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return null
      return { at: at!, seed: Number.isInteger(seed) ? seed : undefined, ids: new Set(ids.slice(-VIEWED_IDS)), pageOnly: new Set() }
    } catch {
      return null
    }
  }

  /** The visit going on at `now`: a new one after {@link VISIT_GAP} without activity (or a clock set back as far). */
  function current(now: number): Visit {
    visit ??= read()
    if (!visit || Math.abs(now - visit.at) > VISIT_GAP) visit = { at: now, ids: new Set(), pageOnly: new Set() }
    return visit
  }

  const write = queuedWrite(name, () => visit)

  /** Writes the visit (see `queuedWrite`); a mere touch at most once per {@link TOUCH_EVERY}. */
  function save(now: number, changed: boolean): void {
    if (!visit || !persist() || (!changed && now - saved <= TOUCH_EVERY)) return
    saved = now
    write()
  }

  return {
    /** The visit's seed. Ranking is not activity: a page that re-renders on a timer must not keep a visit alive. */
    seed(now: number): number {
      const v = current(now)
      if (v.seed === undefined) {
        const r = random()
        v.seed = Math.floor((Number.isFinite(r) && r >= 0 && r < 1 ? r : Math.random()) * 2 ** 32) | 0
        save(now, true)
      }
      return v.seed
    },
    /** Activity keeps the visit going. */
    touch(now: number): void {
      const v = current(now)
      if (now > v.at) v.at = now
      save(now, false)
    },
    /**
     * Whether `id` was viewed before in this visit; if not, it is now. A repeat view is activity
     * too: it keeps the visit going (a `touch` after it would change nothing). The id of a view
     * that is never written (`pageOnly`: a sensitive category) is not written either: ids are
     * often descriptive ("hiv-home-test-kit").
     */
    viewedBefore(id: string, now: number, pageOnly = false): boolean {
      const v = current(now)
      if (now > v.at) v.at = now
      const seen = v.ids.has(id) || v.pageOnly.has(id)
      if (!seen && pageOnly) {
        if (v.pageOnly.add(id).size > VIEWED_IDS) v.pageOnly.delete(v.pageOnly.values().next().value!)
      } else if (!seen && v.ids.add(id).size > VIEWED_IDS) v.ids.delete((v.oldest ??= v.ids.values()).next().value!)
      save(now, !seen && !pageOnly)
      return seen
    },
    /** Writing became allowed (the profile opened): what this page holds of the visit is written. */
    persisted(now: number): void {
      save(now, true)
    },
    /** Forgets the visit here and in sessionStorage (opt-out). */
    clear(): void {
      visit = null
      saved = -Infinity
      try {
        session()?.removeItem(visitKey(name))
      } catch {
        // Nothing to remove where there is no storage.
      }
    },
  }
}
