// `window.Palate`, the script tag's global: the queue page code pushes to before the script has
// loaded, `init()` with options read from the script's `data-` attributes, and the methods it
// forwards to the page's instance.
import * as core from '@palate/core'
import type { Palate, PalateOptions } from '@palate/core'
import { PREFERENCES_TAG } from './definePreferences.js'
import { lazyPreferences } from './lazyPreferences.js'
import { wire, type WireOptions } from './wire.js'

/** The page instance's methods that `window.Palate` forwards (see {@link PalateGlobal}). */
const METHODS = [
  'track',
  'rank',
  'interests',
  'explain',
  'consent',
  'setConsent',
  'optOut',
  'optIn',
  'setSurprise',
  'forget',
  'mute',
  'unmute',
  'export',
  'subscribe',
  'getSnapshot',
  'flush',
] as const

type Method = (typeof METHODS)[number]

/**
 * What page code may push before (or after) the script has loaded: a function, called with the
 * page instance once it exists; or a call, `[method, ...args]`, of one of the forwarded methods.
 *
 * @example
 * (window.Palate = window.Palate || []).push(function (palate) { palate.track('view', product) });
 * (window.Palate = window.Palate || []).push(['track', 'add_to_cart', product]);
 */
export type PalateQueueEntry = ((palate: Palate) => void) | { [M in Method]: [M, ...Parameters<Palate[M]>] }[Method]

/**
 * Options of {@link PalateGlobal.init}: the instance's options plus the wiring's.
 * @example Palate.init({ name: 'shop', consent: 'pending', dwell: 1500 })
 */
export type PalateInitOptions = PalateOptions & WireOptions

/** Every export of `@palate/core`: `createPalate`, `itemKeys`, `labelOf`, `DEFAULT_WEIGHTS`… */
type CoreApi = typeof core

/**
 * `window.Palate`, defined by the script tag (`palate.min.js`). It carries core's API, the wiring
 * pieces, and the page instance's methods, which forward to `Palate.instance` (and throw until it
 * exists: use `push` for code that may run earlier).
 *
 * @example
 * <script src="/palate.min.js" data-auto data-consent="pending" data-sensitive="health,adult"></script>
 * <script>
 *   (window.Palate = window.Palate || []).push(function (palate) {
 *     console.log(palate.interests())
 *   })
 * </script>
 */
export interface PalateGlobal extends Pick<Palate, Method>, CoreApi {
  wire: typeof wire
  /**
   * Defines `<palate-preferences>`; `init()` calls it. The panel is a file of its own
   * (`palate-preferences.min.js`, next to this script), loaded when the first element connects:
   * resolves once the element is defined, rejects (after `onError`) when the file did not load.
   */
  definePreferences(): Promise<void>
  /**
   * Creates the page's instance, wires the document (data attributes) and defines
   * `<palate-preferences>`; then runs what was pushed so far. A second call returns the first
   * instance and ignores its options. `data-auto` on the script tag calls it for you.
   * @example Palate.init({ consent: 'pending', sensitive: ['health'] })
   */
  init(options?: PalateInitOptions): Palate
  /** The page's instance, once `init()` has run; else null. */
  readonly instance: Palate | null
  /**
   * Runs entries at once when the page instance exists, else keeps them until it does. Entries
   * run in order; one that throws is logged with `console.error` and the rest still run.
   * @example Palate.push(['track', 'view', { id: 'sku-1', category: 'hiking/boots' }])
   */
  push(...entries: PalateQueueEntry[]): void
}

/**
 * Reads `init()` options from a script element's `data-` attributes: `data-name`,
 * `data-storage`, `data-consent`, `data-sensitive="health,adult"`, `data-retention-days`,
 * `data-surprise-share`, `data-respect-gpc="false"`, `data-dwell` (ms). Values are checked by
 * `createPalate()`, whose errors name the option.
 *
 * @example optionsFromScript(document.currentScript) // { name: 'shop', consent: 'pending' }
 */
