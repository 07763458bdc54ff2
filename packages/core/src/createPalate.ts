// The facade: checks the options, builds the parts of one instance (live profile, write path,
// start-up, consent, tab sync, page lifecycle), and exposes the public API, checking every
// argument. What each part owns is said at the top of its module; what is rarely run (forget,
// export and import) is in lazy parts, loaded on first use (lazy.ts).
import { checkLimit, checkOptions, describe, invalid } from './errors.js'
import { createEngine, type Engine } from './live/engine.js'
import { attachLifecycle } from './live/lifecycle.js'
import { createLiveProfile } from './live/liveProfile.js'
import { createStartup } from './live/startup.js'
import { loadPart } from './live/lazy.js'
import { changeSettings, mute, unmute } from './live/settings.js'
import { createWriter } from './live/writer.js'
import { EVENT_TYPES, isEventType, type Change } from './model/events.js'
import { selectInterests } from './model/interests.js'
import { DIMENSIONS, itemFacts, normalizeKey } from './model/keys.js'
import { prepare, Ranker, reasonFor } from './model/rank.js'
import { resolveOptions } from './options.js'
import { createConsent, initialConsent } from './privacy/consent.js'
import { grant, optIn } from './privacy/optIn.js'
import { sensitiveEvent } from './privacy/sensitive.js'
import { createTabSync } from './sync/tabSync.js'
import type { EventType, Interest, InterestsOptions, Item, Palate, PalateOptions, ProfileExport, Ranked, RankOptions, StoredEvent } from './types.js'

/**
 * Creates a personalization instance. Nothing is opened or listened to until this is called, so
 * importing Palate during server rendering is safe.
 *
 * @example
 * const palate = createPalate({ consent: 'pending', sensitive: ['health'] })
 * palate.track('view', { id: 'sku-1', category: 'hiking/boots', tags: ['waterproof'] })
 * const shelf = palate.rank(products, { limit: 12 })
 *
 * @throws TypeError when an option is malformed (naming it and the bad value).
 */
export function createPalate(options: PalateOptions = {}): Palate {
  const e = wire(resolveOptions(options))
  const { live, consentMachine } = e
  const detach = attachLifecycle(e)
  // What ranking remembers between calls is this instance's, and let go on close().
  const ranker = new Ranker()
  e.ready = e.startup.start()
  return {
    get ready() {
      return e.ready
    },
    track: (type, item) => track(e, type, item),
    interests: (opts) => interests(e, opts),
    rank: (candidates, opts) => rank(e, ranker, candidates, opts),
    explain(item: Item) {
      const { facts, keys } = prepare('explain()', item)
      return reasonFor(facts.id, keys, live.context(e.now()))
    },
    async setSurprise(on: boolean) {
      if (typeof on !== 'boolean') invalid('setSurprise()', 'expected true or false', on)
      notClosed(e, 'setSurprise()')
      await changeSettings(e, [['surprise', on]])
    },
    consent: () => e.consent,
    async setConsent(state) {
      if (state === 'denied') return consentMachine.optOut()
      if (state === 'granted') {
        notClosed(e, 'setConsent()')
        return optIn(e)
      }
      invalid('setConsent()', "expected 'granted' or 'denied'", state)
    },
    optOut: () => consentMachine.optOut(),
    async optIn() {
      notClosed(e, 'optIn()')
      return optIn(e)
    },
    async forget(raw: string) {
      const key = checkKey('forget()', raw)
      notClosed(e, 'forget()')
      await (await loadPart(e, 'forget')).forget(e, key, raw)
    },
    async mute(raw: string) {
      notClosed(e, 'mute()')
      await mute(e, checkKey('mute()', raw))
    },
    async unmute(raw: string) {
      notClosed(e, 'unmute()')
      await unmute(e, checkKey('unmute()', raw), raw)
    },
    async export() {
      notClosed(e, 'export()')
      return (await loadPart(e, 'exchange')).exportProfile(e)
    },
    async import(data) {
      notClosed(e, 'import()')
      return importProfile(e, data)
    },
    subscribe(listener: () => void) {
      if (typeof listener !== 'function') invalid('subscribe()', 'listener must be a function', listener)
      return live.subscribe(listener)
    },
    getSnapshot: () => live.snapshot(),
    flush: () => e.writer.flush(),
    close: () => close(e, detach, ranker),
  }
}

