// The in-memory profile of one instance: what the store holds, plus this tab's unwritten and
// never-written events; the shopper's settings; the snapshot (same object until something changes)
// and the notification of subscribers.
import { changeOf, fold, markItem, type Change } from '../model/events.js'
import { findShift, listInterests } from '../model/interests.js'
import { DAY, EVENTS, Profile, type Model, type Score } from '../model/profile.js'
import type { RankContext } from '../model/rank.js'
import { applyChanges, isJournalEntry, isStoredItem } from '../storage/records.js'
import { DEFAULT_SETTINGS, type Loaded, type Settings, type SettingsChange, type Store } from '../storage/store.js'
import type { Interest, Snapshot, StoredItem } from '../types.js'
import type { Engine } from './engine.js'
import type { Feeding } from './feeding.js'
import { loadPart } from './lazy.js'
import { createVisit } from './visit.js'

/** Events kept in memory only (sensitive, or before consent) are bounded like the stored log. */
export const MAX_LOCAL = 200
/** A shift is only named once the long horizon has seen this many events: a newcomer is not shifting. */
const MIN_SHIFT_EVENTS = 10

export interface LiveProfile {
  profile: Profile
  settings: Settings
  muted: Set<string>
  /** Mutes of sensitive categories: this page only, never written. */
  localMuted: Set<string>
  /** Item marks (bought, dismissed), including those of `local` events. */
  items: Map<string, StoredItem>
  /** The marks `local` events left, which must not reach a store. */
  pageMarks: Map<string, StoredItem>
  /** Events that are never written (sensitive, or before consent); replayed whenever the profile is rebuilt. */
  local: Change[]
  /**
   * Settings changed before there was a store to keep them (consent pending), or that a store
   * could neither journal nor write: written once there is, or by the retry.
   */
  unsavedSettings: SettingsChange[]
  /**
   * Changes this page journaled before their turn to be written came (see `changeSettings`): a
   * profile read meanwhile may have read the inbox before them, so they show over it.
   */
  journaledSettings: SettingsChange[]
  visit: ReturnType<typeof createVisit>
  /** What fed each tag and brand, while a category is muted (else null). */
  feeding: Feeding | null
  learnFeeding(store: Store | null): Promise<void>
  changed(): void
  subscribe(listener: () => void): () => void
  unsubscribeAll(): void
  listed(at: number): Interest[]
  context(at: number): RankContext
  snapshot(): Snapshot
  apply(change: Change, pageOnly?: boolean, target?: Profile): void
  keepLocal(change: Change): void
  rebuild(loaded: Loaded): void
  applySettings(stored: Settings): void
  dropFeeding(doomed: ReadonlySet<string>): void
  clear(): void
}

/**
 * The listed interests, read as of the latest event like the scores they come from: an interest is
 * `new` when its run began within a day before the shopper's latest event, so time alone changes
 * no trend either.
 */
function listedNow(profile: Profile, scores: Map<string, Score>, muted: ReadonlySet<string>): Interest[] {
  return listInterests(scores, muted, (key) => profile.states.get(key)?.f, profile.states.get(EVENTS)?.t)
}

/** What the profile holds as an instance starts, and again after an opt-out: nothing. */
function emptyProfile(model: Model): Omit<LiveProfile, 'visit' | keyof Notifier | keyof Readout | keyof Folding> {
  return {
    profile: new Profile(model),
    settings: { ...DEFAULT_SETTINGS, muted: [] },
    muted: new Set<string>(),
    localMuted: new Set<string>(),
    items: new Map<string, StoredItem>(),
    pageMarks: new Map<string, StoredItem>(),
    local: [],
    unsavedSettings: [],
    journaledSettings: [],
    feeding: null,
  }
}

/** The live profile of one instance, put together from its parts below (one job each). */
export function createLiveProfile(e: Engine): LiveProfile {
  const live = {
    ...emptyProfile(e.model),
    // The visit is kept only while the profile itself is: a view remembered before its event was
    // safe in IndexedDB could be lost with the page and then never count.
    visit: createVisit(e.config.name, e.config.random, (): boolean => e.consent === 'granted' && e.status === 'ready'),
  } as LiveProfile
  // Each part reads `live` only when called, by which time it is whole.
  return Object.assign(live, createNotifier(e, () => buildSnapshot(e, live)), createReadout(e, live), createFolding(e, live))
}

type Notifier = Pick<LiveProfile, 'changed' | 'subscribe' | 'unsubscribeAll' | 'snapshot'>

/** Snapshot identity and change notification: one snapshot object until something changes. */
function createNotifier(e: Engine, build: () => Snapshot): Notifier {
  const listeners = new Set<() => void>()
  let snapshot: Snapshot | null = null
  let notifyScheduled = false
  return {
    /** The snapshot is stale; subscribers hear of it once, in a microtask. */
    changed(): void {
      snapshot = null
      if (notifyScheduled || listeners.size === 0) return
      notifyScheduled = true
      queueMicrotask(() => {
        notifyScheduled = false
        for (const listener of [...listeners]) {
          try {
            listener()
          } catch (error) {
            e.report(error)
          }
        }
      })
    },

    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },

    unsubscribeAll(): void {
      listeners.clear()
    },

    snapshot(): Snapshot {
      return (snapshot ??= build())
    },
  }
}

