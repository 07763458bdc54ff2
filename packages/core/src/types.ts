// The public types of @palate/core: events, items, options, interests, reasons, the snapshot and
// the Palate instance.
import type { EVENT_TYPES } from './model/events.js'

/**
 * What the shopper did with an item. Each type carries a weight (see {@link PalateOptions.weights});
 * `dismiss` is negative feedback.
 */
export type EventType = (typeof EVENT_TYPES)[number]

/** The dimensions an item is described by. Interest keys are `dimension:value`. */
export type Dimension = 'category' | 'tag' | 'brand'

/** The shopper's consent to keeping a profile. */
export type ConsentState = 'granted' | 'pending' | 'denied'

/**
 * A product as the storefront already has it. Palate reads the fields below and keeps any others
 * untouched on the objects it hands back from {@link Palate.rank}.
 *
 * @example
 * const boot = { id: 'sku-1', category: 'hiking/boots', tags: ['waterproof'], brand: 'Acme', price: 129 }
 */
export interface Item {
  /** The storefront's stable id for the product. Required, non-empty. */
  id: string
  /** Category path, `/`-separated from broad to narrow, e.g. `'sports/hiking/boots'`. */
  category?: string
  /** Free-form descriptors, e.g. `['waterproof', 'leather']`. Only the first 32 are used. */
  tags?: string[]
  brand?: string
  /** Not used for ranking; validated so that a bad price is caught where it is made. */
  price?: number
  /** Optional prior for a thin profile, any non-negative scale (sales count, rating count, …). */
  popularity?: number
}

/** Options of {@link createPalate}. Every field is optional. */
export interface PalateOptions {
  /**
   * IndexedDB database name; also names the cross-tab channel and the consent marker, so two
   * instances with different names never see each other's profile.
   * @default 'palate'
   */
  name?: string
  /**
   * Where the profile lives. `'indexeddb'` falls back to memory by itself (and says so in
   * `getSnapshot().status`) when IndexedDB is missing or refuses to open.
   * @default 'indexeddb'
   */
  storage?: 'indexeddb' | 'memory'
  /**
   * Consent to assume when the shopper has not chosen yet (nothing stored). Use `'pending'` when
   * your consent banner must be answered first: personalization then works from the current page
   * only and nothing is written.
   * @default 'granted'
   */
  consent?: ConsentState
  /**
   * Treat `navigator.globalPrivacyControl === true` as an opt-out, unless the shopper has made an
   * explicit choice on this site.
   * @default true
   */
  respectGlobalPrivacyControl?: boolean
  /**
   * Category prefixes that are never written anywhere, e.g. `['health', 'adult']`. Events under
   * them personalize the current page only. A prefix matches whole path segments.
   * @default []
   */
  sensitive?: string[]
  /**
   * Weight of each event type. Positive types must be `>= 0`, `dismiss` must be `<= 0`; every
   * weight must be finite and within ±100.
   * @default { view: 1, click: 2, search: 1, wishlist: 3, add_to_cart: 4, purchase: 6, dismiss: -4 }
   */
  weights?: Partial<Record<EventType, number>>
  /**
   * Raw events older than this many days are deleted from the event log. The learned interests
   * themselves are decayed aggregates and fade on their own (see README, "What is stored").
   * @default 90
   */
  retentionDays?: number
  /**
   * Share of ranked slots given to surprises when surprise is on, in `[0, 1]`.
   * @default 0.25
   */
  surpriseShare?: number
  /**
   * Days during which a purchased item is not pushed again (its category still counts).
   * @default 30
   */
  satiationDays?: number
  /**
   * Half-lives of the decay horizons, in milliseconds, each `> 0` (`Infinity` or
   * `Number.MAX_VALUE` never decays).
   * Advanced: the defaults were chosen by `npm run eval`; change them only with a measurement.
   * @default [1 day, 10 days, never (Number.MAX_VALUE)]
   */
  halfLives?: number[]
  /**
   * Prior strength, in events: a horizon whose shares rest on fewer (decayed) events than this is
   * pulled halfway towards the next longer one, so one stray view is not a new taste. Advanced,
   * like `halfLives`.
   * @default 0.5
   */
  prior?: number
  /**
   * Whether `rank()` mixes in what the current visit holds (its events since the last 30 minutes
   * without one) while it lasts. Advanced: `npm run eval` turns it off for its single-horizon
   * baselines.
   * @default true
   */
  visitContext?: boolean
  /**
   * Most interest keys stored; beyond it the weakest are pruned, down to 90% of it.
   * @default 500
   */
  maxKeys?: number
  /**
   * Most raw events kept in the log; the oldest are deleted beyond it. The log is what `forget`
   * retracts and `export` shows; the interests themselves do not need it.
   * @default 500
   */
  maxEvents?: number
  /**
   * Clock in milliseconds since the epoch. Tests and replays inject one.
   * @default Date.now
   */
  now?: () => number
  /**
   * Random number generator in `[0, 1)`. Tests inject a seeded one.
   * @default Math.random
   */
  random?: () => number
  /**
   * Receives storage and internal failures. Palate never throws them at the storefront; without a
   * handler each distinct failure is logged once with `console.warn`.
   */
  onError?: (error: Error) => void
}

