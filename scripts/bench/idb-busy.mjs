// Whether IndexedDB gets on with an open while the page's main thread is busy, in Chromium: the
// floor of the ready figure (a bare `indexedDB.open` of the bench's 500-key profile and one read of
// its start-up record) alone, and with a busy loop of 3 or 6 ms right after the open is issued, in
// the same task or in a later one (`setTimeout`). When the loop's whole length comes on top of the
// floor, nothing of the open went on meanwhile: ready is then the floor plus Palate's own work on
// the main thread, however early the open is issued.
//
//   node scripts/bench/idb-busy.mjs [--runs 30]
//
// Each load is a fresh page; the variants take turns, so that the machine's noise hits all alike.
import { parseArgs } from 'node:util'
import { chromium } from 'playwright'
import { startServer } from '../serve.mjs'
import { READY_DB, seedReadyProfile } from './chromium.mjs'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } })
const runs = Number(values.runs)
const NAME = READY_DB

const busy = (ms) => `{ const until = performance.now() + ${ms}; while (performance.now() < until); }`
const start = [
  'const t0 = performance.now()',
  "const done = () => console.log('palate-bench ' + (performance.now() - t0))",
  `const open = indexedDB.open('${NAME}')`,
  "open.onsuccess = () => { const read = open.result.transaction('meta', 'readonly').objectStore('meta').get('profile'); read.onsuccess = () => { open.result.close(); done() } }",
].join('\n')
const variants = {
  'IndexedDB alone': '',
  '3 ms busy, same task': busy(3),
  '6 ms busy, same task': busy(6),
  '3 ms busy, next task': `setTimeout(() => ${busy(3)}, 0)`,
  '6 ms busy, next task': `setTimeout(() => ${busy(6)}, 0)`,
}
const names = Object.keys(variants)
const files = {}
names.forEach((name, i) => {
  files[`/probe/${i}.js`] = `${start}\n${variants[name]}`
  files[`/probe/${i}.html`] = `<!doctype html><script src="/probe/${i}.js"></script>`
})

const server = await startServer(0, '127.0.0.1', { cache: true, files })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' })
try {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${server.address().port}` })
  await seedReadyProfile(context)
  const samples = names.map(() => [])
  const warmup = 3
  for (let r = 0; r < warmup + runs; r++) {
    const order = names.map((_, i) => i)
    if (r % 2) order.reverse()
    for (const i of order) {
      const page = await context.newPage()
      const result = page.waitForEvent('console', { predicate: (message) => message.text().startsWith('palate-bench '), timeout: 20_000 })
      await page.goto(`/probe/${i}.html`)
      const ms = Number((await result).text().slice('palate-bench '.length))
      await page.close()
      if (r >= warmup) samples[i].push(ms)
    }
  }
  const median = (list) => list.slice().sort((a, b) => a - b)[list.length >> 1]
  const floor = median(samples[0])
  console.log(`Chromium ${browser.version()}, ${runs} loads of each, medians (open + one read):`)
  names.forEach((name, i) => {
    const ms = median(samples[i])
    console.log(`${name.padEnd(22)} ${ms.toFixed(2)} ms${i ? ` · ${(ms - floor).toFixed(2)} ms more than alone` : ''}`)
  })
} finally {
  await browser.close()
  server.close()
}