/** The snapshot as of now: status, consent, settings, the first ten interests and the shift. */
function buildSnapshot(e: Engine, live: LiveProfile): Snapshot {
  const at = e.now()
  const all = live.listed(at)
  const { profile } = live
  const mature = profile.evidence() >= MIN_SHIFT_EVENTS
  return {
    status: e.status,
    consent: e.consent,
    surprise: live.settings.surprise,
    muted: [...live.settings.muted],
    interests: all.slice(0, 10),
    shift: mature ? findShift(profile.scores(), live.muted, (key) => profile.states.get(key)?.f ?? at) : null,
  }
}

type Readout = Pick<LiveProfile, 'listed' | 'context'>

/** What the rest reads of the profile: the listed interests, and what ranking and explaining read. */
function createReadout(e: Engine, live: LiveProfile): Readout {
  const { config } = e
  let listedCache: { version: number; muted: Set<string>; feeding: Feeding | null; at: number; listed: Interest[] } | null = null
  /** `scores` without what only muted categories fed (see `Feeding.visible`). */
  const visible = (scores: Map<string, Score>): Map<string, Score> => live.feeding?.visible(scores, live.muted) ?? scores

  return {
    /** The listed interests at `at`, cached for a second per profile version and mutes. */
    listed(at: number): Interest[] {
      const c = listedCache
      if (c && c.version === live.profile.version && c.muted === live.muted && c.feeding === live.feeding && Math.abs(c.at - at) < 1000) return c.listed
      const list = e.consent === 'denied' ? [] : listedNow(live.profile, visible(live.profile.scores()), live.muted)
      listedCache = { version: live.profile.version, muted: live.muted, feeding: live.feeding, at, listed: list }
      return list
    },

    /** What ranking and explaining read. */
    context(at: number): RankContext {
      // Opted out: nothing known and nothing marked, so the store's own order.
      const denied = e.consent === 'denied'
      return {
        scores: denied ? new Map() : visible(live.profile.rankScores(at)),
        evidence: denied ? 0 : live.profile.evidence(),
        muted: live.muted,
        listed: denied ? [] : live.listed(at),
        marks: denied ? new Map() : live.items,
        now: at,
        satiation: config.satiationDays * DAY,
        dismissal: config.retentionDays * DAY,
      }
    },
  }
}

type Folding = Pick<LiveProfile, 'learnFeeding' | 'apply' | 'keepLocal' | 'rebuild' | 'applySettings' | 'dropFeeding' | 'clear'>

/** What changes the profile: events folded in, a store's profile read back, settings, an opt-out. */
function createFolding(e: Engine, live: LiveProfile): Folding {
  let learning = 0
  return {
    /** While a category is muted, learns what fed each tag and brand (see `feeding.ts`). */
    async learnFeeding(store: Store | null): Promise<void> {
      let feeding: Feeding | null = null
      // The latest call wins: an earlier one's read may predate events or mutes the later one saw.
      const call = ++learning
      const gen = e.generation
      if ([...live.muted].some((key) => key.startsWith('category:'))) {
        try {
          feeding = await (await loadPart(e, 'feeding')).readFeeding(e, store)
        } catch {
          // Reported: the muted categories are still left out, their tags and brands are not.
        }
      }
      if (call !== learning || gen !== e.generation) return
      live.feeding = feeding
      live.changed()
    },

    /** Folds one event into `target` (the live profile by default) and its item marks. */
    apply(change: Change, pageOnly = false, target: Profile = live.profile): void {
      fold(target, change)
      live.feeding?.add(change)
      markItem(live.items, change.event)
      if (pageOnly) markItem(live.pageMarks, change.event)
    },

    /** Keeps an event that is never written, bounded. */
    keepLocal(change: Change): void {
      if (live.local.push(change) > MAX_LOCAL) live.local.shift()
    },

    /** Rebuilds the live profile from what a store holds (its keys, plus its journal not yet folded in). */
    rebuild(loaded: Loaded): void {
      const next = new Profile(e.model)
      const rejects = next.load(loaded.keys)
      const goodItems = loaded.items.filter(isStoredItem)
      const journal = loaded.journal.filter(isJournalEntry)
      const bad = rejects.length + loaded.items.length - goodItems.length + loaded.journal.length - journal.length
      if (bad) e.report(new Error(`ignored ${bad} stored record(s) of the wrong shape`))
      live.items = new Map(goodItems.map((item) => [item.id, item]))
      live.pageMarks = new Map()
      for (const { event, weight } of journal) live.apply(changeOf(event, weight), false, next)
      for (const change of e.writer.pending) live.apply(change, false, next)
      for (const change of live.local) live.apply(change, true, next)
      live.profile = next
      // Settings changed before consent, or neither journaled nor written, show at once; `grant`,
      // or the retry (settings.ts), writes them.
      live.applySettings(applyChanges(loaded.settings, [...live.journaledSettings, ...live.unsavedSettings]))
    },

    /** Settings as stored, plus this page's mutes of sensitive categories (never written). */
    applySettings(stored: Settings): void {
      live.settings = { ...stored, muted: [...new Set([...stored.muted, ...live.localMuted])] }
      live.muted = new Set(live.settings.muted)
      live.changed()
    },

    /** Drops this tab's unwritten events that fed forgotten keys, so they cannot bring them back. */
    dropFeeding(doomed: ReadonlySet<string>): void {
      const keep = (change: Change): boolean => !change.keys.some((key) => doomed.has(key))
      e.writer.pending = e.writer.pending.filter(keep)
      live.local = live.local.filter(keep)
    },

    /** Everything this page holds of the profile goes (an opt-out). */
    clear(): void {
      Object.assign(live, emptyProfile(e.model))
      live.visit.clear()
    },
  }
}
