// The Node half of `npm run bench`: track() in memory and rank(), for Palate and for
// @uniformdev/context doing the same work (see uniform.mjs for how one maps onto the other).
import { createPalate } from '@palate/core'
import { products, profileItems, shoppingYear, vocabulary } from '../../examples/bench/catalog.js'
import { medianOf } from './measure.mjs'
import { createUniformContext, dimensionCount, enrichmentsOf, uniformRank, uniformTrack, variantOf, WEIGHTS } from './uniform.mjs'

/** The profile every rank() and track() figure runs against: 200 interest keys. */
export const PROFILE_200 = { departments: 10, sections: 5, tags: 140 }
/** Tags on candidates that the profile has never seen, as a real catalog has. */
const UNSEEN_TAGS = ['plain', 'basic', 'value', 'outlet']

async function palateWithProfile(spec) {
  const palate = createPalate({ name: 'palate-bench', storage: 'memory' })
  await palate.ready
  for (const item of profileItems(vocabulary(spec))) palate.track('view', item)
  await palate.flush()
  const dump = await palate.export()
  return { palate, keys: dump.keys.filter((record) => !record.key.startsWith('#')).length }
}

async function uniformWithProfile(spec) {
  const context = createUniformContext()
  for (const item of profileItems(vocabulary(spec))) await uniformTrack(context, 'view', item)
  return { context, keys: dimensionCount(context) }
}

/** Milliseconds per event of `count` back-to-back `track()` calls. */
export async function trackInMemory({ count = 20_000 } = {}) {
  const { palate, keys } = await palateWithProfile(PROFILE_200)
  const items = products(2000, vocabulary(PROFILE_200), { seed: 11 })
  let next = 0
  const result = await medianOf(() => {
    const t0 = performance.now()
    for (let i = 0; i < count; i++) palate.track('view', items[next++ % items.length])
    return (performance.now() - t0) / count
  })
  // Written before the next figure starts, not in the background of it.
  await palate.flush()
  palate.close()
  return { ...result, keys }
}

/**
 * Milliseconds per event of Uniform's `update()`. Calls are issued back to back and the last one
 * awaited: their work is synchronous up to an awaited no-op, like a storefront firing and forgetting.
 */
export async function uniformUpdate({ count = 2000 } = {}) {
  const { context, keys } = await uniformWithProfile(PROFILE_200)
  const items = products(2000, vocabulary(PROFILE_200), { seed: 11 })
  let next = 0
  const result = await medianOf(async () => {
    const t0 = performance.now()
    let last
    for (let i = 0; i < count; i++) last = uniformTrack(context, 'view', items[next++ % items.length])
    await last
    return (performance.now() - t0) / count
  })
  return { ...result, keys }
}

/**
 * `rank(items, { limit: 24 })` in milliseconds per call, `repeated` on the same objects and
 * `first` on fresh copies (what the per-object normalization cache cannot help with).
 */
export async function rank({ count, repeat }) {
  const { palate, keys } = await palateWithProfile(PROFILE_200)
  const items = products(count, vocabulary(PROFILE_200), { seed: 7, extraTags: UNSEEN_TAGS })
  const check = palate.rank(items, { limit: 24 })
  const repeated = await medianOf(() => {
    const t0 = performance.now()
    for (let i = 0; i < repeat; i++) palate.rank(items, { limit: 24 })
    return (performance.now() - t0) / repeat
  })
  const first = await medianOf(() => {
    const batches = Array.from({ length: repeat }, () => items.map((item) => ({ ...item, tags: [...item.tags] })))
    const t0 = performance.now()
    for (const batch of batches) palate.rank(batch, { limit: 24 })
    return (performance.now() - t0) / repeat
  })
  palate.close()
  return { repeated, first, keys, returned: check.length, personalized: check.filter((r) => r.reason.kind === 'interest').length }
}

/** Uniform's strongest-score `personalize()` over the same candidates, `take: 24`. */
export async function uniformPersonalize({ count, repeat }) {
  const { context, keys } = await uniformWithProfile(PROFILE_200)
  const items = products(count, vocabulary(PROFILE_200), { seed: 7, extraTags: UNSEEN_TAGS })
  const variants = items.map(variantOf)
  const check = uniformRank(context, variants, 24)
  const repeated = await medianOf(() => {
    const t0 = performance.now()
    for (let i = 0; i < repeat; i++) uniformRank(context, variants, 24)
    return (performance.now() - t0) / repeat
  })
  const first = await medianOf(() => {
    const batches = Array.from({ length: repeat }, () => items.map(variantOf))
    const t0 = performance.now()
    for (const batch of batches) uniformRank(context, batch, 24)
    return (performance.now() - t0) / repeat
  })
  return { repeated, first, keys, returned: check.variations.length, personalized: check.personalized }
}

/**
 * What Uniform keeps after the same simulated year as Palate's stored-bytes figure: the JSON its
 * VisitorDataStore writes to localStorage (`{ updated, visitorData }`). Its scores are plain sums
 * of enrichment strengths (no decay between updates less than a day apart in real time, and the
 * year is replayed in seconds), so feeding each product's summed strength once gives exactly the
 * vector that 100,000 single updates would: same dimensions, same scores.
 */
export async function uniformYearBytes({ events }) {
  const { catalog, days } = shoppingYear({ events })
  const totals = new Map()
  for (const day of days) for (const { type, index } of day.events) totals.set(index, (totals.get(index) ?? 0) + WEIGHTS[type])
  const context = createUniformContext()
  for (const [index, str] of totals) await context.update({ enrichments: enrichmentsOf(catalog[index], str) })
  const persisted = JSON.stringify({ updated: Date.now(), visitorData: context.storage.data })
  return { bytes: Buffer.byteLength(persisted), dims: dimensionCount(context) }
}