function track(e: Engine, type: EventType, item: Item): void {
  if (!isEventType(type)) {
    throw new TypeError(`[palate] track(): unknown event type ${describe(type)}; expected one of ${EVENT_TYPES.join(', ')}`)
  }
  const keys: string[] = []
  const facts = itemFacts('track()', item, keys)
  if (e.closed || e.consent === 'denied') return
  const { live } = e
  const event: StoredEvent = { t: e.now(), type, item: facts }
  const change: Change = { event, keys, weight: e.weightOf(type) }
  const sensitive = sensitiveEvent(change, e.config.sensitive)
  // A view of an item already viewed in this visit is the same look (a product page reloaded,
  // or gone back to; an effect run twice): it counts once. Asking is activity, like a touch.
  if (type === 'view') {
    if (live.visit.viewedBefore(facts.id, event.t, sensitive)) return
  } else live.visit.touch(event.t)
  const pageOnly = sensitive || e.consent === 'pending'
  live.apply(change, pageOnly)
  if (pageOnly) live.keepLocal(change)
  else e.writer.enqueue(change)
  live.changed()
}

function interests(e: Engine, opts: InterestsOptions = {}): Interest[] {
  checkOptions('interests()', opts)
  checkLimit('interests()', opts.limit)
  if (opts.dimension !== undefined && !DIMENSIONS.includes(opts.dimension)) {
    invalid('interests()', `dimension must be one of ${DIMENSIONS.join(', ')}`, opts.dimension)
  }
  return selectInterests(e.live.listed(e.now()), opts)
}

function rank<T extends Item>(e: Engine, ranker: Ranker, candidates: readonly T[], opts: RankOptions = {}): Ranked<T>[] {
  if (!Array.isArray(candidates)) invalid('rank()', 'items must be an array', candidates)
  checkOptions('rank()', opts)
  checkLimit('rank()', opts.limit)
  const { live } = e
  const surprise = opts.surprise ?? live.settings.surprise
  if (typeof surprise !== 'boolean' && !(typeof surprise === 'number' && surprise >= 0 && surprise <= 1)) {
    invalid('rank()', 'surprise must be true, false or a share between 0 and 1', opts.surprise)
  }
  const at = e.now()
  const share = surprise === true ? e.config.surpriseShare : surprise === false ? 0 : surprise
  return ranker.rank(candidates, live.context(at), { limit: opts.limit ?? Infinity, surprise: share, seed: share > 0 ? live.visit.seed(at) : 0 })
}

/** The checks come first, in this order, so that a misuse is told as such whatever the network does. */
async function importProfile(e: Engine, data: ProfileExport): Promise<void> {
  if (e.consent !== 'granted') throw new Error(`[palate] import(): consent is ${e.consent}; importing a profile needs consent granted`)
  await e.ready
  await e.recovering
  const target = e.store
  if (!target) throw new Error('[palate] import(): the profile is not available')
  await (await loadPart(e, 'exchange')).importProfile(e, target, data)
}

function close(e: Engine, detach: () => void, ranker: Ranker): void {
  if (e.closed) return
  e.closed = true
  // Whatever was tracked is still written, even when close() comes before the open finished
  // (and journaled at once: close() may be the page going away).
  const done = e.writer.flush(true).then(() => {
    e.closedForGood = true
    e.store?.close()
    e.sync.close()
  })
  detach()
  e.writer.stopTimers()
  e.live.unsubscribeAll()
  ranker.close()
  void done
}

/** Builds the parts; each reads the others through `e` when called, never while being built. */
function wire(config: ReturnType<typeof resolveOptions>): Engine {
  const e = createEngine(config) as Engine
  // First, so that IndexedDB opens while the consent marker is read (see `early`).
  e.startup = createStartup(e)
  e.consent = initialConsent(config.name, config.consent, config.respectGlobalPrivacyControl)
  e.status = e.consent === 'denied' ? 'opted-out' : 'loading'
  e.ready = Promise.resolve()
  e.live = createLiveProfile(e)
  e.writer = createWriter(e)
  e.consentMachine = createConsent(e)
  e.sync = createTabSync(
    config.name,
    {
      optedOut: () => e.consentMachine.deny(),
      optedIn: () => void (e.consent !== 'granted' && grant(e, false)),
      changed(forgotten) {
        if (forgotten.length) e.live.dropFeeding(new Set(forgotten))
        e.writer.scheduleReload()
      },
    },
    () => e.closed,
  )
  return e
}

/**
 * Refuses a change or a read of the profile after `close()`, naming the call (it would otherwise
 * change nothing, or fail as if storage had). An opt-out still works: its deletion is never refused.
 */
function notClosed(e: Engine, where: string): void {
  if (e.closed) throw new Error(`[palate] ${where}: this instance is closed (close() was called); create another`)
}

/** The key as the profile spells it (lower case, trimmed): what a storefront passes may be spelled as its catalog does. */
function checkKey(where: string, key: unknown): string {
  const normalized = normalizeKey(key)
  if (!normalized) {
    throw new TypeError(`[palate] ${where}: ${describe(key)} is not an interest key; expected "category:…", "tag:…" or "brand:…"`)
  }
  return normalized
}
