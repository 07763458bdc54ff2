// The interest profile: per key, one decayed mass per horizon, updated lazily; how the horizons'
// shares are blended into one score (and the blend learned per shopper); pruning. The visit's part
// in ranking is in visitScores.ts, the special keys and the stored-record check in storedKeys.ts,
// the decay itself in decay.ts.
import { DAY, decayFactor, FOREVER } from './decay.js'
import { dimensionOf } from './keys.js'
import { EVENTS, isStoredKey, isTotalKey, MIX, totalKey, totalOf, WEIGHT } from './storedKeys.js'
import { VISIT_GAP, VISIT_HALF_LIFE, visitScores } from './visitScores.js'
import type { StoredKey } from '../types.js'

export { DAY, FOREVER, HOUR } from './decay.js'
export { EVENTS, isStoredKey, isTotalKey, MIX, totalKey, WEIGHT } from './storedKeys.js'
export { VISIT_GAP } from './visitScores.js'

/**
 * The model's tunable constants. The defaults were chosen with `npm run eval` (real grocery baskets)
 * and the scripted shoppers in `scripts/eval/`; see the README's "How interests decay".
 */
export interface Model {
  /** Half-life of each horizon in ms (`Infinity` never decays). Stored values follow this order. */
  halfLives: readonly number[]
  /**
   * Prior strength, in events: a horizon whose shares rest on fewer (decayed) events than this is
   * pulled halfway towards the next longer one. One stray view is one event, not a new taste.
   */
  prior: number
  /**
   * Whether the events of the current visit are mixed into `rank()` while the visit lasts.
   * Off for the single-horizon baselines of `npm run eval`.
   * @default true
   */
  visit?: boolean
}

export const DEFAULT_MODEL: Model = { halfLives: [DAY, 10 * DAY, FOREVER], prior: 0.5 }

/**
 * The mix of horizons is learned per shopper with exponential weights (Hedge): at the start of each
 * visit, every horizon is scored by the log of the share it gave the visit's first category, and
 * its weight is multiplied by `exp(RATE · score)`. `FLOOR` keeps a horizon that predicted nothing from
 * costing infinitely much, `SHARE` returns a little weight to the prior so that a shopper who
 * changes habits is followed (fixed-share), and the prior favours the middle horizon.
 */
const RATE = 2
const FLOOR = 0.05
const SHARE = 0.02

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
  /**
   * Mass in the current visit, as of `t`; counts only if `t` is within the visit. Always present,
   * `undefined` until the key is fed in a visit, so that every state has the same shape.
   */
  s: number | undefined
}

/** Blended affinity of one key, and its levels over the shortest and the longest horizon. */
export interface Score {
  /** Share of attention: the horizons' shares mixed by the weights learned for this shopper. */
  p: number
  /** Share over the longest horizon alone (long-term taste). */
  long: number
  /** Share over the shortest horizon, held back while it rests on few events (today's attention). */
  short: number
}

/**
 * The interest profile: per key, one exponentially decayed mass per horizon, updated lazily so an
 * event costs O(keys of the item) and reading costs O(profile) — never replaying history.
 *
 * Reading (`scores`) blends *shares*, never absolute masses, and reads them as of the latest event:
 * within one horizon every key fades by the same factor, so with no new event nothing moves — a
 * shopper who leaves for six months comes back to the order they left. Each horizon's shares are
 * pulled towards the next longer horizon while they rest on few events (`prior`), then mixed with
 * weights learned from how well each horizon foretold this shopper's own visits.
 */
export class Profile {
  readonly states = new Map<string, KeyState>()
  /** Indices of `halfLives` from the longest to the shortest. */
  readonly #chain: number[]
  /** Log-weights of the horizons, learned from the shopper's visits. */
  #mix: number[]
  /** Time of the latest event: the profile is read as of then. (Read by visitScores.ts.) */
  last = -Infinity
  /** When the current visit began. (Read by visitScores.ts.) */
  visitStart = -Infinity
  /** Bumped on every change; lets readers cache what they derive. */
  version = 0
  #cached: { version: number; scores: Map<string, Score> } | null = null
  /** What visitScores.ts derived last, for the version it was derived from. */
  visitCache: { version: number; scores: Map<string, Score> } | null = null

  /**
   * How much of an event's weight reaches each horizon. A purchase is durable taste, not current
   * intent: it feeds the longest horizon only. (Measured on real baskets, any short-term effect of
   * purchases costs recall; the views and carts before a purchase already carry the intent.)
   */
  readonly #fullReach: number[]
  readonly #durableReach: number[]

  constructor(readonly model: Model) {
    this.#chain = model.halfLives.map((_, i) => i).sort((a, b) => model.halfLives[b]! - model.halfLives[a]!)
    this.#fullReach = model.halfLives.map(() => 1)
    this.#durableReach = model.halfLives.map((_, i) => (i === this.#chain[0] ? 1 : 0))
    this.#mix = model.halfLives.map(() => 0)
  }

