import { describe, expect, it } from 'vitest'
import { itemFacts, itemKeys, keysOf, labelOf, MAX_DEPTH, MAX_TAGS, normalizeKey, parseKey, rootKey, underAny } from './keys.js'

describe('itemKeys', () => {
  it.each([
    [{ id: 'a' }, []],
    [{ id: 'a', category: 'hiking' }, ['category:hiking']],
    [{ id: 'a', category: 'sports/hiking/boots' }, ['category:sports', 'category:sports/hiking', 'category:sports/hiking/boots']],
    [{ id: 'a', category: ' Sports / Hiking ', tags: ['Waterproof', 'waterproof ', 'Gore  Tex'], brand: 'ACME' }, ['category:sports', 'category:sports/hiking', 'tag:waterproof', 'tag:gore tex', 'brand:acme']],
    [{ id: 'a', category: '//hiking//boots/' }, ['category:hiking', 'category:hiking/boots']],
    [{ id: 'a', category: '', tags: [''], brand: ' ' }, []],
  ])('%j feeds %j', (item, keys) => {
    expect(itemKeys(item)).toEqual(keys)
  })

  it(`keeps at most ${MAX_DEPTH} category levels and ${MAX_TAGS} tags`, () => {
    const deep = Array.from({ length: 20 }, (_, i) => `l${i}`).join('/')
    const tags = Array.from({ length: 5000 }, (_, i) => `t${i}`)
    const keys = itemKeys({ id: 'a', category: deep, tags })
    expect(keys.filter((k) => k.startsWith('category:'))).toHaveLength(MAX_DEPTH)
    expect(keys.filter((k) => k.startsWith('tag:'))).toHaveLength(MAX_TAGS)
  })

  it('treats __proto__ and constructor as ordinary values', () => {
    expect(itemKeys({ id: '__proto__', category: '__proto__/constructor', tags: ['__proto__'], brand: 'constructor' })).toEqual([
      'category:__proto__',
      'category:__proto__/constructor',
      'tag:__proto__',
      'brand:constructor',
    ])
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
  })
})

describe('itemFacts rejects malformed items with the field and the value', () => {
  it.each([
    [null, /item must be an object, got null/],
    ['sku-1', /item must be an object, got "sku-1"/],
    [{}, /item\.id must be a non-empty string, got undefined/],
    [{ id: '' }, /item\.id must be a non-empty string, got ""/],
    [{ id: '   ' }, /item\.id must be a non-empty string, got "   "/],
    [{ id: 42 }, /item\.id must be a non-empty string, got 42/],
    [{ id: 'x'.repeat(10_000_000) }, /item\.id is longer than 256 characters \(10000000\)/],
    [{ id: 'a', category: 7 }, /item\.category must be a string, got 7/],
    [{ id: 'a', category: 'c'.repeat(300) }, /item\.category is longer than 256 characters/],
    [{ id: 'a', tags: 'waterproof' }, /item\.tags must be an array of strings, got "waterproof"/],
    [{ id: 'a', tags: [1] }, /item\.tags\[\] must be a string, got 1/],
    [{ id: 'a', brand: {} }, /item\.brand must be a string, got an object/],
    [{ id: 'a', price: Number.NaN }, /item\.price must be a finite number >= 0, got NaN/],
    [{ id: 'a', price: -1 }, /item\.price must be a finite number >= 0, got -1/],
    [{ id: 'a', price: Infinity }, /item\.price must be a finite number >= 0, got Infinity/],
    [{ id: 'a', popularity: -5 }, /item\.popularity must be a finite number >= 0, got -5/],
  ])('%#: %j', (item, message) => {
    expect(() => itemFacts('track()', item as never)).toThrow(TypeError)
    expect(() => itemFacts('track()', item as never)).toThrow(message)
  })

  it('never puts a huge value into the message', () => {
    try {
      itemFacts('track()', { id: 'a', category: 'x'.repeat(5_000_000) })
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200)
    }
    expect.assertions(1)
  })
})

