// What the parts of one instance share: its checked options, its guarded clock, error reporting,
// timers, the queue that runs store operations one at a time, and the few facts every part reads
// (consent, status, the store in use). The parts themselves are wired in createPalate.ts.
import { nanoid } from 'nanoid'
import { describe } from '../errors.js'
import { DAY, type Model } from '../model/profile.js'
import type { Config } from '../options.js'
import type { Limits, ProfileMeta, Store } from '../storage/store.js'
import type { ConsentState, EventType, Snapshot } from '../types.js'
import type { ConsentMachine } from '../privacy/consent.js'
import type { Announcer } from '../sync/tabSync.js'
import type { LiveProfile } from './liveProfile.js'
import type { Startup } from './startup.js'
import type { Writer } from './writer.js'

/** A timer that does not keep a Node process (server rendering, a replay) alive on its own. */
export function later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(run, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

/**
 * Whether what this page records now is for IndexedDB, open or opening: consent granted, IndexedDB
 * chosen and there. Only then may it be journaled before the profile is open: without IndexedDB,
 * no store would ever fold it in.
 */
export const forIndexedDb = (e: Pick<Engine, 'consent' | 'config'>): boolean =>
  e.consent === 'granted' && e.config.storage === 'indexeddb' && typeof indexedDB !== 'undefined'

/** One instance: its options, shared facts and named parts. */
export interface Engine {
  config: Config
  model: Model
  consent: ConsentState
  status: Snapshot['status']
  /** The store in use; null before it is open, while consent is not granted, and after an opt-out. */
  store: Store | null
  closed: boolean
  /** Set once close() has written what it could: nothing may reopen the store after that. */
  closedForGood: boolean
  /** Bumped when consent flips, so a start overtaken by an opt-out drops what it opened. */
  generation: number
  /** Resolves once the stored profile is read (or the fallback chosen). */
  ready: Promise<void>
  /** Set while the store that replaces a lost connection loads (see startup.ts); resolves once it is in use. */
  recovering: Promise<void> | null
  now(): number
  report(error: unknown): void
  weightOf(type: EventType): number
  limits(): Limits
  newMeta(): ProfileMeta
  /** Runs store operations one at a time: a read-back never interleaves with this tab's own write. */
  serial<T>(task: () => Promise<T>): Promise<T>
  live: LiveProfile
  writer: Writer
  consentMachine: ConsentMachine
  sync: Announcer
  startup: Startup
}

/** The shared facts and helpers; createPalate adds the parts. */
export function createEngine(config: Config): Omit<Engine, 'live' | 'writer' | 'consentMachine' | 'sync' | 'startup' | 'consent' | 'status' | 'ready'> {
  const model: Model = { halfLives: config.halfLives, prior: config.prior, visit: config.visitContext }
  const reported = new Set<string>()
  let lastNow = 0
  let queue: Promise<unknown> = Promise.resolve()

  /** Failures go to `onError`, or are logged once each; they never reach the storefront's code. */
  function report(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error))
    if (config.onError) {
      try {
        config.onError(err)
      } catch {
        // A throwing handler must not break tracking either.
      }
    } else if (!reported.has(err.message)) {
      reported.add(err.message)
      // (Palate's own messages carry the prefix already.)
      console.warn(err.message.startsWith('[palate]') ? err.message : `[palate] ${err.message}`)
    }
  }

  /** The injected clock, guarded: a clock returning garbage must not put NaN into scores. */
  function now(): number {
    const t = config.now()
    if (typeof t === 'number' && Number.isFinite(t)) return (lastNow = t)
    report(new Error(`options.now() returned ${describe(t)}; using the last good time`))
    return lastNow || Date.now()
  }

  const weightOf = (type: EventType): number => config.weights[type]

  return {
    config,
    model,
    store: null,
    closed: false,
    closedForGood: false,
    generation: 0,
    recovering: null,
    now,
    report,
    weightOf,
    limits() {
      const t = now()
      return {
        model,
        weightOf,
        maxKeys: config.maxKeys,
        maxEvents: config.maxEvents,
        cutoff: t - config.retentionDays * DAY,
        satiationCutoff: t - config.satiationDays * DAY,
        now: t,
      }
    },
    newMeta() {
      return { id: nanoid(), createdAt: now(), halfLives: [...model.halfLives] }
    },
    serial<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task)
      queue = run.catch(() => undefined)
      return run
    },
  }
}
