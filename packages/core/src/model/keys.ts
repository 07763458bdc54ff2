// Items to interest keys: the checks of an item's fields, their normalized spelling (NFC; the
// look-alike folding of sensitive prefixes), the `dimension:value` keys with every category prefix,
// and what is read back from a key (its dimension, parent, root, label).
import { fail, invalid } from '../errors.js'
import type { Dimension, Item } from '../types.js'

/** Tags beyond this many are ignored: a product with thousands of tags must not flood the profile. */
export const MAX_TAGS = 32
/** Category levels beyond this depth are ignored. */
export const MAX_DEPTH = 8
/** Longest id, category, tag or brand accepted, in characters. */
export const MAX_LENGTH = 256

export const DIMENSIONS: readonly Dimension[] = ['category', 'tag', 'brand']

/**
 * How much each dimension counts, in ranking and when interests of several dimensions are listed
 * together. Every category level counts fully (a match on `hiking/boots` beats one on `hiking`
 * alone); tags and brand describe an item less surely, and a tag can sit on every item viewed.
 */
export const DIMENSION_WEIGHT: Readonly<Record<Dimension, number>> = { category: 1, tag: 0.5, brand: 0.5 }

/** The fields of an item that Palate learns from, normalized. This is what the event log stores. */
export interface ItemFacts {
  id: string
  category?: string
  tags?: string[]
  brand?: string
}

/**
 * A bounded memo: catalogs repeat the same few category, tag and brand strings across thousands
 * of products, so each distinct string is normalized (and its key built) once. Cleared when full.
 */
function memo<T>(compute: (raw: string) => T): (raw: string) => T {
  let cache = new Map<string, T>()
  return (raw) => {
    let value = cache.get(raw)
    if (value === undefined) {
      if (cache.size >= 5000) cache = new Map()
      cache.set(raw, (value = compute(raw)))
    }
    return value
  }
}

/**
 * A field's spelling in keys: NFC (one word typed as NFC or NFD is one key), lower case, spaces
 * collapsed. Invisible characters are kept: dropping them would split every stored profile whose
 * keys hold them from what it learns next (only the sensitive prefixes fold them, see `skeleton`).
 * Lower-casing and NFC can lengthen a string ('İ' is two characters in lower case): the result is
 * cut to {@link MAX_LENGTH}, so that whatever track() accepts is stored, read back and imported
 * again.
 */
const normalize = memo((raw) => {
  const value = raw.trim().replace(/\s+/g, ' ').toLowerCase().normalize('NFC')
  if (value.length <= MAX_LENGTH) return value
  // (Not between the two halves of a surrogate pair.)
  const cut = /[\uD800-\uDBFF]/.test(value[MAX_LENGTH - 1]!) ? MAX_LENGTH - 1 : MAX_LENGTH
  return value.slice(0, cut).trimEnd()
})

/**
 * Cyrillic and Greek letters drawn as Latin ones, each followed by the Latin letter: `hеalth` typed
 * with a Cyrillic `е` reads as `health` to the sensitive prefixes.
 */
const LOOKALIKES = 'аaеeоoрpсcуyхxіiјjѕsһhαaοoιiνvρp'
const LOOKALIKE = new RegExp(`[${LOOKALIKES.replace(/(.)./g, '$1')}]`, 'g')

/**
 * How a category reads for the sensitive prefixes: look-alike spellings count as one (width and
 * compatibility forms by NFKC, case, zero-width and other invisible characters such as the soft
 * hyphen dropped, Cyrillic and Greek letters drawn as Latin ones read as those). Keys keep their
 * NFC spelling; only this comparison folds further.
 */
const skeleton = memo((raw) =>
  raw
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toLowerCase()
    .normalize('NFKC')
    .replace(LOOKALIKE, (c) => LOOKALIKES[LOOKALIKES.indexOf(c) + 1]!)
    .split('/')
    .map((segment) => segment.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join('/'),
)

/** A field checked to be a string of an accepted length, as given. */
function checked(where: string, field: string, value: unknown): string {
  if (typeof value !== 'string') invalid(where, `${field} must be a string`, value)
  if (value.length > MAX_LENGTH) {
    fail(where, `${field} is longer than ${MAX_LENGTH} characters (${value.length})`)
  }
  return value
}

function finiteNonNegative(where: string, field: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    invalid(where, `${field} must be a finite number >= 0`, value)
  }
}