/** One learned interest, as listed by {@link Palate.interests}. */
export interface Interest {
  /** `dimension:value`, e.g. `'category:hiking/boots'`. */
  key: string
  dimension: Dimension
  /** The value part of the key, normalized (lower case, trimmed). */
  value: string
  /** Human label for the value, e.g. `'Boots'`. */
  label: string
  /** Blended affinity: the estimated share of the shopper's current attention in this dimension. */
  score: number
  /** `score` as a fraction of the listed dimension's total, in `[0, 1]`. */
  share: number
  /**
   * Today's attention (the shortest horizon) against long-term taste (the longest):
   * - `new`: the shopper started on it on their latest day of activity (their current run of
   *   activity on it began less than a day before their latest event: a first ever interest, or
   *   one come back to after more than a week), or it holds at least 3% of today's attention and
   *   under 3% of the long-term. Like every trend it is read as of the latest event: time alone
   *   changes none;
   * - `rising`: well above its long-term level (by a quarter, and two points of share);
   * - `fading`: well below it (by a fifth, and two points);
   * - `steady`: neither.
   *
   * A same-day rise shows at once: the shortest horizon has a half-life of a day.
   */
  trend: 'new' | 'rising' | 'steady' | 'fading'
}

/** Why an item was placed where it was. */
export interface Reason {
  kind: 'interest' | 'surprise' | 'popular' | 'default'
  /** The interest key behind the reason, when there is one. */
  key?: string
  /** A sentence for the shopper, e.g. "Because you've been looking at Hiking". */
  text: string
}

/** One entry of {@link Palate.rank}'s result. */
export interface Ranked<T> {
  item: T
  /** The item's score; higher ranks first. 0 for items the profile says nothing about. */
  score: number
  reason: Reason
}

/** A short-horizon leader that has displaced the long-horizon one: "new to hiking? start here". */
export interface Shift {
  /** The key that led over the long horizon, e.g. `'category:gym'`. */
  from: string
  /** The key that leads now, e.g. `'category:hiking'`. */
  to: string
  /** When the shopper's current run of interest in `to` started (ms since the epoch). */
  since: number
}

/** What a storefront renders from. Keeps its identity until something changes. */
export interface Snapshot {
  /**
   * `loading` until the stored profile is read; `ready` with IndexedDB; `memory` when the profile
   * lives in memory only (chosen, or IndexedDB unusable); `opted-out` when consent is denied.
   */
  status: 'loading' | 'ready' | 'memory' | 'opted-out'
  consent: ConsentState
  /** The shopper's "surprise me" setting. */
  surprise: boolean
  /** Keys the shopper muted (see {@link Palate.mute}), for a preferences panel to list. */
  muted: string[]
  /** The top interests across dimensions (up to 10). */
  interests: Interest[]
  shift: Shift | null
}

/** Options of {@link Palate.interests}. */
export interface InterestsOptions {
  /** @default 10 */
  limit?: number
  /** Only this dimension. */
  dimension?: Dimension
}

/** Options of {@link Palate.rank}. */
export interface RankOptions {
  /** Return at most this many items. @default all */
  limit?: number
  /**
   * `true` or `false` overrides the shopper's setting for this call; a number in `[0, 1]` turns
   * surprise on with that share of slots.
   * @default the shopper's setting
   */
  surprise?: boolean | number
}

