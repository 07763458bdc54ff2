// `node --expose-gc scripts/memory.mjs`: what one instance holds as a shopper's history grows. Tracks
// 2,000, 20,000 and 200,000 distinct items (each its own id, a few hundred categories and tags), and
// ranks as many never-seen items in shelves of 1,000, then reports the heap, interests() and rank()
// time, and the heap once close() let go. Flat means: ten times the items, about the same figures.
// Run `npm run build` first (it reads packages/core/dist).
import { createPalate } from '@palate/core'

if (typeof globalThis.gc !== 'function') {
  console.error('Run with node --expose-gc scripts/memory.mjs: the heap figures need a collection first.')
  process.exit(2)
}

const SIZES = [2_000, 20_000, 200_000]

function item(i, prefix) {
  return { id: `${prefix}-${i}`, category: `dept-${i % 40}/section-${i % 200}`, tags: [`tag-${i % 300}`, `tag-${(i * 7) % 300}`], brand: `brand-${i % 30}` }
}

function heapMB() {
  globalThis.gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

/** Median milliseconds of `runs` calls of `fn`. */
function timed(fn, runs = 15) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[runs >> 1]
}

async function measure(count) {
  const before = heapMB()
  const palate = createPalate({ name: `memory-${count}`, storage: 'memory' })
  await palate.ready
  for (let i = 0; i < count; i++) palate.track('view', item(i, 'seen'))
  await palate.flush()
  for (let start = 0; start < count; start += 1000) {
    const shelf = []
    for (let i = start; i < Math.min(count, start + 1000); i++) shelf.push(item(i, 'shown'))
    palate.rank(shelf, { limit: 24 })
  }
  const held = heapMB() - before
  const probe = [item(0, 'probe')]
  // Each time after a new event, so the interests are worked out again, not read from the last call.
  const interestsMs = timed(() => {
    palate.track('click', probe[0]) // a click, not a view: a repeat view within the visit counts once
    palate.interests()
  })
  const rankOneMs = timed(() => palate.rank(probe))
  const shelf = Array.from({ length: 1000 }, (_, i) => item(i, 'again'))
  const rankShelfMs = timed(() => palate.rank(shelf, { limit: 24 }))
  const keys = (await palate.export()).keys.length
  palate.close()
  // close() writes what is pending, then lets go of the store: measured once it has.
  await new Promise((resolve) => setTimeout(resolve, 100))
  const afterClose = heapMB() - before
  return { count, keys, held, interestsMs, rankOneMs, rankShelfMs, afterClose }
}

// The first instance also pays for compiling the engine: measured once, not reported.
await measure(500)
const rows = []
for (const count of SIZES) rows.push(await measure(count))

const f = (n, digits = 2) => n.toFixed(digits)
console.log('| distinct items tracked and ranked | stored keys | heap held | track() + interests() | rank() of 1 item | rank() of the same 1,000 items again | heap after close() |')
console.log('| --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows) {
  console.log(
    `| ${r.count.toLocaleString('en-US')} | ${r.keys} | ${f(r.held, 1)} MB | ${f(r.interestsMs, 3)} ms | ${f(r.rankOneMs, 3)} ms | ${f(r.rankShelfMs)} ms | ${f(r.afterClose, 1)} MB |`,
  )
}
const [, mid, big] = rows
console.log(
  `\n200,000 against 20,000 items: heap held ${f(big.held / mid.held)}×, track() + interests() ${f(big.interestsMs / mid.interestsMs)}×, rank() of 1,000 again ${f(big.rankShelfMs / mid.rankShelfMs)}×`,
)
