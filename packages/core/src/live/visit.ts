/**
 * The visit: what "surprise me" holds still for. Surprises must not reshuffle on every render or
 * reload, but should change on the next visit. The seed lives in sessionStorage (gone when the
 * tab closes) and a visit ends after 30 minutes without activity, as analytics tools count them.
 */
export const VISIT_GAP = 30 * 60_000
/** Last-activity time is rewritten at most this often. */
const TOUCH_EVERY = 60_000

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

/**
 * Tracks the current visit. `persist()` says whether writing is allowed now (consent granted,
 * storage not in memory); without it the seed lives in this page only.
 */
export function createVisit(name: string, random: () => number, persist: () => boolean) {
  let visit: Visit | null = null

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
    },
    /** Forgets the visit here and in sessionStorage (opt-out). */
    clear(): void {
      visit = null
      try {
        session()?.removeItem(visitKey(name))
      } catch {
        // Nothing to remove where there is no storage.
      }
    },
  }
}
