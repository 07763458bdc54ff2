/**
 * The visit: what "surprise me" holds still for. Surprises must not reshuffle on every render or
 * reload, but should change on the next visit. The seed lives in sessionStorage (gone when the
 * tab closes) and a visit ends after 30 minutes without activity, as analytics tools count them.
 */
export const VISIT_GAP = 30 * 60_000
/** Last-activity time is rewritten at most this often. */
const TOUCH_EVERY = 60_000
/** Most item ids a visit remembers as viewed (the oldest are let go first). */
const VIEWED_IDS = 200

interface Visit {
  seed: number
  at: number
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

/** Where the items viewed in the visit are kept across its page loads. */
export function viewedKey(name: string): string {
  return `palate:${name}:viewed`
}

/** The ids viewed in a visit, and its last activity. */
interface Viewed {
  at: number
  ids: string[]
}

/**
 * Tracks the current visit. `persist()` says whether writing is allowed now (consent granted,
 * storage not in memory); without it the seed lives in this page only.
 */
export function createVisit(name: string, random: () => number, persist: () => boolean) {
  let visit: Visit | null = null
  let viewed: Viewed | null = null
  /** When `viewed` was last written: a page that could not write yet (consent pending) writes at its next event. */
  let viewedSaved = -Infinity

  function readViewed(): Viewed | null {
    try {
      const parsed = JSON.parse(session()?.getItem(viewedKey(name)) ?? 'null') as Partial<Viewed> | null
      const ids = parsed?.ids
      return parsed && Number.isFinite(parsed.at) && Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? { at: parsed.at!, ids: ids.slice(-VIEWED_IDS) } : null
    } catch {
      return null
    }
  }

  function saveViewed(now: number): void {
    if (!viewed || !persist()) return
    viewedSaved = now
    try {
      session()?.setItem(viewedKey(name), JSON.stringify(viewed))
    } catch {
      // Full or refused: this page still counts each view once.
    }
  }

  function read(): Visit | null {
    try {
      const parsed = JSON.parse(session()?.getItem(visitKey(name)) ?? 'null') as Partial<Visit> | null
      return parsed && Number.isInteger(parsed.seed) && Number.isFinite(parsed.at) ? { seed: parsed.seed!, at: parsed.at! } : null
    } catch {
      return null
    }
  }

  function save(): void {
    if (!visit || !persist()) return
    try {
      session()?.setItem(visitKey(name), JSON.stringify(visit))
    } catch {
      // Full or refused: the seed still holds for this page.
    }
  }

  return {
    /** The visit's seed; a new one when the shopper's last activity is more than {@link VISIT_GAP} ago. */
    seed(now: number): number {
      visit ??= read()
      if (!visit || now - visit.at > VISIT_GAP || visit.at - now > VISIT_GAP) {
        const r = random()
        visit = { seed: Math.floor((Number.isFinite(r) && r >= 0 && r < 1 ? r : Math.random()) * 2 ** 32) | 0, at: now }
        save()
      }
      // Ranking is not activity: a page that re-renders on a timer must not keep a visit alive.
      return visit.seed
    },
    /** Activity keeps the visit going. */
    touch(now: number): void {
      if (visit && now - visit.at > TOUCH_EVERY && now - visit.at <= VISIT_GAP) {
        visit.at = now
        save()
      }
      if (viewed && now - viewed.at <= VISIT_GAP && viewed.at - now <= VISIT_GAP) {
        if (now > viewed.at) viewed.at = now
        if (now - viewedSaved > TOUCH_EVERY) saveViewed(now)
      }
    },
    /**
     * Whether `id` was viewed before in this visit; if not, it is now. The visit is the one of the
     * surprise seed: it ends after {@link VISIT_GAP} without activity (any event, a repeat view
     * included; see `touch`).
     * Kept in sessionStorage across the visit's page loads only while `persist()` allows.
     */
    viewedBefore(id: string, now: number): boolean {
      viewed ??= readViewed()
      if (!viewed || now - viewed.at > VISIT_GAP || viewed.at - now > VISIT_GAP) viewed = { at: now, ids: [] }
      // A repeat view is activity too: it keeps the visit going.
      if (now > viewed.at) viewed.at = now
      if (viewed.ids.includes(id)) {
        if (now - viewedSaved > TOUCH_EVERY) saveViewed(now)
        return true
      }
      viewed.ids.push(id)
      if (viewed.ids.length > VIEWED_IDS) viewed.ids.shift()
      saveViewed(now)
      return false
    },
    /** Forgets the visit here and in sessionStorage (opt-out). */
    clear(): void {
      visit = null
      viewed = null
      try {
        session()?.removeItem(visitKey(name))
        session()?.removeItem(viewedKey(name))
      } catch {
        // Nothing to remove where there is no storage.
      }
    },
  }
}