/** Checks an id the way every entry point does. */
export function itemId(where: string, item: unknown): string {
  if (item === null || typeof item !== 'object') invalid(where, 'item must be an object', item)
  const id = (item as { id?: unknown }).id
  if (typeof id !== 'string' || id.trim() === '') {
    invalid(where, 'item.id must be a non-empty string', id)
  }
  if (id.length > MAX_LENGTH) fail(where, `item.id is longer than ${MAX_LENGTH} characters (${id.length})`)
  return id
}

/** Normalizes a `/`-separated path: trimmed, lower-case segments, empty ones dropped, depth capped. */
const toPath = memo(
  (normalized) =>
    normalized
      .split('/')
      .map((segment) => segment.trim())
      .filter(Boolean)
      .slice(0, MAX_DEPTH)
      .join('/') || '',
)

export function categoryPath(where: string, value: unknown): string | undefined {
  return categoryOf(checked(where, 'item.category', value)).value || undefined
}

/** The keys a category feeds (every prefix of its path), or null when it names none. */
export function keysOfCategory(where: string, value: unknown): string[] | null {
  const { value: path, keys } = categoryOf(checked(where, 'item.category', value))
  return path ? keys.slice() : null
}

/**
 * Validates an item and keeps what Palate learns from. With `keys`, also pushes onto it the keys
 * the item feeds, as {@link keysOf} lists them (one look-up per string instead of one per step).
 * @throws TypeError naming the bad field and value.
 */
export function itemFacts(where: string, item: Item, keys?: string[]): ItemFacts {
  const id = itemId(where, item)
  const facts: ItemFacts = { id }
  if (item.category != null) {
    const category = categoryOf(checked(where, 'item.category', item.category))
    if (category.value) {
      facts.category = category.value
      keys?.push(...category.keys)
    }
  }
  if (item.tags != null) {
    if (!Array.isArray(item.tags)) invalid(where, 'item.tags must be an array of strings', item.tags)
    const tags: string[] = []
    for (let i = 0; i < item.tags.length && i < MAX_TAGS; i++) {
      const tag = tagOf(checked(where, 'item.tags[]', item.tags[i]))
      if (tag.value && !tags.includes(tag.value)) {
        tags.push(tag.value)
        keys?.push(tag.key)
      }
    }
    if (tags.length) facts.tags = tags
  }
  if (item.brand != null) {
    const brand = brandOf(checked(where, 'item.brand', item.brand))
    if (brand.value) {
      facts.brand = brand.value
      keys?.push(brand.key)
    }
  }
  checkNumbers(where, item)
  return facts
}

/** Price and popularity, when given, must be finite and >= 0 (they are not kept, only checked). */
export function checkNumbers(where: string, item: Item): void {
  finiteNonNegative(where, 'item.price', item.price)
  finiteNonNegative(where, 'item.popularity', item.popularity)
}

/**
 * The interest keys an item feeds: every prefix of its category path, each tag, the brand.
 * @example keysOf({ id: 'a', category: 'hiking/boots', tags: ['waterproof'] })
 * // ['category:hiking', 'category:hiking/boots', 'tag:waterproof']
 */
export function keysOf(facts: ItemFacts): string[] {
  const keys = facts.category ? categoryKeys(facts.category).slice() : []
  if (facts.tags) for (const tag of facts.tags) keys.push(tagKey(tag))
  if (facts.brand) keys.push(brandKey(facts.brand))
  return keys
}

/** Every prefix of a category path as a key; the same string objects for every item in it. */
const categoryKeys = memo((path) => {
  const keys: string[] = []
  let end = path.indexOf('/')
  while (end !== -1) {
    keys.push('category:' + path.slice(0, end))
    end = path.indexOf('/', end + 1)
  }
  keys.push('category:' + path)
  return keys
})
const tagKey = memo((tag) => 'tag:' + tag)
const brandKey = memo((brand) => 'brand:' + brand)

