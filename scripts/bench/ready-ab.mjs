// Ready of two builds of the engine side by side, with IndexedDB alone as the floor, in one
// Chromium: for telling whether a change to the start-up path helps, where the noise of this shared
// machine hides a few percent between two runs of `npm run bench`.
//
//   npm run build --silent && cp examples/build/core.js /tmp/a.js
//   (change something) npm run build --silent && cp examples/build/core.js /tmp/b.js
//   node scripts/bench/ready-ab.mjs /tmp/a.js /tmp/b.js [--runs 40]
//
// Each load is a fresh page: the build's module is imported, the clock starts, `createPalate()`
// is called and the page reports when `ready` resolves (the floor: `indexedDB.open` of the same
// database and one read of its start-up record). Loads take turns (floor, A, B; then floor, B, A),
// so that the machine's noise hits all three alike. Prints the medians and the ratios, and the
// same from navigation start (the module fetched and evaluated too: a change that only moves work
// to before the clock starts shows there). Any `performance.mark('p:…')` a build makes is reported
// too, as median ms after the clock started.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright'
import { startServer } from '../serve.mjs'
import { READY_DB, seedReadyProfile } from './chromium.mjs'

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '40' } }, allowPositionals: true })
if (positionals.length !== 2) {
  console.error('usage: node scripts/bench/ready-ab.mjs <build A core.js> <build B core.js> [--runs 40]')
  process.exit(2)
}
const runs = Number(values.runs)
const builds = { A: readFileSync(positionals[0], 'utf8'), B: readFileSync(positionals[1], 'utf8') }
const NAME = READY_DB
const report = "console.log('palate-bench ' + JSON.stringify({ ms: performance.now() - t0, nav: performance.now(), marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('p:')).map((m) => [m.name.slice(2), m.startTime - t0])) }))"
const pages = {
  A: `import { createPalate } from '/ab/A.js'\nconst t0 = performance.now()\ncreatePalate({ name: '${NAME}' }).ready.then(() => ${report})`,
  B: `import { createPalate } from '/ab/B.js'\nconst t0 = performance.now()\ncreatePalate({ name: '${NAME}' }).ready.then(() => ${report})`,
  floor: `const t0 = performance.now()\nconst open = indexedDB.open('${NAME}')\nopen.onsuccess = () => {\n  const read = open.result.transaction('meta', 'readonly').objectStore('meta').get('profile')\n  read.onsuccess = () => { ${report}; open.result.close() }\n}`,
}

// Served as the bench serves its pages, with caching headers, so that loads after the first come
// from the browser's cache and code cache as a storefront's do (a route fulfilled by Playwright
// would bypass both).
const files = { '/ab/A.js': builds.A, '/ab/B.js': builds.B }
for (const [which, js] of Object.entries(pages)) {
  files[`/ab/${which}.page.js`] = js
  files[`/ab/${which}.html`] = `<!doctype html><script type="module" src="/ab/${which}.page.js"></script>`
}
const server = await startServer(0, '127.0.0.1', { cache: true, files })
const origin = `http://127.0.0.1:${server.address().port}`
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' })
try {
  const context = await browser.newContext({ baseURL: origin })
  // The profile every page reads: 500 keys, as the bench's ready figure.
  await seedReadyProfile(context)

  const samples = { floor: [], A: [], B: [] }
  const fromNavigation = { floor: [], A: [], B: [] }
  const marks = { A: [], B: [] }
  const warmup = 3
  for (let i = 0; i < warmup + runs; i++) {
    for (const which of i % 2 ? ['floor', 'A', 'B'] : ['floor', 'B', 'A']) {
      const page = await context.newPage()
      const result = page.waitForEvent('console', { predicate: (message) => message.text().startsWith('palate-bench '), timeout: 20_000 })
      await page.goto(`/ab/${which}.html`)
      const value = JSON.parse((await result).text().slice('palate-bench '.length))
      await page.close()
      if (i < warmup) continue
      samples[which].push(value.ms)
      fromNavigation[which].push(value.nav)
      if (which !== 'floor') marks[which].push(value.marks)
    }
  }
  const median = (list) => list.slice().sort((a, b) => a - b)[list.length >> 1]
  const [floor, a, b] = [median(samples.floor), median(samples.A), median(samples.B)]
  console.log(`Chromium ${browser.version()}, ${runs} loads of each, medians:`)
  console.log(`IndexedDB alone ${floor.toFixed(2)} ms · A ${a.toFixed(2)} ms (${(a / floor).toFixed(2)}×) · B ${b.toFixed(2)} ms (${(b / floor).toFixed(2)}×) · B ÷ A ${(b / a).toFixed(3)}`)
  const [nf, na, nb] = [median(fromNavigation.floor), median(fromNavigation.A), median(fromNavigation.B)]
  console.log(`from navigation start (the module fetched and evaluated too): IndexedDB alone ${nf.toFixed(2)} ms · A ${na.toFixed(2)} ms · B ${nb.toFixed(2)} ms · B ÷ A ${(nb / na).toFixed(3)}`)
  for (const which of ['A', 'B']) {
    const names = [...new Set(marks[which].flatMap((m) => Object.keys(m)))]
    if (names.length) console.log(`${which} marks: ${names.map((name) => `${name} ${median(marks[which].map((m) => m[name] ?? NaN)).toFixed(2)}`).join(' · ')}`)
  }
} finally {
  await browser.close()
  server.close()
}
