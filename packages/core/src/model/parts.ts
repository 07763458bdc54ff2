// What one rank() pass reads items into: the parts (a category, tag or brand string and what it
// adds to an item), the quick check of an item, and the per-item buffers a repeated call reuses.
import { keysOfCategory, MAX_LENGTH, MAX_TAGS, normalizeKey } from './keys.js'
import { isMuted } from './interests.js'
import type { Score } from './profile.js'
import type { Interest, Item } from '../types.js'

/** What the ranking needs from a profile, derived once per profile version. */
export interface Derived {
  /** Numbers this derivation, for what the caches computed against it (see `Part`). */
  version: number
  /** What each key adds to an item's score: its blended share times its dimension's weight. */
  contribution: Map<string, number>
  /** Listed category interests, numbered: the groups a shelf is calibrated over. */
  groups: Map<string, number>
  /** Each group's score, by number. */
  groupScores: number[]
  /** Keys of the listed interests, for reasons. */
  listed: Set<string>
  /** Categories that are the shopper's usual, for each whole-store root (see `usualCategories`). */
  usual: Map<string | null, Set<string>>
  /** The scores it was derived from: a reason names only a key the shopper's events fed. */
  scores: ReadonlyMap<string, Score>
  /** Reason texts worded so far (see `ReasonProfile`); only keys the profile lifts are named. */
  texts: Map<string, string>
}

/**
 * What one distinct field value (a category string, a tag, a brand) adds to an item, for the
 * derivation numbered `version`. Catalogs repeat a few hundred such strings over thousands of
 * products, so an item's standing is a handful of lookups and no allocation.
 */
export interface Part {
  /** The keys it feeds: every level of a category, or the one tag or brand key. */
  keys: string[]
  /** The first of them (for a tag or brand, its key). */
  key: string
  version: number
  /** The sum of its keys' contributions, in key order. */
  sum: number
  /** The listed category interest among its keys that lifts most (its number), or -1; and by how much. */
  group: number
  lift: number
  muted: boolean
}

/** Distinct strings of each kind a ranker remembers before it starts over. */
export const MAX_PARTS = 5000

/**
 * A part per raw string, or null for one that normalizes to nothing. The cache is an object
 * without a prototype rather than a `Map`: V8 looks a string property up by the string's own cached
 * hash (catalog strings are looked up over and over), which measured two to three times faster
 * per lookup than `Map.get` on the same strings. Spellings of one key ("Waterproof", "waterproof")
 * share one part, so the same part is the same key: an item's repeated tags are told by identity.
 */
export class Parts {
  private map: Record<string, Part | null> = Object.create(null)
  /** The part of each key, by its last key (the full path of a category). */
  private byKey: Record<string, Part> = Object.create(null)
  private size = 0
  constructor(private readonly build: (raw: string) => string[] | null) {}

  get(raw: string): Part | null {
    let part = this.map[raw]
    if (part === undefined) {
      if (this.size >= MAX_PARTS) this.clear()
      const keys = this.build(raw)
      part = keys ? (this.byKey[keys[keys.length - 1]!] ??= { keys, key: keys[0]!, version: -1, sum: 0, group: -1, lift: 0, muted: false }) : null
      this.map[raw] = part
      this.size++
    }
    return part
  }

  clear(): void {
    this.map = Object.create(null)
    this.byKey = Object.create(null)
    this.size = 0
  }
}

/** Brings a part up to date with a derivation. */
export function refresh(part: Part, derived: Derived, muted: ReadonlySet<string>): void {
  part.version = derived.version
  part.sum = 0
  part.group = -1
  part.lift = 0
  part.muted = false
  for (const key of part.keys) {
    if (muted.size > 0 && isMuted(key, muted)) part.muted = true
    const c = derived.contribution.get(key) ?? 0
    part.sum += c
    const g = derived.groups.get(key)
    if (g !== undefined && c > part.lift) {
      part.lift = c
      part.group = g
    }
  }
}

