import { dimensionOf, parseKey } from './keys.js'
import type { Dimension, StoredKey } from '../types.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/**
 * The model's tunable constants. The defaults were chosen with `npm run eval` (real grocery baskets)
 * and the scripted shoppers in `scripts/eval/`; see the README's "How interests decay".
 */
export interface Model {
  /** Half-life of each horizon in ms (`Infinity` never decays). Stored values follow this order. */
  halfLives: readonly number[]
  /**
   * Prior strength, in events: how much recent activity a one-day horizon needs before it outweighs
   * the longer one it is shrunk towards. Longer horizons need proportionally more (see `scores`).
   */
  prior: number
}

export const DEFAULT_MODEL: Model = { halfLives: [DAY, 10 * DAY, 365 * DAY], prior: 3 }

/**
 * How a horizon's prior grows with its half-life: `prior · (halfLife / 1 day) ^ SPAN`. A ten-day
 * horizon always holds more events than a one-day one, so it must show proportionally more before
 * it overrides long-term taste; otherwise last week's basket would outweigh a year of shopping.
 */
const SPAN = 1

/**
 * A gap longer than this starts a new run of activity on a key (the `since` of a shift).
 * A week: someone who looks at hiking every weekend is on one run.
 */
const RUN_GAP = 8 * DAY
/**
 * A new event more than this far behind a record's time is taken as a clock that jumped back (tabs
 * flushing a little out of order stay well within it).
 */
const MAX_SKEW = DAY
/** A key whose every horizon has faded below this mass carries no information and is dropped. */
const FADED = 1e-3
/** A key not fed for this long is deleted, whatever its mass: long-term taste, not a permanent record. */
export const EXPIRE = 730 * DAY

/** Lazily decayed state of one key: masses as of `t`. */
export interface KeyState {
  v: number[]
  t: number
  f: number
}

/** Blended affinity of one key, and its long-horizon level (for trends and shifts). */
export interface Score {
  /** Blended share of attention, shrunk from the longest horizon to the shortest. */
  p: number
  /** Share over the longest horizon alone. */
  long: number
}

/** The key under which a dimension's total mass is kept. `#` never starts a real key. */
export function totalKey(dimension: Dimension): string {
  return '#' + dimension
}


/** Decayed count of (positive) events, and their decayed weight: the mean weight makes priors weight-free. */
export const EVENTS = '#events'
export const WEIGHT = '#weight'

/** Every total a profile keeps: one per dimension, and the event count and weight. */
const TOTALS = ['#category', '#tag', '#brand', EVENTS, WEIGHT]

export function isTotalKey(key: string): boolean {
  return key.charCodeAt(0) === 35 /* # */
}

/** 2^(−Δt/h), with no growth for a clock that went backwards. */
function decayFactor(dt: number, halfLife: number): number {
  if (dt <= 0 || halfLife === Infinity) return 1
  return 2 ** (-dt / halfLife)
}

/**
 * The interest profile: per key, one exponentially decayed mass per horizon, updated lazily so an
 * event costs O(keys of the item) and reading costs O(profile) — never replaying history.
 *
 * Blending (`scores`) is a chain of shrinkage estimates: the longest horizon's share is the prior
 * of the next shorter one, `p_h = (v_h + prior · p_{h+1}) / (m_h + prior)`, where `m_h` is the
 * dimension's total mass. A busy day of hiking outweighs months of gym in the short horizon; a
 * single stray view barely moves it; and a profile left alone converges to its long-term shares
 * instead of underflowing into noise.
 */
export class Profile {
  readonly states = new Map<string, KeyState>()
  /** Indices of `halfLives` from the longest to the shortest. */
  private readonly chain: number[]
  /** Bumped on every change; lets readers cache what they derive. */
  version = 0
  private cached: { version: number; now: number; scores: Map<string, Score> } | null = null

  /**
   * How much of an event's weight reaches each horizon. A purchase is durable taste, not current
   * intent: it feeds the longest horizon only. (Measured on real baskets, any short-term effect of
   * purchases costs recall; the views and carts before a purchase already carry the intent.)
   */
  private readonly fullReach: number[]
  private readonly durableReach: number[]

