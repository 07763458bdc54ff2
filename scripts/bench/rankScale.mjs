// rank() on the profile (about 450 keys: 40 categories x 5 subcategories, 200 tags,
// 30 brands) against Uniform's personalize() in the same process: a cold call (ids never ranked,
// fresh objects) and a repeated call (the same objects again), at 1,000 / 10,000 / 100,000 items.
import { seededRandom } from '../../examples/bench/catalog.js'
import { median, yieldToLoop } from './measure.mjs'
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


/** Items that touch every key of the vocabulary once, then skewed views. */
export function profileViews(vocab) {
  const random = seededRandom(2)
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
  const random = seededRandom(7 + batch)
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

/** Calls per sample, so that a sample lasts long enough for the clock (and one hiccup counts less). */
const callsPer = (count) => Math.max(1, Math.round(20_000 / count))

/**
 * One sample of each figure, Palate's and Uniform's in turn, `runs` times after `warmup`: machine
 * noise hits both alike. Cold: every call on new candidates (new ids, new objects), built before
 * the clock starts. Repeated: the same candidates as the call just before. Milliseconds per call.
 */
export async function scaleRow(ours, theirs, count, { runs, warmup }) {
  const calls = callsPer(count)
  const samples = { palate: { cold: [], repeated: [] }, uniform: { cold: [], repeated: [] } }
  const same = candidates(count, ours.vocab, ++batches)
  const sameVariants = candidates(count, ours.vocab, ++batches).map(variantOf)
  ours.palate.rank(same, { limit: LIMIT })
  uniformRank(theirs.context, sameVariants, LIMIT)
  const time = (run) => {
    const t0 = performance.now()
    run()
    return (performance.now() - t0) / calls
  }
  for (let r = 0; r < warmup + runs; r++) {
    const keep = r >= warmup
    const fresh = Array.from({ length: calls }, () => candidates(count, ours.vocab, ++batches))
    await yieldToLoop()
    const palateCold = time(() => {
      for (const items of fresh) ours.palate.rank(items, { limit: LIMIT })
    })
    const variants = Array.from({ length: calls }, () => candidates(count, ours.vocab, ++batches).map(variantOf))
    await yieldToLoop()
    const uniformCold = time(() => {
      for (const list of variants) uniformRank(theirs.context, list, LIMIT)
    })
    await yieldToLoop()
    // "Again" is right after a call on the same candidates (a re-render), not after the cold
    // calls above on others: that call first, unmeasured.
    ours.palate.rank(same, { limit: LIMIT })
    const palateRepeated = time(() => {
      for (let i = 0; i < calls; i++) ours.palate.rank(same, { limit: LIMIT })
    })
    await yieldToLoop()
    uniformRank(theirs.context, sameVariants, LIMIT)
    const uniformRepeated = time(() => {
      for (let i = 0; i < calls; i++) uniformRank(theirs.context, sameVariants, LIMIT)
    })
    if (!keep) continue
    samples.palate.cold.push(palateCold)
    samples.uniform.cold.push(uniformCold)
    samples.palate.repeated.push(palateRepeated)
    samples.uniform.repeated.push(uniformRepeated)
  }
  const of = (side) => ({ cold: median(side.cold), repeated: median(side.repeated) })
  return { count, calls, palate: of(samples.palate), uniform: of(samples.uniform) }
}

/** Both libraries on the profile, at each size. */
export async function rankScale(createPalate, { sizes = [1000, 10_000, 100_000], runs = 9, warmup = 2 } = {}) {
  const ours = await palateProfile(createPalate)
  const theirs = await uniformProfile()
  // Both compiled before anything is measured: the first size must not pay for the JIT.
  for (let i = 0; i < 5; i++) {
    uniformRank(theirs.context, candidates(10_000, theirs.vocab, ++batches).map(variantOf), LIMIT)
    ours.palate.rank(candidates(10_000, ours.vocab, ++batches), { limit: LIMIT })
  }
  const rows = []
  for (const count of sizes) rows.push(await scaleRow(ours, theirs, count, count >= 100_000 ? { runs: Math.max(5, runs >> 1), warmup: 1 } : { runs, warmup }))
  ours.palate.close()
  return { rows, keys: ours.keys, uniformKeys: theirs.keys }
}

/**
 * What ranking holds on to, in bytes of heap (Node, after full collections): once the caller has
 * let go of a 100,000-item call's candidates, then after `close()`. `gc` is V8's.
 */
export async function heldByRanking(createPalate, gc, count = 100_000) {
  const heap = async () => {
    await yieldToLoop()
    gc()
    gc()
    return (await import('node:v8')).getHeapStatistics().used_heap_size
  }
  const { palate, vocab } = await palateProfile(createPalate)
  palate.rank(candidates(1000, vocab, ++batches), { limit: LIMIT })
  const before = await heap()
  let items = candidates(count, vocab, ++batches)
  const itemsBytes = (await heap()) - before
  palate.rank(items, { limit: LIMIT })
  items = null
  const held = (await heap()) - before
  palate.close()
  const closed = (await heap()) - before
  return { count, itemsBytes, held, closed }
}

if (typeof process !== 'undefined' && import.meta.url === `file://${process.argv[1]}`) {
  const { createPalate } = await import(process.env.PALATE_ENTRY ?? '@palate/core')
  const { rows, keys, uniformKeys } = await rankScale(createPalate)
  console.log(`profile: Palate ${keys} keys, Uniform ${uniformKeys} dimensions`)
  for (const { count, palate, uniform } of rows) {
    console.log(
      `${String(count).padStart(7)} items  cold ${palate.cold.toFixed(3)} ms vs ${uniform.cold.toFixed(3)} ms (${(palate.cold / uniform.cold).toFixed(2)}x)` +
        `  repeated ${palate.repeated.toFixed(3)} ms vs ${uniform.repeated.toFixed(3)} ms (${(palate.repeated / uniform.repeated).toFixed(2)}x)`,
    )
  }
}