  /** Builds a profile from stored records, skipping any of the wrong shape. Returns the rejects. */
  load(records: readonly unknown[]): unknown[] {
    const rejects: unknown[] = []
    const n = this.model.halfLives.length
    let latest = -Infinity
    let mixed = false
    for (const record of records) {
      if (!isStoredKey(record, n)) rejects.push(record)
      else if (record.key === MIX) {
        this.#mix = [...record.v]
        this.last = record.t
        this.visitStart = record.f
        mixed = true
      } else {
        this.states.set(record.key, { v: record.v.slice(), t: record.t, f: record.f, s: record.s })
        latest = Math.max(latest, record.t)
      }
    }
    // A profile stored before the mix was learned is read as of its latest event.
    if (!mixed) this.last = latest
    this.touch()
    return rejects
  }

  /** The stored form of one key's state. */
  record(key: string): StoredKey | null {
    if (key === MIX) return this.last > -Infinity ? { key, v: [...this.#mix], t: this.last, f: Math.max(this.visitStart, 0) } : null
    const state = this.states.get(key)
    if (!state) return null
    const stored: StoredKey = { key, v: [...state.v], t: state.t, f: state.f }
    if (state.s !== undefined && state.t >= this.visitStart) stored.s = state.s
    return stored
  }

  /** The stored form of every key's state, totals and the learned mix included. */
  records(): StoredKey[] {
    const out = [...this.states.keys()].map((key) => this.record(key)!)
    const mix = this.record(MIX)
    if (mix) out.push(mix)
    return out
  }

  touch(): void {
    this.version++
    this.#cached = null
  }

  /** Mass of one horizon of a state, brought forward to `now`. */
  valueAt(state: KeyState, i: number, now: number): number {
    return state.v[i]! * decayFactor(now - state.t, this.model.halfLives[i]!)
  }

  /**
   * Adds `weight` at time `at` to each key, and to the total of each dimension the keys touch when
   * the weight is positive (negative feedback lowers keys, not the attention they share). The first
   * event of a visit first teaches the mix how well each horizon saw it coming.
   */
  add(keys: readonly string[], weight: number, at: number, durable = false): void {
    // A clock that jumped back: the profile is read as of the new now (see `bump`).
    if (this.last - at > MAX_SKEW) this.last = at
    if (weight > 0 && at - this.last > VISIT_GAP) {
      if (this.last > -Infinity) this.#learn(keys)
      this.visitStart = at
    }
    this.#apply(keys, weight, at, true, durable)
    if (at > this.last) this.last = at
  }

  /**
   * Exactly undoes an earlier `add` of the same event, however long ago it was: its contribution
   * has decayed by the same factor as everything else. Keys no longer in the profile are skipped;
   * the dimension totals still give the attention back. What the mix learned from it stays: the
   * mix holds no interest, only how far ahead this shopper's habits reach.
   */
  retract(keys: readonly string[], weight: number, at: number, durable = false): void {
    this.#apply(keys, -weight, at, false, durable)
  }

  #apply(keys: readonly string[], weight: number, at: number, live: boolean, durable: boolean): void {
    const reach = durable ? this.#durableReach : this.#fullReach
    for (const key of keys) if (live || this.states.has(key)) this.#bump(key, weight, at, live, reach)
    // Totals count the attention spent: positive events only, and only their undoing removes it.
    if (live ? weight > 0 : weight < 0) {
      // Each dimension's total once, in the order the keys first name it.
      const done: string[] = []
      for (const key of keys) {
        const total = totalOf(key)
        if (!done.includes(total)) this.#bump(total, weight, at, live, reach), done.push(total)
      }
      this.#bump(EVENTS, Math.sign(weight), at, live, reach)
      this.#bump(WEIGHT, weight, at, live, reach)
    }
    this.touch()
  }

  #bump(key: string, weight: number, at: number, live: boolean, reach: readonly number[]): void {
    const halfLives = this.model.halfLives
    const n = halfLives.length
    let state = this.states.get(key)
    if (!state) {
      state = { v: Array<number>(n).fill(0), t: at, f: at, s: undefined }
      this.states.set(key, state)
    }
    if (live && state.t - at > MAX_SKEW) {
      // The clock went back (or a record came from a clock running ahead). Discounting today's
      // event by the gap would silence the profile until the clock catches up; re-anchor instead.
      state.t = at
    }
    // A purchase closes an intent rather than showing one: it is not part of the visit's context.
    const inVisit = at >= this.visitStart && reach !== this.#durableReach
    const v = state.v
    if (at >= state.t) {
      const dt = at - state.t
      for (let i = 0; i < n; i++) v[i] = v[i]! * decayFactor(dt, halfLives[i]!) + weight * reach[i]!
      if (inVisit) state.s = (state.t >= this.visitStart ? (state.s ?? 0) * decayFactor(dt, VISIT_HALF_LIFE) : 0) + weight
      if (live && dt > RUN_GAP) state.f = at
      state.t = at
    } else {
      // Behind the record's time: another tab's event, or an old one being retracted. Its
      // contribution as of the record's time is the weight decayed over the gap.
      const dt = state.t - at
      for (let i = 0; i < n; i++) v[i] = v[i]! + weight * reach[i]! * decayFactor(dt, halfLives[i]!)
      if (inVisit && state.t >= this.visitStart) state.s = (state.s ?? 0) + weight * decayFactor(dt, VISIT_HALF_LIFE)
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

  /** Decayed count of positive events over the longest horizon, as of the latest event. */
  evidence(): number {
    const events = this.states.get(EVENTS)
    return events ? Math.max(0, this.valueAt(events, this.#chain[0]!, this.last)) : 0
  }

  /** The learned weight of each horizon (same order as `halfLives`), summing to 1. */
  weights(): number[] {
    const top = Math.max(...this.#mix)
    const w = this.#mix.map((x) => Math.exp(x - top))
    const sum = w.reduce((a, b) => a + b, 0)
    return w.map((x) => x / sum)
  }

  /**
   * Each horizon's share of `key` in its dimension, as of the latest event, longest horizon first,
   * each pulled towards the one before it by how few events it rests on.
   */
  #shares(state: KeyState, totals: readonly number[], events: readonly number[], out: number[]): void {
    let prev = 0
    this.#chain.forEach((i, j) => {
      const mass = totals[i]!
      const share = mass > 0 ? Math.max(0, this.valueAt(state, i, this.last)) / mass : 0
      const n = events[i]!
      prev = j === 0 ? share : (n * share + this.model.prior * prev) / (n + this.model.prior)
      out[i] = prev
    })
  }

  #massesAt(key: string): number[] {
    const state = this.states.get(key)
    return this.model.halfLives.map((_, i) => (state ? Math.max(0, this.valueAt(state, i, this.last)) : 0))
  }

