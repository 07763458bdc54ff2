// rank() of two builds of the engine side by side in one Chromium page, on the bench's issue
// profile (scripts/bench/rankScale.mjs): for telling whether a change to rank() helps, where the
// noise of this shared machine hides 10% between two runs of `npm run bench`.
//
//   npm run build --silent && cp examples/build/core.js /tmp/a.js
//   (change something) npm run build --silent && cp examples/build/core.js /tmp/b.js
//   node scripts/bench/rank-ab.mjs /tmp/a.js /tmp/b.js [--items 10000] [--runs 30]
//
// Both builds get the same profile (storage: 'memory'). Each sample is one build's calls on
// never-seen items (new ids, new objects, built before the clock starts); the builds take turns,
// A then B, then B then A, so that the machine's noise hits both alike. Prints each build's median
// ms per call, B ÷ A, the median of the per-pair ratios, and whether both built the same shelf.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright'
import { startServer } from '../serve.mjs'

const { values, positionals } = parseArgs({ options: { items: { type: 'string', default: '10000' }, runs: { type: 'string', default: '30' } }, allowPositionals: true })
if (positionals.length !== 2) {
  console.error('usage: node scripts/bench/rank-ab.mjs <build A core.js> <build B core.js> [--items 10000] [--runs 30]')
  process.exit(2)
}
const items = Number(values.items)
const runs = Number(values.runs)
const page = `
import * as A from '/ab/A.js'
import * as B from '/ab/B.js'
import { bigVocabulary, candidates, profileViews } from '/ab/rankScale.mjs'
const vocab = bigVocabulary()
// One clock for both builds: scores decay with time, and a shelf compared a moment later could
// swap two items whose scores differ in the eighth digit.
const at = Date.now()
async function profiled(engine, name) {
  const palate = engine.createPalate({ name, storage: 'memory', now: () => at })
  await palate.ready
  for (const item of profileViews(vocab)) palate.track('view', item)
  await palate.flush()
  return palate
}
const builds = { A: await profiled(A, 'a'), B: await profiled(B, 'b') }
let batch = 0
const calls = Math.max(1, Math.round(20000 / ${items}))
for (let i = 0; i < 5; i++) for (const palate of Object.values(builds)) palate.rank(candidates(10000, vocab, ++batch), { limit: 24 })
const out = { A: [], B: [] }
for (let r = 0; r < ${runs}; r++) {
  for (const which of r % 2 ? ['A', 'B'] : ['B', 'A']) {
    const fresh = Array.from({ length: calls }, () => candidates(${items}, vocab, ++batch))
    await new Promise((resolve) => setTimeout(resolve, 0))
    const t0 = performance.now()
    for (const list of fresh) builds[which].rank(list, { limit: 24 })
    out[which].push((performance.now() - t0) / calls)
  }
}
const shelf = (palate, list) => palate.rank(list, { limit: 24 }).map((r) => r.item.id + ':' + r.reason.kind).join()
const check = candidates(${items}, vocab, 1e6)
console.log('palate-ab ' + JSON.stringify({ out, same: shelf(builds.A, check) === shelf(builds.B, check) }))
`
const files = {
  '/ab/A.js': readFileSync(positionals[0], 'utf8'),
  '/ab/B.js': readFileSync(positionals[1], 'utf8'),
  '/ab/rankScale.mjs': readFileSync(new URL('./rankScale.mjs', import.meta.url), 'utf8').replace(/^import .*uniform\.mjs'\n/m, ''),
  '/ab/measure.mjs': readFileSync(new URL('./measure.mjs', import.meta.url), 'utf8'),
  '/examples/bench/catalog.js': readFileSync(new URL('../../examples/bench/catalog.js', import.meta.url), 'utf8'),
  '/ab/page.js': page,
  '/ab/index.html': '<!doctype html><script type="module" src="/ab/page.js"></script>',
}
const server = await startServer(0, '127.0.0.1', { cache: true, files })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' })
try {
  const tab = await browser.newPage()
  tab.on('pageerror', (error) => console.error(error))
  const result = tab.waitForEvent('console', { predicate: (message) => message.text().startsWith('palate-ab '), timeout: 600_000 })
  await tab.goto(`http://127.0.0.1:${server.address().port}/ab/index.html`)
  const { out, same } = JSON.parse((await result).text().slice('palate-ab '.length))
  const median = (list) => list.slice().sort((a, b) => a - b)[list.length >> 1]
  const [a, b] = [median(out.A), median(out.B)]
  const pairs = median(out.A.map((v, i) => out.B[i] / v))
  console.log(`Chromium ${browser.version()}, rank() of ${items.toLocaleString('en')} never-seen items, ${runs} samples of each, medians:`)
  console.log(`A ${a.toFixed(3)} ms · B ${b.toFixed(3)} ms · B ÷ A ${(b / a).toFixed(3)} · median of pairs ${pairs.toFixed(3)} · same shelf: ${same ? 'yes' : 'NO'}`)
} finally {
  await browser.close()
  server.close()
}