describe('labels and keys', () => {
  it.each([
    ['category:hiking', 'Hiking'],
    ['category:hiking/boots', 'Hiking boots'],
    ['category:sports/hiking/boots', 'Hiking boots'],
    ['category:outdoor/trail-running', 'Outdoor trail running'],
    ['category:running/apparel', 'Running apparel'],
    ['tag:gore_tex', 'Gore tex'],
    ['brand:north face', 'North Face'],
  ])('%s is shown as %s', (key, label) => {
    expect(labelOf(key)).toBe(label)
  })

  it.each([
    ['category:hiking', { dimension: 'category', value: 'hiking' }],
    ['tag:a:b', { dimension: 'tag', value: 'a:b' }],
    ['hiking', null],
    ['color:red', null],
    ['category:', null],
    [42, null],
  ])('parseKey(%j)', (key, parsed) => {
    expect(parseKey(key)).toEqual(parsed)
  })

  it.each([
    ['category:Health/ Tests', 'category:health/tests'],
    ['category: Hiking //Boots ', 'category:hiking/boots'],
    ['brand:North   Face', 'brand:north face'],
    ['tag:Gore-Tex', 'tag:gore-tex'],
    ['category: / ', null],
    ['tag:   ', null],
    ['colour:red', null],
    ['Category:Hiking', 'category:hiking'],
    ['CATEGORY:HIKING', 'category:hiking'],
  ])('normalizeKey(%j) is %j, as the profile spells keys', (key, normalized) => {
    expect(normalizeKey(key)).toBe(normalized)
  })

  it('a value that lengthens as it is lower-cased is cut to 256 characters, and its key reads back', () => {
    // 'İ' (1 character) lower-cases to 'i̇' (2): 200 of them are 400.
    const [key] = itemKeys({ id: 'a', category: '\u0130'.repeat(200) })
    expect(key!.length - 'category:'.length).toBeLessThanOrEqual(256)
    expect(parseKey(key)).not.toBeNull()
    expect(normalizeKey(key)).toBe(key)
    const facts = itemFacts('track()', { id: 'a', category: '\u0130'.repeat(200), tags: ['\u{1F600}'.repeat(128)] })
    expect(itemFacts('import()', facts)).toEqual(facts)
    // (Not cut between the halves of a surrogate pair.)
    expect(facts.tags![0]!.length).toBe(256)
    expect(itemFacts('track()', { id: 'a', tags: ['\u0130x' + '\u{1F600}'.repeat(127)] }).tags![0]).toBe('i\u0307x' + '\u{1F600}'.repeat(126))
  })

  it.each([
    ['category:sports/hiking/boots', 'category:sports'],
    ['category:hiking', 'category:hiking'],
    ['tag:a/b', 'tag:a/b'],
  ])('rootKey(%j) is %j', (key, root) => {
    expect(rootKey(key)).toBe(root)
  })

  it('matches sensitive prefixes on whole segments', () => {
    expect(underAny('health/pharmacy', ['health'])).toBe(true)
    expect(underAny('health', ['health'])).toBe(true)
    expect(underAny('healthy-snacks/chips', ['health'])).toBe(false)
    expect(underAny(undefined, ['health'])).toBe(false)
  })

  it('reads Cyrillic and Greek letters drawn as Latin ones as those, for sensitive prefixes only', () => {
    // A Cyrillic е, а and һ, a Greek ο.
    expect(underAny('h\u0435alth/tests', ['health'])).toBe(true)
    expect(underAny('\u04bbe\u0430lth', ['Health'])).toBe(true)
    expect(underAny('d\u03bfctor', ['doctor'])).toBe(true)
    // A store in Russian keeps its own words apart, and its own sensitive prefixes work.
    expect(underAny('одежда/куртки', ['health'])).toBe(false)
    expect(underAny('здоровье/тесты', ['Здоровье'])).toBe(true)
    expect(underAny('здоровье/тесты', ['одежда'])).toBe(false)
    // Keys keep the spelling as typed.
    expect(itemKeys({ id: 'a', category: 'h\u0435alth' })).toEqual(['category:h\u0435alth'])
  })

  it('keysOf reads stored facts without validating again', () => {
    expect(keysOf({ id: 'a', category: 'a/b', brand: 'c' })).toEqual(['category:a', 'category:a/b', 'brand:c'])
  })
})
