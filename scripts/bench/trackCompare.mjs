// Compares track() in memory across versions of core in one process, interleaved, so that a noisy
// machine slows every version alike and only the ratios are read.
//
// Each version is bundled from source with esbuild: a git ref (its packages/core/src, by
// `git archive`) or `.` for the working tree. Per round, every version times 20,000 views over
// 2,000 products (as `npm run bench` does), then 5,000 views of items never seen before, each on a
// profile of 200 keys, and the flush that writes them; the figures are medians over the rounds,
// with each version's ratio to the first one named.
//
// Usage: node scripts/bench/trackCompare.mjs [ROUNDS] REF_OR_DOT...
//   e.g. node scripts/bench/trackCompare.mjs 12 553ebeb^ main .
// The bundles are built in .track-compare/ and removed after; KEEP=1 keeps them (to profile one).
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { products, profileItems, vocabulary } from '../../examples/bench/catalog.js'
import { median } from './measure.mjs'

const PROFILE_200 = { departments: 10, sections: 5, tags: 140 }
const root = resolve(import.meta.dirname, '../..')
const args = process.argv.slice(2)
const rounds = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 12
const refs = args.length ? args : ['.']
// Inside the repository, so that the bundles resolve their dependencies from its node_modules.
const work = join(root, '.track-compare')
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true })
mkdirSync(work)

async function bundle(ref, i) {
  let entry = join(root, 'packages/core/src/index.ts')
  if (ref !== '.') {
    const dir = join(work, `src-${i}`)
    mkdirSync(dir)
    const archive = execFileSync('git', ['archive', ref, 'packages/core/src'], { cwd: root, maxBuffer: 1 << 28 })
    execFileSync('tar', ['-x', '-C', dir], { input: archive })
    entry = join(dir, 'packages/core/src/index.ts')
  }
  const outfile = join(work, `core-${i}.mjs`)
  await build({ entryPoints: [entry], bundle: true, format: 'esm', outfile, platform: 'browser', target: 'es2022', logLevel: 'error' })
  return import(pathToFileURL(outfile).href)
}

async function withProfile(core, name) {
  const palate = core.createPalate({ name, storage: 'memory' })
  await palate.ready
  for (const item of profileItems(vocabulary(PROFILE_200))) palate.track('view', item)
  await palate.flush()
  return palate
}

/**
 * Microseconds per `track('view')` over `items`, from `start`, `count` calls, and per call with
 * the flush that writes them to the memory store after.
 */
async function timeViews(palate, items, start, count) {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) palate.track('view', items[(start + i) % items.length])
  const t1 = performance.now()
  await palate.flush()
  const t2 = performance.now()
  return [((t1 - t0) / count) * 1000, ((t2 - t0) / count) * 1000]
}

const cores = []
for (const [i, ref] of refs.entries()) cores.push(await bundle(ref, i))
const repeated = products(2000, vocabulary(PROFILE_200), { seed: 11 })
const fresh = products(200_000, vocabulary(PROFILE_200), { seed: 12 })
const subjects = []
for (const [i, core] of cores.entries()) {
  const views = await withProfile(core, `views-${i}`)
  subjects.push({ ref: refs[i], views, fresh: await withProfile(core, `fresh-${i}`), a: [], aw: [], b: [], bw: [] })
}
let next = 0
let nextFresh = 0
for (let round = -2; round < rounds; round++) {
  // Each round starts with the next version, so that none is always first after a pause.
  for (let k = 0; k < subjects.length; k++) {
    const s = subjects[(k + round + 2) % subjects.length]
    const a = await timeViews(s.views, repeated, next, 20_000)
    const b = await timeViews(s.fresh, fresh, nextFresh, 5000)
    // Two warm-up rounds, unmeasured.
    if (round >= 0) s.a.push(a[0]), s.aw.push(a[1]), s.b.push(b[0]), s.bw.push(b[1])
  }
  next += 20_000
  nextFresh += 5000
}
const base = subjects[0]
console.log(`track('view') in memory, 200-key profile, µs per call (+ the flush after), medians of ${rounds} interleaved rounds`)
const cell = (s, field) => `${median(s[field]).toFixed(2)} (×${(median(s[field]) / median(base[field])).toFixed(2)})`
for (const s of subjects) {
  console.log(`${s.ref.padEnd(10)} views ${cell(s, 'a')} +flush ${cell(s, 'aw')}   never-seen ${cell(s, 'b')} +flush ${cell(s, 'bw')}`)
}
for (const s of subjects) s.views.close(), s.fresh.close()
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true })