  constructor(readonly model: Model) {
    this.chain = model.halfLives.map((_, i) => i).sort((a, b) => model.halfLives[b]! - model.halfLives[a]!)
    this.fullReach = model.halfLives.map(() => 1)
    this.durableReach = model.halfLives.map((_, i) => (i === this.chain[0] ? 1 : 0))
  }

  /** Builds a profile from stored records, skipping any of the wrong shape. Returns the rejects. */
  load(records: readonly unknown[]): unknown[] {
    const rejects: unknown[] = []
    const n = this.model.halfLives.length
    for (const record of records) {
      if (isStoredKey(record, n)) this.states.set(record.key, { v: [...record.v], t: record.t, f: record.f })
      else rejects.push(record)
    }
    this.touch()
    return rejects
  }

  /** The stored form of one key's state. */
  record(key: string): StoredKey | null {
    const state = this.states.get(key)
    return state ? { key, v: [...state.v], t: state.t, f: state.f } : null
  }

  /** The stored form of every key's state, totals included. */
  records(): StoredKey[] {
    return [...this.states.keys()].map((key) => this.record(key)!)
  }

  touch(): void {
    this.version++
    this.cached = null
  }

  /** Mass of one horizon of a state, brought forward to `now`. */
  valueAt(state: KeyState, i: number, now: number): number {
    return state.v[i]! * decayFactor(now - state.t, this.model.halfLives[i]!)
  }

  /**
   * Adds `weight` at time `at` to each key, and to the total of each dimension the keys touch when
   * the weight is positive (negative feedback lowers keys, not the attention they share).
   */
  add(keys: readonly string[], weight: number, at: number, durable = false): void {
    this.apply(keys, weight, at, true, durable)
  }

  /**
   * Exactly undoes an earlier `add` of the same event, however long ago it was: its contribution
   * has decayed by the same factor as everything else. Keys no longer in the profile are skipped;
   * the dimension totals still give the attention back.
   */
  retract(keys: readonly string[], weight: number, at: number, durable = false): void {
    this.apply(keys, -weight, at, false, durable)
  }

  private apply(keys: readonly string[], weight: number, at: number, live: boolean, durable: boolean): void {
    const reach = durable ? this.durableReach : this.fullReach
    const dims: Dimension[] = []
    for (const key of keys) {
      if (live || this.states.has(key)) this.bump(key, weight, at, live, reach)
      const dim = dimensionOf(key)
      if (!dims.includes(dim)) dims.push(dim)
    }
    // Totals count the attention spent: positive events only, and only their undoing removes it.
    if (live ? weight > 0 : weight < 0) {
      for (const dim of dims) this.bump(totalKey(dim), weight, at, live, reach)
      this.bump(EVENTS, Math.sign(weight), at, live, reach)
      this.bump(WEIGHT, weight, at, live, reach)
    }
    this.touch()
  }

  private bump(key: string, weight: number, at: number, live: boolean, reach: readonly number[]): void {
    const halfLives = this.model.halfLives
    let state = this.states.get(key)
    if (!state) {
      state = { v: halfLives.map(() => 0), t: at, f: at }
      this.states.set(key, state)
    }
    if (live && state.t - at > MAX_SKEW) {
      // The clock went back (or a record came from a clock running ahead). Discounting today's
      // event by the gap would silence the profile until the clock catches up; re-anchor instead.
      state.t = at
    }
    if (at >= state.t) {
      for (let i = 0; i < halfLives.length; i++) {
        state.v[i] = state.v[i]! * decayFactor(at - state.t, halfLives[i]!) + weight * reach[i]!
      }
      if (live && at - state.t > RUN_GAP) state.f = at
      state.t = at
    } else {
      // Behind the record's time: another tab's event, or an old one being retracted. Its
      // contribution as of the record's time is the weight decayed over the gap.
      for (let i = 0; i < halfLives.length; i++) {
        state.v[i] = state.v[i]! + weight * reach[i]! * decayFactor(state.t - at, halfLives[i]!)
      }
      if (live && at < state.f && state.f - at <= RUN_GAP) state.f = at
    }
  }