export const categoryKeysOf = (raw: string): string[] | null => keysOfCategory('rank()', raw)
export const oneKey =
  (dimension: 'tag' | 'brand') =>
  (raw: string): string[] | null => {
    const key = normalizeKey(`${dimension}:${raw}`)
    return key ? [key] : null
  }

export const plainText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_LENGTH
const plainNumber = (value: unknown): boolean => value === undefined || (typeof value === 'number' && value >= 0 && value < Infinity)

/**
 * Whether an item's fields pass the checks of `itemFacts` at a glance: the common case. Anything
 * else goes through `itemFacts` itself, which names what is wrong (or finds nothing wrong after
 * all). The tags themselves are checked one by one as they are read (see `plainText`).
 */
export function plainFields(id: unknown, category: unknown, brand: unknown, tags: unknown, price: unknown, popularity: unknown): boolean {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_LENGTH) return false
  const first = id.charCodeAt(0)
  if (first <= 32 || first >= 127) return false
  if (category != null && !plainText(category)) return false
  if (brand != null && !plainText(brand)) return false
  if (tags != null && !Array.isArray(tags)) return false
  return plainNumber(price) && plainNumber(popularity)
}

/** The listed interests are listed again every second or so: the same list is the same derivation. */
export function sameListed(a: readonly Interest[], b: readonly Interest[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i]!.key !== b[i]!.key || a[i]!.score !== b[i]!.score || a[i]!.dimension !== b[i]!.dimension) return false
  return true
}

/** Per-item standings of one call, in buffers reused by the next (see `Ranker.standings`). */
export interface Standings {
  capacity: number
  items: readonly Item[] | null
  version: number
  score: Float64Array
  prior: Float64Array
  affinity: Float64Array
  group: Int32Array
  /** Bit 0: a muted key touches the item; bits 1-2: its tier. */
  flags: Uint8Array
  /** The first occurrence of each distinct id, in order, `count` of them. */
  live: Int32Array
  count: number
  maxPopularity: number
  /** First index of each id. */
  index: IdTable
  /** Items whose tier is not 0 in the current call. */
  tiered: number[]
  /**
   * What each item was read from, one item after the other in one flat array (see `SEEN`): the
   * item, its id, category, brand, popularity, price, tags array, the number of tags read, then
   * those tags, up to `seenEnd`. A call of the same size writes over it without growing it again.
   */
  seen: unknown[]
  seenEnd: number
  /** Whether `seen` records the call `items` was read in (see `Ranker.rank`). */
  recorded: boolean
}

/** Slots of `Standings.seen` per item before its tags. */
export const SEEN = 8

export function emptyStandings(capacity: number): Standings {
  return {
    capacity,
    items: null,
    version: -1,
    score: new Float64Array(capacity),
    prior: new Float64Array(capacity),
    affinity: new Float64Array(capacity),
    group: new Int32Array(capacity),
    flags: new Uint8Array(capacity),
    live: new Int32Array(capacity),
    count: 0,
    maxPopularity: 0,
    index: new IdTable(),
    tiered: [],
    seen: [],
    seenEnd: 0,
    recorded: false,
  }
}

/** Whether every item is the same object, with the same fields, as in the call `last` was read in. */
export function unchanged(last: Standings, items: readonly Item[]): boolean {
  const { seen, seenEnd } = last
  let p = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    if (p >= seenEnd || item !== seen[p] || item.id !== seen[p + 1] || item.category !== seen[p + 2] || item.brand !== seen[p + 3]) return false
    if (item.popularity !== seen[p + 4] || item.price !== seen[p + 5]) return false
    const tags = item.tags
    if (tags !== seen[p + 6]) return false
    const kept = seen[p + 7] as number
    p += SEEN
    if (tags != null) {
      if (Math.min(tags.length, MAX_TAGS) !== kept) return false
      for (let t = 0; t < kept; t++) if (tags[t] !== seen[p + t]) return false
      p += kept
    }
  }
  return p === seenEnd
}

