// `npm run bench`: Palate's speed and footprint, side by side with @uniformdev/context doing the
// same work, as a markdown report. Always exits 0 (it is a report); missed targets are listed at
// the end.
//
// Options (the "first personalized render" is the script-tag demo store's shelf by default):
//   --render-url=/store/                page to load (default /playground/)
//   --render-selector='#shelf > li'     element whose attribute says how it was ranked
//   --render-attr=data-reason           that attribute (default data-reason)
//   --render-default=default            its value for an unpersonalized item (default "default")
//   --render-db=palate-store            IndexedDB name the page's Palate uses
//   --render-seed=seed.json             [{ type, item }] tracked into that database beforehand
// Environment: BENCH_RUNS (7), BENCH_WARMUP (2), BENCH_YEAR_EVENTS (100000), CHROMIUM_PATH.
import { readFileSync } from 'node:fs'
import { cpus, platform, release, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { benchSummary, writeBlock } from '../doc-blocks.mjs'
import { formatBytes, formatMs, formatRatio, median, RUNS, WARMUP } from './measure.mjs'

// No network, ever, from either library: any fetch is an error, and is reported.
const networkAttempts = []
globalThis.fetch = async (input) => {
  networkAttempts.push(String(input?.url ?? input))
  throw new Error('[bench] the network is disabled during benchmarks')
}

const { values: args } = parseArgs({
  options: {
    'render-url': { type: 'string' },
    'render-selector': { type: 'string' },
    'render-attr': { type: 'string' },
    'render-default': { type: 'string' },
    'render-db': { type: 'string' },
    'render-seed': { type: 'string' },
    write: { type: 'boolean' },
  },
})

// A missing build or browser must not end the report: what can be measured still is.
const errors = []
const loaded = async (path) => {
  try {
    return await import(path)
  } catch (error) {
    errors.push(`loading ${path}: ${error.message.split('\n')[0]} (did \`npm run build\` run?)`)
    return null
  }
}
const node = await loaded('./node.mjs')
const chromiumHalf = await loaded('./chromium.mjs')
const STORE_RENDER = chromiumHalf?.STORE_RENDER ?? {}
const uniformVersion = JSON.parse(readFileSync(new URL('../../node_modules/@uniformdev/context/package.json', import.meta.url), 'utf8')).version

const render = {
  url: args['render-url'] ?? STORE_RENDER.url,
  selector: args['render-selector'] ?? STORE_RENDER.selector,
  attribute: args['render-attr'] ?? STORE_RENDER.attribute,
  unpersonalized: args['render-default'] ?? STORE_RENDER.unpersonalized,
  db: args['render-db'] ?? STORE_RENDER.db,
  seed: args['render-seed'] ? JSON.parse(readFileSync(args['render-seed'], 'utf8')) : STORE_RENDER.seed,
}
const yearEvents = Number(process.env.BENCH_YEAR_EVENTS) || 100_000

const started = performance.now()
const progress = (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`)

/** Runs one measurement; a failure becomes a row that says so instead of ending the report. */
async function measure(label, task) {
  if (!node && label.startsWith('node')) return null
  if (!chromiumHalf && label === 'chromium') return null
  progress(label)
  try {
    return await task()
  } catch (error) {
    errors.push(`${label}: ${error.message.split('\n')[0]}`)
    progress(`${label} failed: ${error.stack ?? error}`)
    return null
  }
}

const track = await measure('node: track() in memory', () => node.trackInMemory())
const update = await measure('node: uniform update()', () => node.uniformUpdate())
const scale = await measure('node: rank() / personalize() at 1,000, 10,000, 100,000 items, 450-key profile', async () => {
  const { createPalate } = await import('@palate/core')
  const { rankScale } = await import('./rankScale.mjs')
  return rankScale(createPalate, { runs: RUNS, warmup: WARMUP })
})
const held = await measure('node: memory held by ranking', async () => {
  const { createPalate } = await import('@palate/core')
  const { heldByRanking } = await import('./rankScale.mjs')
  // V8's own collector, asked for from a script (node has no --expose-gc here).
  const { setFlagsFromString } = await import('node:v8')
  const { runInNewContext } = await import('node:vm')
  setFlagsFromString('--expose-gc')
  return heldByRanking(createPalate, runInNewContext('gc'))
})
const uniformYear = await measure('node: uniform after a year', () => node.uniformYearBytes({ events: yearEvents }))
const browser = (await measure('chromium', () => chromiumHalf.runChromium({ render, yearEvents, log: progress }))) ?? { errors: {} }
for (const [name, message] of Object.entries(browser.errors ?? {})) errors.push(`chromium ${name}: ${message}`)

// ---- the report ----------------------------------------------------------------------------------
const rows = []
const missed = []
/** Rows where Palate takes more than Uniform (the issue wants every ratio in Palate's favour). */
const against = []
const NA = 'not measured'

/**
 * One table row. `ours` and `theirs` are numbers (ms, or bytes with `bytes: true`); `limit` is the
 * target (same unit) or undefined when the row has none.
 */
function row({ what, where, ours, limit, limitText, theirs, theirsWhat, bytes = false, text }) {
  const format = bytes ? formatBytes : formatMs
  const measured = typeof ours === 'number' && Number.isFinite(ours)
  let target = '—'
  let mark = ''
  if (limit !== undefined) {
    target = `≤ ${limitText ?? format(limit)}`
    mark = measured ? (ours <= limit ? '✓' : '✗') : '✗'
    if (mark === '✗') missed.push(`${what} (${where}): ${measured ? (text ?? format(ours)) : NA}, target ${target}`)
  }
  const them = theirsWhat ? `${theirsWhat}: ${typeof theirs === 'number' ? format(theirs) : NA}` : '—'
  const ratio = theirsWhat ? formatRatio(ours, theirs) : '—'
  if (theirsWhat && measured && typeof theirs === 'number' && ours > theirs) against.push(`${what} (${where}): Palate ÷ Uniform = ${ratio}`)
  rows.push(`| ${what} | ${where} | ${text ?? (measured ? format(ours) : NA)} | ${target} | ${mark} | ${them} | ${ratio} |`)
}

const perEvent = (result) => result?.median
const b = browser
row({ what: '`track()` per event, in memory (`storage: \'memory\'`)', where: 'Node', ours: perEvent(track), limit: 0.005, limitText: '5 µs', theirs: perEvent(update), theirsWhat: '`update()` per event, in memory' })
for (const batch of [10, 1000]) {
  const theirs = b.track?.uniform?.median
  row({
    what: `\`track()\` per event with its IndexedDB write: ${batch.toLocaleString('en')} calls + \`flush()\`, ÷ ${batch.toLocaleString('en')} (wall clock)`,
    where: 'Chromium',
    ours: b.track?.palate?.[batch]?.median,
    // Events are written in batches (5 s after the first, or when the page is hidden): the
    // amortised figure is the one held to a tenth of Uniform's.
    ...(batch === 1000 && theirs !== undefined ? { limit: theirs / 10, limitText: '0.1× Uniform' } : {}),
    theirs,
    theirsWhat: '`update()` per event, persisted to localStorage',
  })
}
const scaleRows = [
  ['Node', scale],
  ['Chromium', b.scale],
]
for (const [where, result] of scaleRows) {
  for (const { count, calls, palate, uniform } of result?.rows ?? []) {
    const n = count.toLocaleString('en')
    const profile = `${result.keys}-key profile`
    const per = calls > 1 ? ` (${calls} calls per sample)` : ''
    row({ what: `\`rank()\` ${n} never-seen items (new ids, new objects), limit 24, ${profile}${per}`, where, ours: palate.cold, limit: uniform.cold / 2, limitText: '0.5× Uniform', theirs: uniform.cold, theirsWhat: `\`personalize()\` ${n} new variants, take 24` })
    row({ what: `\`rank()\` the same ${n} items again, limit 24, ${profile}${per}`, where, ours: palate.repeated, limit: uniform.repeated / 2, limitText: '0.5× Uniform', theirs: uniform.repeated, theirsWhat: `\`personalize()\` the same ${n} variants again` })
  }
  for (const kind of ['cold', 'repeated']) {
    const at = (count) => result?.rows.find((r) => r.count === count)?.palate[kind]
    for (const [from, to] of [[1000, 10_000], [10_000, 100_000]]) {
      const growth = at(to) / at(from)
      row({ what: `\`rank()\` ${kind === 'cold' ? 'never-seen' : 'same items again'}: time at ${to.toLocaleString('en')} ÷ time at ${from.toLocaleString('en')} items`, where, ours: growth, limit: 12, limitText: '12×', text: Number.isFinite(growth) ? `${growth.toFixed(1)}×` : NA })
    }
  }
}
row({ what: `memory \`rank()\` holds after a call on ${(held?.count ?? 100_000).toLocaleString('en')} items, once the caller let go of them`, where: 'Node', ours: held?.held, bytes: true })
// The heap can end a little below where it started (collections let go of more): that is nothing held.
row({ what: '… after `close()`', where: 'Node', ours: held?.closed, limit: 64 * 1024, limitText: '64 KB', bytes: true, text: held ? (held.closed <= 0 ? '0 B' : formatBytes(held.closed)) : undefined })
const readyMs = b.ready ? median(b.ready.samples.map((s) => s.ms)) : undefined
const rawMs = b.ready?.raw?.length ? median(b.ready.raw.map((s) => s.ms)) : undefined
row({ what: 'ready: module start → `await palate.ready`, 500-key profile in IndexedDB', where: 'Chromium', ours: readyMs, limit: 30, limitText: '30 ms' })
row({ what: 'IndexedDB alone, same page run: module start → the same database open and its keys read (no Palate)', where: 'Chromium', ours: rawMs })
const readyRatio = readyMs / rawMs
row({ what: 'ready ÷ IndexedDB alone', where: 'Chromium', ours: readyRatio, limit: 1.5, limitText: '1.5×', text: Number.isFinite(readyRatio) ? `${readyRatio.toFixed(3)}×` : NA })
const renderMs = b.render ? median(b.render.samples.map((s) => s.at)) : undefined
row({ what: `first personalized render of \`${render.url}\`: navigation start → \`${render.selector}\` has ${render.attribute} ≠ "${render.unpersonalized}"`, where: 'Chromium', ours: renderMs })
const year = b.year
row({
  what: `stored after a simulated year (${yearEvents.toLocaleString('en')} events, daily visits): every record of the profile's database read raw, in the structured-clone form IndexedDB keeps it in, with its key and index entries, and the inbox's localStorage entries`,
  where: 'Chromium',
  ours: year?.raw.bytes,
  limit: 64 * 1024,
  limitText: '64 KB',
  bytes: true,
  theirs: uniformYear?.bytes,
  theirsWhat: 'JSON it persists (localStorage) after the same events',
})
row({
  what: '`navigator.storage.estimate().usage`, before → after that year',
  where: 'Chromium',
  text: year ? `${formatBytes(year.usageBefore)} → ${formatBytes(year.usageAfter)}` : NA,
})