/** One stored interest with its raw horizon values, as in {@link ProfileExport}. */
export interface StoredKey {
  key: string
  /** Decayed mass per horizon (same order as `halfLives`), as of `t`. */
  v: number[]
  /** When `v` was last brought up to date (ms since the epoch). */
  t: number
  /** When the current run of activity on this key began (ms since the epoch). */
  f: number
  /** Mass of the key in the current visit, as of `t` (present only for keys the visit touched). */
  s?: number
}

/** One raw event of the log, as in {@link ProfileExport}. */
export interface StoredEvent {
  id?: number
  t: number
  type: EventType
  item: { id: string; category?: string; tags?: string[]; brand?: string }
}

/** Per-item state: when it was bought or dismissed. */
export interface StoredItem {
  id: string
  purchased?: number
  dismissed?: number
}

/** Everything Palate has stored for this profile, JSON-serialisable. */
export interface ProfileExport {
  format: 'palate-profile'
  schemaVersion: number
  profileId: string | null
  createdAt: number | null
  exportedAt: number
  /** The consent state; an explicit choice is stored as a marker in localStorage. */
  consent: ConsentState
  halfLives: number[]
  settings: { surprise: boolean; muted: string[] }
  keys: StoredKey[]
  events: StoredEvent[]
  items: StoredItem[]
  /**
   * Keys forgotten in the last ten minutes, and when: kept so that an event another open tab
   * tracked before the forget cannot bring them back. Empty almost always.
   */
  forgotten: { key: string; at: number }[]
}

/** A personalization instance. Create one per page with {@link createPalate}. */
export interface Palate {
  /** Resolves once the stored profile is loaded, or the memory fallback chosen. Never rejects. */
  readonly ready: Promise<void>
  /**
   * Records what the shopper did. Synchronous and cheap; persisted in batches. A `view` of an item
   * already viewed in this visit (which ends after 30 minutes without activity) counts once.
   * @throws TypeError for an unknown event type or a malformed item (nothing is recorded).
   */
  track(type: EventType, item: Item): void
  /** The learned interests, strongest first. */
  interests(options?: InterestsOptions): Interest[]
  /**
   * Re-ranks candidates the storefront already has. Never fetches; ties keep the input order.
   * @throws TypeError when `items` is not an array or an item has no id; duplicate ids keep their first occurrence.
   */
  rank<T extends Item>(items: readonly T[], options?: RankOptions): Ranked<T>[]
  /**
   * Why the profile would place this item: the reason {@link rank} gives it, except what depends
   * on the other candidates (its popularity relative to theirs, a surprise slot).
   */
  explain(item: Item): Reason
  /** Persists the shopper's "surprise me" choice. */
  setSurprise(on: boolean): Promise<void>
  consent(): ConsentState
  setConsent(state: 'granted' | 'denied'): Promise<void>
  /** Consent denied, and every stored byte of the profile deleted, in every open tab. */
  optOut(): Promise<void>
  /** Consent granted again; learning starts from an empty profile. */
  optIn(): Promise<void>
  /** Deletes one interest, its narrower keys and the logged events that fed it. */
  forget(key: string): Promise<void>
  /** Keeps a key out of ranking and interests until {@link unmute}. */
  mute(key: string): Promise<void>
  unmute(key: string): Promise<void>
  /** Everything stored, JSON-serialisable. */
  export(): Promise<ProfileExport>
  /**
   * Replaces the stored profile with one from {@link export} (the shopper moving browsers).
   * Validated in full first: a bad file rejects with a TypeError naming the bad part and changes
   * nothing. Sensitive categories are left out; times more than a day later than the page's
   * clock are read as now; needs consent granted.
   */
  import(data: ProfileExport): Promise<void>
  /** Calls `listener` after any change to the snapshot. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current {@link Snapshot}; the same object until something changes. */
  getSnapshot(): Snapshot
  /** Writes pending changes now. Never rejects (failures go to `onError`). */
  flush(): Promise<void>
  /**
   * Flushes what it can, releases IndexedDB and listeners. Afterwards `track()` records nothing,
   * a second `close()` does nothing, and the calls that change or read the stored profile reject
   * with an Error naming the call; `optOut()` still deletes everything.
   */
  close(): void
}