/** What `itemFacts` keeps of a raw category, tag or brand (empty when nothing), and its key(s). */
const categoryOf = memo((raw) => {
  const value = toPath(normalize(raw))
  return { value, keys: value ? categoryKeys(value) : [] }
})
const valueOf = (key: (value: string) => string) =>
  memo((raw) => {
    const value = normalize(raw)
    return { value, key: value && key(value) }
  })
const tagOf = valueOf(tagKey)
const brandOf = valueOf(brandKey)

/**
 * The interest keys a product feeds, for a storefront that wants to offer "not interested in
 * Hiking" next to it.
 * @example itemKeys({ id: 'a', category: 'Hiking/Boots', brand: 'Acme' })
 * // ['category:hiking', 'category:hiking/boots', 'brand:acme']
 * @throws TypeError for a malformed item.
 */
export function itemKeys(item: Item): string[] {
  return keysOf(itemFacts('itemKeys()', item))
}

/** Splits `dimension:value`; returns null for anything that is not a well-formed interest key. */
export function parseKey(key: unknown): { dimension: Dimension; value: string } | null {
  if (typeof key !== 'string') return null
  const colon = key.indexOf(':')
  if (colon === -1) return null
  const dimension = key.slice(0, colon) as Dimension
  const value = key.slice(colon + 1)
  if (!DIMENSIONS.includes(dimension) || value === '' || value.length > MAX_LENGTH) return null
  return { dimension, value }
}

/**
 * An interest key spelled the way the profile spells it (`category:Health/ Tests` →
 * `category:health/tests`), or null when it is not a well-formed key.
 */
export function normalizeKey(key: unknown): string | null {
  // The dimension as the profile spells it too ('Category:Hiking').
  const parsed = parseKey(typeof key === 'string' ? key.replace(/^[^:]+/, (dimension) => dimension.trim().toLowerCase()) : key)
  if (!parsed) return null
  const value = parsed.dimension === 'category' ? toPath(normalize(parsed.value)) : normalize(parsed.value)
  return value ? `${parsed.dimension}:${value}` : null
}

/** The parent category key (`category:a/b` → `category:a`), or null at the top. */
export function parentKey(key: string): string | null {
  const slash = key.lastIndexOf('/')
  return key.startsWith('category:') && slash !== -1 ? key.slice(0, slash) : null
}

/**
 * The top-level category key above a category key (`category:a/b/c` → `category:a`); a top-level
 * key, or one of another dimension, is its own root.
 */
export function rootKey(key: string): string {
  const slash = key.indexOf('/')
  return key.startsWith('category:') && slash !== -1 ? key.slice(0, slash) : key
}

/** The dimension an interest key belongs to, read from its prefix. */
export function dimensionOf(key: string): Dimension {
  return key.slice(0, key.indexOf(':')) as Dimension
}

/**
 * A label for the shopper. A category is named by its last two levels, because a leaf alone is
 * often ambiguous ("Apparel" of what?): `category:hiking` → "Hiking", `category:sports/hiking/boots`
 * → "Hiking boots", `category:outdoor/trail-running` → "Outdoor trail running"; `brand:acme co` →
 * "Acme Co".
 */
export function labelOf(key: string): string {
  const { dimension, value } = parseKey(key) ?? { dimension: 'tag', value: key }
  const named = dimension === 'category' ? value.split('/').slice(-2).join(' ') : value
  const words = named.replace(/[-_]+/g, ' ').trim()
  if (dimension === 'brand') return words.replace(/(^|\s)\S/g, (c) => c.toUpperCase())
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Whether a category path falls under one of the prefixes, matching whole segments. */
export function underAny(category: string | undefined, prefixes: readonly string[]): boolean {
  if (!category || !prefixes.length) return false
  const path = skeleton(category)
  for (const raw of prefixes) {
    const prefix = skeleton(raw)
    if (path === prefix || path.startsWith(prefix + '/')) return true
  }
  return false
}