/** The database's object stores, in a storefront developer's words. */
const STORE_LABELS = {
  events: 'event log',
  'meta:log': 'event log',
  'meta:profile': 'interests, item marks and settings',
  'meta:keys': 'interests',
  'meta:items': 'item marks',
  inbox: 'inbox (localStorage)',
}

const cpu = cpus()
const lines = [
  '## Palate benchmarks',
  '',
  `- Machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${platform()} ${release()}`,
  `- Node ${process.version}, Chromium ${b.version ?? NA}, @uniformdev/context ${uniformVersion}`,
  `- Date: ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
  `- Each figure is the median of ${RUNS} runs after ${WARMUP} warm-up runs. 1 KB = 1024 B. Last column: Palate's figure ÷ Uniform's (below 1, Palate takes less).`,
  '',
  `| operation | where | Palate | target | | @uniformdev/context ${uniformVersion}, same work | Palate ÷ Uniform |`,
  '| --- | --- | ---: | --- | :-: | --- | ---: |',
  ...rows,
  '',
  'Notes:',
  `- Profiles are built by tracking views: ${track?.keys ?? '?'} keys for track() (Uniform: ${update?.keys ?? '?'} enrichment dimensions); the issue's profile for rank() (40 categories × 5 subcategories, 200 tags, 30 brands: ${scale?.keys ?? '?'} keys; Uniform: ${scale?.uniformKeys ?? '?'} dimensions); ${b.ready?.keys ?? '?'} keys loaded by the ready page. Candidates have a subcategory and 3 tags.`,
  '- `rank()` keeps nothing per item id: it reads each item through bounded per-string parts (category, tag, brand), and a repeated call on the same array of unchanged items reuses the last call\'s buffers. "Never-seen" rows give every call new ids and new objects (built before the clock starts); their Uniform column gets new variants likewise. Palate and Uniform take turns sample by sample in the same process (Node, and one Chromium page), so that machine noise hits both alike.',
  '- Uniform\'s strongest-score ranking looks up one dimension per variant (the item\'s category); `rank()` scores every key of the item (category levels, tags, brand), calibrates the shelf and attaches a reason. See scripts/bench/uniform.mjs for the mapping.',
  `- Memory: V8's heap after full collections, less the heap before the call; the ${(held?.count ?? 100_000).toLocaleString('en')} candidates themselves take ${formatBytes(held?.itemsBytes)}. What \`rank()\` holds is the last call's record of its items (to tell a repeated call), bounded by the largest call, and its per-string parts (at most 5,000 strings of each kind).`,
  '- Chromium: the bench server sends caching headers, so page loads after the first come from the browser\'s cache and code cache, as a storefront\'s do. Each measurement runs in the page on its own and gives out its result only when it is over (a console line the bench waits for): no evaluate and no polling in the page while it is measured. Persisted `track()` is wall clock, including IndexedDB\'s asynchronous work during which the page stays responsive; Uniform\'s localStorage write is synchronous.',
  year
    ? `- The year: ${year.tracked.toLocaleString('en')} events replayed in ${formatMs(year.elapsed)}; stored: ${year.keys} interest keys, ${year.events} logged events, ${year.items} item marks (${Object.entries(year.raw.parts ?? {}).map(([name, bytes]) => `${STORE_LABELS[name] ?? name} ${formatBytes(bytes)}`).join(', ')}). Uniform keeps one score per dimension ever seen (${uniformYear?.dims ?? '?'}), no event log and no cap on dimensions.`
    : '- The year: not measured.',
  b.ready
    ? `- Ready page, from navigation start: its module starts at ${formatMs(median(b.ready.samples.map((s) => s.startedAt)))} (core.js fetched and evaluated), the instance is ready at ${formatMs(median(b.ready.samples.map((s) => s.readyAt)))}.`
    : null,
  `- Network: ${networkAttempts.length + (b.network?.length ?? 0) === 0 ? 'no request attempted by either library' : 'ATTEMPTS RECORDED: ' + [...networkAttempts, ...(b.network ?? [])].join('; ')} (Node: \`fetch\` stubbed to throw; Chromium: fetch, XHR and sendBeacon wrapped, CSP violations and requests leaving the bench server recorded).`,
  '',
  missed.length ? `**Targets missed (${missed.length}):**` : '**All targets met.**',
  ...missed.map((m) => `- ✗ ${m}`),
  '',
  against.length ? `**Ratios against Palate (${against.length}):**` : '**Every ratio in Palate\'s favour.**',
  ...against.map((m) => `- ✗ ${m}`),
  ...(errors.length ? ['', '**Not measured because of errors:**', ...errors.map((e) => `- ${e}`)] : []),
]
const report = lines.filter((line) => line !== null).join('\n')
console.log(report)
if (args.write) {
  // docs/benchmarks.md's table is this run's report (everything but the heading); the README's
  // first screen has the line benchSummary() draws from it.
  const body = report.split('\n').slice(2).join('\n')
  for (const [file, block, text] of [
    ['docs/benchmarks.md', 'bench', body],
    ['README.md', 'bench-summary', benchSummary(body)],
  ]) {
    try {
      progress(`${file} (${block}): ${writeBlock(file, block, text)}`)
    } catch (error) {
      console.error(error.message)
    }
  }
}
progress('done')
process.exit(0)
