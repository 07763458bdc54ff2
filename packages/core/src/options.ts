// The options: their defaults (the event weights among them), their checks, and the Config every
// part reads.
import { categoryPath } from './model/keys.js'
import { checkOptions, invalid } from './errors.js'
import { EVENT_TYPES } from './model/events.js'
import { DEFAULT_MODEL } from './model/profile.js'
import type { ConsentState, EventType, PalateOptions } from './types.js'

/** Default weight of each event type: how much more a purchase says than a glance. */
export const DEFAULT_WEIGHTS: Readonly<Record<EventType, number>> = Object.freeze({
  view: 1,
  click: 2,
  search: 1,
  wishlist: 3,
  add_to_cart: 4,
  purchase: 6,
  dismiss: -4,
})

/** Options with every default applied and every value checked. */
export interface Config {
  name: string
  storage: 'indexeddb' | 'memory'
  consent: ConsentState
  respectGlobalPrivacyControl: boolean
  sensitive: string[]
  weights: Record<EventType, number>
  retentionDays: number
  surpriseShare: number
  satiationDays: number
  halfLives: number[]
  prior: number
  visitContext: boolean
  maxKeys: number
  maxEvents: number
  now: () => number
  random: () => number
  onError: ((error: Error) => void) | undefined
}

function bad(option: string, value: unknown, expected: string): never {
  invalid('createPalate()', `options.${option} must be ${expected}`, value)
}

function checkNumber(option: string, value: unknown, min: number, max: number, integer?: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    bad(option, value, `${integer ? 'an integer' : 'a number'} between ${min} and ${max}`)
  }
  return value
}

/** Each reads `options[option]`: the default when it is undefined, else the value checked. */
type Options = Record<string, unknown>

function oneOf<T extends string>(options: Options, option: string, allowed: readonly T[]): T {
  const value = options[option]
  if (value === undefined) return allowed[0]!
  if (!allowed.includes(value as T)) bad(option, value, allowed.map((a) => `'${a}'`).join(' or '))
  return value as T
}

function number(options: Options, option: string, fallback: number, min: number, max: number, integer?: boolean): number {
  const value = options[option]
  return value === undefined ? fallback : checkNumber(option, value, min, max, integer)
}

function flag(options: Options, option: string): boolean {
  const value = options[option]
  if (value === undefined) return true
  if (typeof value !== 'boolean') bad(option, value, 'true or false')
  return value
}

function fn<T>(options: Options, option: string, fallback: T): T {
  const value = options[option]
  if (value === undefined) return fallback
  if (typeof value !== 'function') bad(option, value, 'a function')
  return value as T
}

/**
 * Checks options and fills in defaults.
 * @throws TypeError naming the option and the bad value.
 */
export function resolveOptions(options: PalateOptions = {}): Config {
  checkOptions('createPalate()', options)
  const name = options.name ?? 'palate'
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    bad('name', name, 'a non-empty string of at most 100 characters')
  }

  const weights: Record<EventType, number> = { ...DEFAULT_WEIGHTS }
  if (options.weights !== undefined) {
    if (options.weights === null || typeof options.weights !== 'object') bad('weights', options.weights, 'an object')
    for (const [type, value] of Object.entries(options.weights)) {
      if (!EVENT_TYPES.includes(type as EventType)) bad(`weights.${type}`, type, `one of ${EVENT_TYPES.join(', ')}`)
      const negative = type === 'dismiss'
      weights[type as EventType] = checkNumber(`weights.${type}`, value, negative ? -100 : 0, negative ? 0 : 100)
    }
  }

  const sensitive = options.sensitive ?? []
  if (!Array.isArray(sensitive)) bad('sensitive', sensitive, 'an array of category prefixes')
  const prefixes = sensitive.map((prefix, i) => {
    const path = categoryPath(`createPalate(): options.sensitive[${i}]`, prefix)
    if (!path) bad(`sensitive[${i}]`, prefix, 'a non-empty category prefix')
    return path
  })

  const halfLives = options.halfLives ?? [...DEFAULT_MODEL.halfLives]
  if (!Array.isArray(halfLives) || halfLives.length === 0 || halfLives.length > 8) {
    bad('halfLives', halfLives, 'an array of 1 to 8 half-lives in milliseconds')
  }
  halfLives.forEach((h, i) => checkNumber(`halfLives[${i}]`, h, 1, Infinity))

  const o = options as Options
  // The first value of each list is the default.
  return {
    name,
    storage: oneOf(o, 'storage', ['indexeddb', 'memory']),
    consent: oneOf(o, 'consent', ['granted', 'pending', 'denied']),
    respectGlobalPrivacyControl: flag(o, 'respectGlobalPrivacyControl'),
    sensitive: prefixes,
    weights,
    retentionDays: number(o, 'retentionDays', 90, 1, 3650),
    surpriseShare: number(o, 'surpriseShare', 0.25, 0, 1),
    satiationDays: number(o, 'satiationDays', 30, 0, 3650),
    halfLives: [...halfLives],
    prior: number(o, 'prior', DEFAULT_MODEL.prior, 0.01, 1000),
    visitContext: flag(o, 'visitContext'),
    maxKeys: number(o, 'maxKeys', 500, 10, 100_000, true),
    maxEvents: number(o, 'maxEvents', 500, 0, 1_000_000, true),
    now: fn(o, 'now', Date.now),
    random: fn(o, 'random', Math.random),
    onError: fn(o, 'onError', undefined),
  }
}
