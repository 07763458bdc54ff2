// rank() on the profile (about 450 keys: 40 categories x 5 subcategories, 200 tags,
// 30 brands) against Uniform's personalize() in the same process: a cold call (ids never ranked,
// fresh objects) and a repeated call (the same objects again), at 1,000 / 10,000 / 100,000 items.
import { medianOf } from './measure.mjs'
import { createUniformContext, dimensionCount, uniformRank, uniformTrack, variantOf } from './uniform.mjs'

const LIMIT = 24

/** The vocabulary: 40 departments with 5 sections each, 200 tags, 30 brands. */
export function bigVocabulary() {
  const categories = []
  for (let d = 0; d < 40; d++) for (let s = 0; s < 5; s++) categories.push(`department-${d}/section-${s}`)
  const tags = Array.from({ length: 200 }, (_, i) => `tag-${i}`)
  const brands = Array.from({ length: 30 }, (_, i) => `brand-${i}`)
  return { categories, tags, brands }
}

function seeded(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Items that touch every key of the vocabulary once, then skewed views. */
function profileViews(vocab) {
  const random = seeded(2)
  const out = []
  for (let i = 0; i < 200; i++) {
    out.push({ id: `seen-${i}`, category: vocab.categories[i], tags: [vocab.tags[i]], brand: vocab.brands[i % 30] })
  }
  for (let i = 0; i < 1500; i++) {
    const pick = (list) => list[Math.floor(random() ** 2 * list.length)]
    out.push({ id: `seen-x${i}`, category: pick(vocab.categories), tags: [pick(vocab.tags), pick(vocab.tags)], brand: pick(vocab.brands) })
  }
  return out
}

/** `n` candidates with a subcategory and 3 tags; `batch` makes the ids new for every call. */
export function candidates(n, vocab, batch) {
  const random = seeded(7 + batch)
  return Array.from({ length: n }, (_, i) => {
    const tags = new Set()
    while (tags.size < 3) tags.add(vocab.tags[Math.floor(random() ** 1.3 * vocab.tags.length)])
    return { id: `b${batch}-${i}`, category: vocab.categories[Math.floor(random() ** 1.5 * vocab.categories.length)], tags: [...tags] }
  })
}

export async function palateProfile(createPalate) {
  const vocab = bigVocabulary()
  const palate = createPalate({ name: 'palate-bench-scale', storage: 'memory' })
  await palate.ready
  for (const item of profileViews(vocab)) palate.track('view', item)
  await palate.flush()
  const dump = await palate.export()
  return { palate, vocab, keys: dump.keys.filter((record) => !record.key.startsWith('#')).length }
}

export async function uniformProfile() {
  const vocab = bigVocabulary()
  const context = createUniformContext()
  for (const item of profileViews(vocab)) await uniformTrack(context, 'view', item)
  return { context, vocab, keys: dimensionCount(context) }
}

let batches = 0

/** Cold and repeated rank() in ms per call, for `count` candidates. */
export async function palateScale(palate, vocab, count, runs) {
  const repeatedItems = candidates(count, vocab, ++batches)
  palate.rank(repeatedItems, { limit: LIMIT })
  const repeated = await medianOf(() => {
    const t0 = performance.now()
    palate.rank(repeatedItems, { limit: LIMIT })
    return performance.now() - t0
  }, runs)
  const cold = await medianOf(() => {
    const items = candidates(count, vocab, ++batches)
    const t0 = performance.now()
    palate.rank(items, { limit: LIMIT })
    return performance.now() - t0
  }, runs)
  return { cold: cold.median, repeated: repeated.median }
}

export async function uniformScale(context, vocab, count, runs) {
  const variants = candidates(count, vocab, ++batches).map(variantOf)
  uniformRank(context, variants, LIMIT)
  const repeated = await medianOf(() => {
    const t0 = performance.now()
    uniformRank(context, variants, LIMIT)
    return performance.now() - t0
  }, runs)
  const cold = await medianOf(() => {
    const fresh = candidates(count, vocab, ++batches).map(variantOf)
    const t0 = performance.now()
    uniformRank(context, fresh, LIMIT)
    return performance.now() - t0
  }, runs)
  return { cold: cold.median, repeated: repeated.median }
}

/** Both libraries, interleaved per size so that machine noise hits both alike. */
export async function rankScale(createPalate, { sizes = [1000, 10_000, 100_000] } = {}) {
  const ours = await palateProfile(createPalate)
  const theirs = await uniformProfile()
  // Both compiled before anything is measured: the first size must not pay for the JIT.
  for (let i = 0; i < 5; i++) {
    uniformRank(theirs.context, candidates(10_000, theirs.vocab, ++batches).map(variantOf), LIMIT)
    ours.palate.rank(candidates(10_000, ours.vocab, ++batches), { limit: LIMIT })
  }
  const rows = []
  for (const count of sizes) {
    const runs = count >= 100_000 ? { runs: 5, warmup: 1 } : { runs: 9, warmup: 2 }
    const u = await uniformScale(theirs.context, theirs.vocab, count, runs)
    const p = await palateScale(ours.palate, ours.vocab, count, runs)
    rows.push({ count, palate: p, uniform: u })
  }
  ours.palate.close()
  return { rows, keys: ours.keys, uniformKeys: theirs.keys }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { createPalate } = await import(process.env.PALATE_ENTRY ?? '@palate/core')
  const { rows, keys, uniformKeys } = await rankScale(createPalate)
  console.log(`profile: Palate ${keys} keys, Uniform ${uniformKeys} dimensions`)
  for (const { count, palate, uniform } of rows) {
    console.log(
      `${String(count).padStart(7)} items  cold ${palate.cold.toFixed(2)} ms vs ${uniform.cold.toFixed(2)} ms (${(palate.cold / uniform.cold).toFixed(2)}x)` +
        `  repeated ${palate.repeated.toFixed(2)} ms vs ${uniform.repeated.toFixed(2)} ms (${(palate.repeated / uniform.repeated).toFixed(2)}x)`,
    )
  }
}
