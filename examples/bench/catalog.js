// Deterministic catalogs and shopping histories for the benchmarks (`npm run bench`). Plain ES
// module with no imports, so the Node side (scripts/bench/) and the bench page load the very same
// data: a figure measured in Node and one measured in Chromium describe the same work.

/** A small seeded PRNG (mulberry32): the same seed gives the same catalog on every machine. */
export function seededRandom(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Real-looking words, so that stored records have the length real ones would.
const DEPARTMENTS = [
  'sports', 'outdoor', 'home', 'kitchen', 'garden', 'toys', 'beauty', 'fashion', 'electronics', 'books',
  'grocery', 'pets', 'office', 'music', 'baby', 'health', 'automotive', 'crafts', 'travel', 'games',
]
const SECTIONS = ['essentials', 'accessories', 'equipment', 'apparel', 'footwear', 'care', 'storage', 'lighting', 'tools']
const SHELVES = ['basics', 'premium', 'kids', 'travel-size']
const ADJECTIVES = [
  'waterproof', 'lightweight', 'organic', 'recycled', 'wireless', 'handmade', 'vegan', 'compact', 'insulated', 'durable',
  'breathable', 'rechargeable', 'foldable', 'eco', 'classic', 'limited', 'bestseller', 'new', 'giftable', 'refurbished',
]
const BRANDS = ['summit', 'ridgeway', 'ironclad', 'lotus', 'stride', 'swell', 'forge', 'northwind', 'acme', 'harbor']

/** `n` distinct tag names: `waterproof`, …, then `waterproof-2`, … */
function tagNames(n) {
  return Array.from({ length: n }, (_, i) => ADJECTIVES[i % ADJECTIVES.length] + (i < ADJECTIVES.length ? '' : `-${Math.floor(i / ADJECTIVES.length) + 1}`))
}

/**
 * A vocabulary of `departments` top-level categories with `sections` children each, and `tags`
 * tags: `departments * (1 + sections) + tags` interest keys in all.
 */
export function vocabulary({ departments, sections, tags }) {
  if (departments > DEPARTMENTS.length || sections > SECTIONS.length) throw new Error('vocabulary too large for the word lists')
  const categories = []
  for (const dept of DEPARTMENTS.slice(0, departments)) for (const section of SECTIONS.slice(0, sections)) categories.push(`${dept}/${section}`)
  return { categories, tags: tagNames(tags), keyCount: departments * (1 + sections) + tags }
}

function pickDistinct(random, pool, count, skew = 1) {
  const out = new Set()
  while (out.size < count) out.add(pool[Math.floor(random() ** skew * pool.length)])
  return [...out]
}

/**
 * `n` products, each with a two-level category and 3 tags, drawn from `vocab` (skewed towards the
 * start of each list, the way a few categories hold most of a shop's traffic).
 */
export function products(n, vocab, { seed = 1, prefix = 'sku', extraTags = [] } = {}) {
  const random = seededRandom(seed)
  const tagPool = vocab.tags.concat(extraTags)
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(6, '0')}`,
    category: vocab.categories[Math.floor(random() ** 1.5 * vocab.categories.length)],
    tags: pickDistinct(random, tagPool, 3, 1.3),
  }))
}

/**
 * Items whose views build a profile holding exactly every key of `vocab`: one pass that touches
 * every category and tag, then `extra` skewed views so the interests are not all equal.
 */
export function profileItems(vocab, { extra = 1500, seed = 2 } = {}) {
  const random = seededRandom(seed)
  const items = []
  const passes = Math.max(vocab.categories.length, Math.ceil(vocab.tags.length / 3))
  for (let i = 0; i < passes; i++) {
    const tags = [0, 1, 2].map((k) => vocab.tags[(i * 3 + k) % vocab.tags.length])
    items.push({ id: `seen-${i}`, category: vocab.categories[i % vocab.categories.length], tags: [...new Set(tags)] })
  }
  for (let i = 0; i < extra; i++) {
    items.push({
      id: `seen-${passes + i}`,
      category: vocab.categories[Math.floor(random() ** 2 * vocab.categories.length)],
      tags: pickDistinct(random, vocab.tags, 3, 2),
    })
  }
  return items
}

/** Event types of a day's shopping, by share: mostly looking, some carts, a few purchases. */
const DAY_MIX = [
  ['view', 0.8],
  ['click', 0.1],
  ['add_to_cart', 0.05],
  ['wishlist', 0.02],
  ['purchase', 0.02],
  ['dismiss', 0.01],
]

/**
 * A year of daily shopping: `events` events spread over `days` days, on a store of 3-level
 * categories, tags and brands, with interests that drift month by month. Returns
 * `{ catalog, days: [{ t0, events: [{ type, index, dt }] }] }` where `index` points into `catalog`
 * and `dt` is the offset in ms within the day. Compact, so the page can receive it in one message.
 */
export function shoppingYear({ events = 100_000, days = 365, seed = 3, start = Date.UTC(2025, 0, 1) } = {}) {
  const random = seededRandom(seed)
  const tags = tagNames(200)
  const catalog = []
  for (let i = 0; i < 4000; i++) {
    const dept = DEPARTMENTS[Math.floor(random() * 12)]
    const section = SECTIONS[Math.floor(random() * 6)]
    const shelf = SHELVES[Math.floor(random() * SHELVES.length)]
    catalog.push({
      id: `sku-${String(i).padStart(6, '0')}`,
      category: `${dept}/${section}/${shelf}`,
      tags: pickDistinct(random, tags, 2 + Math.floor(random() * 3)),
      brand: BRANDS[Math.floor(random() * BRANDS.length)],
      price: Math.round(random() * 20000) / 100,
    })
  }
  const byDept = new Map()
  catalog.forEach((item, index) => {
    const dept = item.category.split('/')[0]
    if (!byDept.has(dept)) byDept.set(dept, [])
    byDept.get(dept).push(index)
  })
  const depts = [...byDept.keys()]
  const out = []
  let focus = []
  for (let day = 0; day < days; day++) {
    // Every month, a new mix of two or three departments holds most of the attention.
    if (day % 30 === 0) focus = pickDistinct(random, depts, 2 + Math.floor(random() * 2))
    const count = Math.floor((events * (day + 1)) / days) - Math.floor((events * day) / days)
    const list = []
    for (let k = 0; k < count; k++) {
      const dept = random() < 0.85 ? focus[Math.floor(random() * focus.length)] : depts[Math.floor(random() * depts.length)]
      const pool = byDept.get(dept)
      let r = random()
      let type = 'view'
      for (const [name, share] of DAY_MIX) {
        if ((r -= share) < 0) {
          type = name
          break
        }
      }
      // A shopping session in the evening: a few hours, events in order.
      list.push({ type, index: pool[Math.floor(random() * pool.length)], dt: 18 * 3600_000 + Math.floor((k / count) * 4 * 3600_000) })
    }
    out.push({ t0: start + day * 86_400_000, events: list })
  }
  return { catalog, days: out }
}