export function optionsFromScript(script: Element): PalateInitOptions {
  const options: Record<string, unknown> = {}
  const read = (attribute: string, option: string, parse: (value: string) => unknown = (v) => v): void => {
    const value = script.getAttribute('data-' + attribute)
    if (value !== null) options[option] = parse(value)
  }
  const number = (value: string): unknown => (value.trim() === '' ? value : Number(value))
  read('name', 'name')
  read('storage', 'storage')
  read('consent', 'consent')
  read('sensitive', 'sensitive', (value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  read('retention-days', 'retentionDays', number)
  read('surprise-share', 'surpriseShare', number)
  // A bare attribute means true; anything but true/false is passed on for createPalate to reject.
  read('respect-gpc', 'respectGlobalPrivacyControl', (value) => (value === '' || value === 'true' ? true : value === 'false' ? false : value))
  read('dwell', 'dwell', number)
  return options as PalateInitOptions
}

/**
 * Defines `window.Palate` on `win` and, when `script` has `data-auto`, creates the page's instance
 * from its `data-` options (see {@link optionsFromScript}). What the page pushed onto an array
 * `window.Palate` before this ran is kept and run once the instance exists. Installing twice keeps
 * the first `window.Palate`. This is what `palate.min.js` runs on load, with
 * `document.currentScript`.
 *
 * @example install(window, document.currentScript)
 * @throws TypeError from `createPalate()` when a `data-` option is malformed (`window.Palate` is defined first).
 */
export function install(win: Window, script: Element | null = null): PalateGlobal {
  const target = win as unknown as { Palate?: unknown }
  const existing = target.Palate as PalateGlobal | PalateQueueEntry[] | undefined
  if (existing && !Array.isArray(existing) && typeof existing.init === 'function') return existing

  const queue: PalateQueueEntry[] = Array.isArray(existing) ? [...existing] : []
  let instance: Palate | null = null
  const warned = new Set<string>()
  let report = (error: Error): void => console.warn(error.message)
  const definePreferences = lazyPreferences(win.document, script, (error) => report(error))

  function run(entry: PalateQueueEntry): void {
    try {
      if (typeof entry === 'function') entry(instance!)
      else if (Array.isArray(entry) && (METHODS as readonly string[]).includes(entry[0])) {
        ;(api[entry[0]] as (...args: unknown[]) => unknown)(...entry.slice(1))
      } else if (!warned.has(String(entry?.[0]))) {
        warned.add(String(entry?.[0]))
        console.warn('[palate] Palate.push(): ignored an entry that is neither a function nor [method, ...args] of', METHODS.join(', '), entry)
      }
    } catch (error) {
      // The page's own mistake: logged, and the next entries still run.
      console.error('[palate] an entry pushed to Palate threw:', error)
    }
  }

  const api = {
    ...core,
    wire,
    definePreferences,
    get instance() {
      return instance
    },
    init(options: PalateInitOptions = {}) {
      if (instance) {
        if (!warned.has('init')) {
          warned.add('init')
          console.warn('[palate] Palate.init() was already called; keeping the first instance and its options')
        }
        return instance
      }
      const { dwell, ...palateOptions } = options
      const created = core.createPalate(palateOptions)
      instance = created
      const { onError } = palateOptions
      if (onError) {
        report = (error) => {
          try {
            onError(error)
          } catch {
            // As in core: a throwing handler breaks nothing.
          }
        }
      }
      wire(created, win.document, dwell === undefined ? {} : { dwell })
      // Reported already: without its panel, the storefront goes on.
      definePreferences().catch(() => undefined)
      // Panels connected before there was an instance to show (the element was defined earlier).
      for (const panel of win.document.querySelectorAll(PREFERENCES_TAG)) panel.palate ??= created
      for (const entry of queue.splice(0)) run(entry)
      return created
    },
    push(...entries: PalateQueueEntry[]) {
      if (instance) entries.forEach(run)
      else queue.push(...entries)
    },
  } as Omit<PalateGlobal, Method> as PalateGlobal
  for (const method of METHODS) {
    ;(api as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      if (!instance) {
        throw new Error(`[palate] Palate.${method}(): no page instance yet. Call Palate.init(), add data-auto to the script tag, or use Palate.push()`)
      }
      return (instance[method] as (...a: unknown[]) => unknown)(...args)
    }
  }
  target.Palate = api
  if (script?.hasAttribute('data-auto')) api.init(optionsFromScript(script))
  return api
}
