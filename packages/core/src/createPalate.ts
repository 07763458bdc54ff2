// The facade: checks the options, builds the parts of one instance (live profile, write path,
// start-up, settings, consent, tab sync, page lifecycle), and exposes the public API, checking
// every argument. What each part owns is said at the top of its module.
import { checkLimit, checkOptions, describe, invalid } from './errors.js'
import { createEngine, type Engine } from './live/engine.js'
import { attachLifecycle } from './live/lifecycle.js'
import { createLiveProfile } from './live/liveProfile.js'
import { createSettings } from './live/settings.js'
import { createStartup } from './live/startup.js'
import { loadPart } from './live/lazy.js'
import { createWriter } from './live/writer.js'
import { EVENT_TYPES, isEventType, type Change } from './model/events.js'
import { selectInterests } from './model/interests.js'
import { DIMENSIONS, itemFacts, keysOf, normalizeKey } from './model/keys.js'
import { prepare, Ranker, reasonFor } from './model/rank.js'
import { resolveOptions } from './options.js'
import { createConsent, initialConsent } from './privacy/consent.js'
import { sensitiveEvent, sensitiveKey } from './privacy/sensitive.js'
import { createTabSync } from './sync/tabSync.js'
import type { EventType, Interest, InterestsOptions, Item, Palate, PalateOptions, ProfileExport, RankOptions, StoredEvent } from './types.js'

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
  const { config, live } = e
  const detach = attachLifecycle(e)
  // What ranking remembers between calls is this instance's, and let go on close().
  const ranker = new Ranker()
  e.ready = e.startup.start()

  function track(type: EventType, item: Item): void {
    if (!isEventType(type)) {
      throw new TypeError(`[palate] track(): unknown event type ${describe(type)}; expected one of ${EVENT_TYPES.join(', ')}`)
    }
    const facts = itemFacts('track()', item)
    if (e.closed || e.consent === 'denied') return
    const event: StoredEvent = { t: e.now(), type, item: facts }
    // A view of an item already viewed in this visit is the same look (a product page reloaded,
    // or gone back to; an effect run twice): it counts once.
    if (type === 'view' && live.visit.viewedBefore(facts.id, event.t)) return
    live.visit.touch(event.t)
    const change: Change = { event, keys: keysOf(facts), weight: e.weightOf(type) }
    const pageOnly = e.consent === 'pending' || sensitiveEvent(change, config.sensitive)
    live.apply(change, pageOnly)
    if (pageOnly) live.keepLocal(change)
    else e.writer.enqueue(change)
    live.changed()
  }

  function interests(opts: InterestsOptions = {}): Interest[] {
    checkOptions('interests()', opts)
    checkLimit('interests()', opts.limit)
    if (opts.dimension !== undefined && !DIMENSIONS.includes(opts.dimension)) {
      invalid('interests()', `dimension must be one of ${DIMENSIONS.join(', ')}`, opts.dimension)
    }
    return selectInterests(live.listed(e.now()), opts)
  }

  function rank<T extends Item>(candidates: readonly T[], opts: RankOptions = {}) {
    if (!Array.isArray(candidates)) invalid('rank()', 'items must be an array', candidates)
    checkOptions('rank()', opts)
    checkLimit('rank()', opts.limit)
    const surprise = opts.surprise ?? live.settings.surprise
    if (typeof surprise !== 'boolean' && !(typeof surprise === 'number' && surprise >= 0 && surprise <= 1)) {
      invalid('rank()', 'surprise must be true, false or a share between 0 and 1', opts.surprise)
    }
    const at = e.now()
    const share = surprise === true ? config.surpriseShare : surprise === false ? 0 : surprise
    return ranker.rank(candidates, live.context(at), { limit: opts.limit ?? Infinity, surprise: share, seed: share > 0 ? live.visit.seed(at) : 0 })
  }

  async function forget(raw: string): Promise<void> {
    const key = checkKey('forget()', raw)
    // The stored profile must be read first, or the forgotten key would come back with it.
    await e.ready
    await e.recovering
    const doomed = new Set<string>()
    for (const k of live.profile.states.keys()) if (k === key || (key.startsWith('category:') && k.startsWith(key + '/'))) doomed.add(k)
    if (!doomed.has(key)) throw new RangeError(`[palate] forget(): ${describe(raw)} is not in the profile`)
    // The forgotten key alone names it all: every event that fed a narrower key fed this one too.
    // A sensitive key was never written: nothing to bury, and its name is not sent anywhere.
    // (Asked before the events that fed it are dropped: they are what tells a sensitive tag.)
    const told = sensitiveKey(key, config.sensitive, live.local) ? [] : [key]
    live.dropFeeding(doomed)
    await e.serial(async () => {
      // Again on the store that replaced this one, should it be let go of meanwhile (see `onLost`).
      for (;;) {
        const target = e.store
        if (!target) {
          live.profile.delete(doomed)
          live.changed()
          return
        }
        try {
          await target.forget(doomed, told, e.limits())
          e.sync.changed(target, told)
          return await e.writer.readBack(target)
        } catch (error) {
          if (e.store !== target) continue
          e.report(error)
          throw error
        }
      }
    })
  }

  async function exportProfile(): Promise<ProfileExport> {
    const { toExport } = await loadPart(e, 'exchange')
    await e.writer.flush()
    // A write that found the connection lost: its events go to the store replacing it.
    if (e.recovering) await e.recovering.then(() => e.writer.flush())
    const target = e.store
    const dump = target ? await e.serial(() => target.dump()) : null
    return toExport(dump, { consent: e.consent, halfLives: e.model.halfLives, settings: live.settings, exportedAt: e.now() })
  }

  async function importProfile(data: ProfileExport): Promise<void> {
    if (e.consent !== 'granted') throw new Error(`[palate] import(): consent is ${e.consent}; importing a profile needs consent granted`)
    await e.ready
    await e.recovering
    const target = e.store
    if (!target) throw new Error('[palate] import(): the profile is not available')
    const { importedDump } = await loadPart(e, 'exchange')
    const { meta } = await e.serial(() => target.load())
    const dump = importedDump(data, e.model, e.weightOf, config.sensitive, meta, { maxKeys: config.maxKeys, maxEvents: config.maxEvents })
    e.writer.pending = []
    await e.serial(async () => {
      await target.replace(dump)
      // The caps hold for an imported profile too; expiry is left to the regular sweep, so that an
      // import restores exactly what was exported.
      await target.merge(e.limits())
      e.sync.changed(target)
      await e.writer.readBack(target)
    })
  }

  function close(): void {
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
    live.unsubscribeAll()
    ranker.close()
    void done
  }

  const { consentMachine, settings } = e
  return {
    get ready() {
      return e.ready
    },
    track,
    interests,
    rank,
    explain(item: Item) {
      const { facts, keys } = prepare('explain()', item)
      return reasonFor(facts.id, keys, live.context(e.now()))
    },
    async setSurprise(on: boolean) {
      if (typeof on !== 'boolean') invalid('setSurprise()', 'expected true or false', on)
      await settings.change((s) => ({ ...s, surprise: on }))
    },
    consent: () => e.consent,
    async setConsent(state) {
      if (state === 'denied') return consentMachine.optOut()
      if (state === 'granted') return consentMachine.optIn()
      invalid('setConsent()', "expected 'granted' or 'denied'", state)
    },
    optOut: () => consentMachine.optOut(),
    optIn: () => consentMachine.optIn(),
    forget,
    async mute(raw: string) {
      await settings.mute(checkKey('mute()', raw))
    },
    async unmute(raw: string) {
      await settings.unmute(checkKey('unmute()', raw), raw)
    },
    export: exportProfile,
    import: importProfile,
    subscribe(listener: () => void) {
      if (typeof listener !== 'function') invalid('subscribe()', 'listener must be a function', listener)
      return live.subscribe(listener)
    },
    getSnapshot: () => live.snapshot(),
    flush: () => e.writer.flush(),
    close,
  }
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
  e.settings = createSettings(e)
  e.consentMachine = createConsent(e)
  e.sync = createTabSync(
    config.name,
    {
      optedOut: () => e.consentMachine.deny(),
      optedIn: () => void (e.consent !== 'granted' && e.consentMachine.grant(false)),
      changed(forgotten) {
        if (forgotten.length) e.live.dropFeeding(new Set(forgotten))
        e.writer.scheduleReload()
      },
    },
    () => e.closed,
  )
  return e
}

/** The key as the profile spells it (lower case, trimmed): what a storefront passes may be spelled as its catalog does. */
function checkKey(where: string, key: unknown): string {
  const normalized = normalizeKey(key)
  if (!normalized) {
    throw new TypeError(`[palate] ${where}: ${describe(key)} is not an interest key; expected "category:…", "tag:…" or "brand:…"`)
  }
  return normalized
}