  /** One step of the learned mix: each horizon is scored by the share it gave the keys of this visit's first event. */
  #learn(keys: readonly string[]): void {
    const categories = keys.filter((key) => key.startsWith('category:'))
    const fed = categories.length ? categories : keys
    if (!fed.length || this.evidence() <= 0) return
    const n = this.model.halfLives.length
    if (n < 2) return
    const events = this.#massesAt(EVENTS)
    const gain = new Array<number>(n).fill(0)
    const shares = new Array<number>(n).fill(0)
    for (const key of fed) {
      const state = this.states.get(key)
      const totals = this.#massesAt(totalKey(dimensionOf(key)))
      if (state) this.#shares(state, totals, events, shares)
      else shares.fill(0)
      for (let i = 0; i < n; i++) gain[i]! += Math.log(FLOOR + shares[i]!) / fed.length
    }
    const w = this.weights().map((x, i) => x * Math.exp(RATE * gain[i]!))
    const sum = w.reduce((a, b) => a + b, 0)
    this.#mix = w.map((x) => Math.log((1 - SHARE) * (x / sum) + SHARE / n))
  }

  /**
   * Blended score of every key, as of the latest event: with no new event it never changes,
   * whatever the clock says. Cached per profile version.
   */
  scores(): Map<string, Score> {
    const cached = this.#cached
    if (cached && cached.version === this.version) return cached.scores
    const n = this.model.halfLives.length
    const totals = new Map<string, number[]>()
    for (const key of this.states.keys()) if (isTotalKey(key)) totals.set(key.slice(1), this.#massesAt(key))
    const events = this.#massesAt(EVENTS)
    const w = this.weights()
    const shortest = this.#chain[n - 1]!
    const longest = this.#chain[0]!
    const shares = new Array<number>(n).fill(0)
    const scores = new Map<string, Score>()
    for (const [key, state] of this.states) {
      if (isTotalKey(key)) continue
      const mass = totals.get(dimensionOf(key))
      if (!mass) continue
      this.#shares(state, mass, events, shares)
      // The mix as the long-term share plus each horizon's weighted difference from it: the same
      // sum, but exact when the horizons agree (a purchases-only profile is its long-term shares).
      const base = shares[longest]!
      let p = base
      for (let i = 0; i < n; i++) if (i !== longest) p += w[i]! * (shares[i]! - base)
      // A key pushed below zero by negative feedback keeps its sign: it is ranked down, not listed.
      const raw = this.valueAt(state, longest, this.last)
      if (raw < 0) p = mass[longest]! > 0 ? raw / mass[longest]! : -1
      const finite = (x: number): number => (Number.isFinite(x) ? x : 0)
      scores.set(key, { p: finite(p), long: finite(shares[longest]!), short: finite(shares[shortest]!) })
    }
    this.#cached = { version: this.version, scores }
    return scores
  }

  /** The scores `rank()` uses at `now`: see {@link visitScores}. */
  rankScores(now: number): Map<string, Score> {
    return visitScores(this, now)
  }

  /**
   * Drops faded keys and keys not fed for {@link EXPIRE}, then the weakest beyond `maxKeys` (by
   * absolute blended score, so strong negative feedback is kept as long as strong interest).
   * Returns the dropped keys.
   */
  prune(now: number, maxKeys: number): string[] {
    const scores = this.scores()
    const dropped: string[] = []
    const kept: [string, number][] = []
    for (const [key, state] of this.states) {
      if (isTotalKey(key)) continue
      let strongest = 0
      for (let i = 0; i < state.v.length; i++) strongest = Math.max(strongest, Math.abs(this.valueAt(state, i, this.last)))
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