/**
 * The first index of each id in one call, told once every item is read. Each id's hash is noted as
 * its item is read, and sets a bit in a filter of 32 bits per item: an id whose bit was still clear
 * is the first of its id, which is nearly every id of a catalog. Only the ids whose bits are shared
 * (by a repeat, or by chance: about one id in sixty) are told apart exactly, in a map by hash, and
 * by the id itself where two ids share a hash. Linear whatever the ids are: no probe sequence that
 * chosen ids could lengthen. The buffers are reused between calls.
 */
export class IdTable {
  /** Each item's hash. */
  private hashes = new Int32Array(0)
  /** A bit per hash seen so far in this call (at `hash & mask`). */
  private filter = new Int32Array(0)
  /** The bits that more than one item set: only their items can be repeats. */
  private shared = new Int32Array(0)
  private mask = 0
  /** Items whose bit was already set when they were noted. */
  private clashes: number[] = []
  private items: readonly Item[] = []

  /** Starts a call over `items`: their ids are noted next, then settled. */
  reset(n: number, items: readonly Item[]): void {
    let words = 32
    while (words < n) words *= 2
    if (this.hashes.length < n) this.hashes = new Int32Array(n)
    if (this.filter.length < words) {
      this.filter = new Int32Array(words)
      this.shared = new Int32Array(words)
    } else this.filter.fill(0, 0, words)
    this.mask = 32 * words - 1
    this.clashes.length = 0
    this.items = items
  }

  /** Notes the id of item `i`, checked. */
  note(i: number, id: string): void {
    const h = hash(id)
    this.hashes[i] = h
    const at = h & this.mask
    const bit = 1 << (at & 31)
    if (this.filter[at >>> 5]! & bit) this.clashes.push(i)
    else this.filter[at >>> 5]! |= bit
  }

  /** Once the first `n` items are noted: the first index of each id into `live`, in order; how many. */
  settle(n: number, live: Int32Array): number {
    const { hashes, shared, mask, clashes, items } = this
    if (clashes.length === 0) {
      for (let i = 0; i < n; i++) live[i] = i
      return n
    }
    for (const i of clashes) shared[(hashes[i]! & mask) >>> 5]! |= 1 << (hashes[i]! & 31)
    // By hash (kept to 30 bits, a small integer for the map), then by id where two ids share one.
    const byHash = new Map<number, number>()
    let byId: Map<string, number> | undefined
    let count = 0
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!
      if (shared[(h & mask) >>> 5]! & (1 << (h & 31))) {
        const key = h & 0x3fffffff
        const other = byHash.get(key)
        if (other === undefined) byHash.set(key, i)
        else {
          const id = items[i]!.id
          if (items[other]!.id === id || byId?.has(id)) continue
          ;(byId ??= new Map()).set(id, i)
        }
      }
      live[count++] = i
    }
    for (const i of clashes) shared[(hashes[i]! & mask) >>> 5] = 0
    return count
  }

  /**
   * Calls `found` for each of `ids` found among the first `count` items of `live` (the call settled
   * last), with its index: one pass over their hashes, which a filter of the ids' own hashes turns
   * away at a glance.
   */
  find(ids: Iterable<string>, live: Int32Array, count: number, found: (i: number, id: string) => void): void {
    const { hashes, items } = this
    const wanted = new Map<number, string[]>()
    const filter = new Int32Array(2048)
    for (const id of ids) {
      const h = hash(id)
      filter[(h & 0xffff) >>> 5]! |= 1 << (h & 31)
      const key = h & 0x3fffffff
      const same = wanted.get(key)
      if (same) same.push(id)
      else wanted.set(key, [id])
    }
    for (let j = 0; j < count; j++) {
      const i = live[j]!
      const h = hashes[i]!
      if (!(filter[(h & 0xffff) >>> 5]! & (1 << (h & 31)))) continue
      const same = wanted.get(h & 0x3fffffff)
      if (same) for (const id of same) if (items[i]!.id === id) found(i, id)
    }
  }
}

function hash(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h ^ (h >>> 15)
}