  /** Removes keys (and returns whether any was there). Totals are kept: the attention was spent. */
  delete(keys: Iterable<string>): boolean {
    let any = false
    for (const key of keys) any = this.states.delete(key) || any
    if (any) this.touch()
    return any
  }

  /** Decayed count of positive events over the longest horizon: how much the profile knows. */
  evidence(now: number): number {
    const events = this.states.get(EVENTS)
    return events ? Math.max(0, this.valueAt(events, this.chain[0]!, now)) : 0
  }

  /**
   * Blended score of every key at `now`. Cached per profile version; the cache is reused for
   * calls within a second of each other, which is far below the shortest half-life's resolution.
   */
  scores(now: number): Map<string, Score> {
    const cached = this.cached
    if (cached && cached.version === this.version && Math.abs(cached.now - now) < 1000) return cached.scores
    const n = this.model.halfLives.length
    const masses = (key: string): number[] | undefined => {
      const state = this.states.get(key)
      return state && this.model.halfLives.map((_, i) => Math.max(0, this.valueAt(state, i, now)))
    }
    const totals = new Map<string, number[]>()
    for (const key of this.states.keys()) if (isTotalKey(key)) totals.set(key.slice(1), masses(key)!)

    // The prior of each horizon, in the profile's own weight units: a shopper who is only ever
    // tracked buying (weight 6) is not six times more fickle than one who is tracked viewing.
    const events = masses(EVENTS)
    const weight = masses(WEIGHT)
    const priors: number[] = []
    for (let i = 0; i < n; i++) {
      const meanWeight = events && weight && events[i]! > 1e-9 ? weight[i]! / events[i]! : 1
      const span = Math.min(this.model.halfLives[i]!, 3650 * DAY) / DAY
      priors.push(this.model.prior * meanWeight * span ** SPAN)
    }

    const [longest, ...shorter] = this.chain as [number, ...number[]]
    const scores = new Map<string, Score>()
    for (const [key, state] of this.states) {
      if (isTotalKey(key)) continue
      const mass = totals.get(dimensionOf(key))
      if (!mass) continue
      const m = mass[longest]!
      const long = m > 0 ? this.valueAt(state, longest, now) / m : 0
      let p = long
      for (const i of shorter) p = (this.valueAt(state, i, now) + priors[i]! * p) / (mass[i]! + priors[i]!)
      scores.set(key, { p: Number.isFinite(p) ? p : 0, long: Number.isFinite(long) ? long : 0 })
    }
    this.cached = { version: this.version, now, scores }
    return scores
  }

  /**
   * Drops faded keys and keys not fed for {@link EXPIRE}, then the weakest beyond `maxKeys` (by
   * absolute blended score, so strong negative feedback is kept as long as strong interest).
   * Returns the dropped keys.
   */
  prune(now: number, maxKeys: number): string[] {
    const scores = this.scores(now)
    const dropped: string[] = []
    const kept: [string, number][] = []
    for (const [key, state] of this.states) {
      if (isTotalKey(key)) continue
      let strongest = 0
      for (let i = 0; i < state.v.length; i++) strongest = Math.max(strongest, Math.abs(this.valueAt(state, i, now)))
      if (strongest < FADED || now - state.t > EXPIRE) dropped.push(key)
      else kept.push([key, Math.abs(scores.get(key)?.p ?? 0)])
    }
    if (kept.length > maxKeys) {
      kept.sort((a, b) => b[1] - a[1])
      for (const [key] of kept.slice(maxKeys)) dropped.push(key)
    }
    this.delete(dropped)
    return dropped
  }
}

/** Whether a stored record has the shape of a key state with `n` horizons. */
export function isStoredKey(record: unknown, n: number): record is StoredKey {
  if (record === null || typeof record !== 'object') return false
  const { key, v, t, f } = record as Partial<StoredKey>
  return (
    typeof key === 'string' &&
    (TOTALS.includes(key) || parseKey(key) !== null) &&
    Array.isArray(v) &&
    v.length === n &&
    v.every(Number.isFinite) &&
    Number.isFinite(t) &&
    Number.isFinite(f)
  )
}
