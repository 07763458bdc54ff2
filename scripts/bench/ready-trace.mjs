// Where the main thread's time goes while a build of the engine gets ready, in Chromium: a trace of
// each of a few page loads (the page of ready-ab.mjs, the bench's 500-key profile), with the time of
// the main thread's trace events summed by name between `createPalate()` and `ready`, per load.
// `V8.CompileCode` is V8 compiling functions on their first call in the page.
//
//   npm run build --silent && node scripts/bench/ready-trace.mjs [core.js] [--loads 6]
//
// Events nest (a task holds the calls it runs), so the sums overlap: read each row on its own.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright'
import { startServer } from '../serve.mjs'
import { READY_DB, seedReadyProfile } from './chromium.mjs'

const { values, positionals } = parseArgs({ options: { loads: { type: 'string', default: '6' } }, allowPositionals: true })
const loads = Number(values.loads)
const build = readFileSync(positionals[0] ?? 'examples/build/core.js', 'utf8')
const NAME = READY_DB
const page = [
  "import { createPalate } from '/trace/core.js'",
  "performance.mark('palate-trace:start')",
  `createPalate({ name: '${NAME}' }).ready.then(() => { performance.mark('palate-trace:ready'); console.log('palate-bench ready') })`,
].join('\n')
const files = { '/trace/core.js': build, '/trace/page.js': page, '/trace/page.html': '<!doctype html><script type="module" src="/trace/page.js"></script>' }
const CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.compile']

const server = await startServer(0, '127.0.0.1', { cache: true, files })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' })
try {
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${server.address().port}` })
  await seedReadyProfile(context)
  const sums = new Map()
  let windows = 0
  const warmup = 3
  for (let i = 0; i < warmup + loads; i++) {
    const tab = await context.newPage()
    const traced = i >= warmup
    if (traced) await browser.startTracing(tab, { categories: CATEGORIES })
    const ready = tab.waitForEvent('console', { predicate: (message) => message.text() === 'palate-bench ready', timeout: 20_000 })
    await tab.goto('/trace/page.html')
    await ready
    if (traced) {
      // The trace is taken while the page is still open: its events are flushed from it.
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString())
      const from = traceEvents.find((event) => event.name === 'palate-trace:start')
      const to = traceEvents.find((event) => event.name === 'palate-trace:ready')
      windows += (to.ts - from.ts) / 1000
      for (const event of traceEvents) {
        if (event.pid !== from.pid || event.tid !== from.tid || event.ph !== 'X' || event.ts < from.ts || event.ts > to.ts) continue
        sums.set(event.name, (sums.get(event.name) ?? 0) + event.dur / 1000)
      }
    }
    await tab.close()
  }
  console.log(`Chromium ${browser.version()}, ${loads} traced loads: createPalate() → ready ${(windows / loads).toFixed(2)} ms a load (tracing slows it). Main-thread events, ms a load:`)
  for (const [name, ms] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${(ms / loads).toFixed(3).padStart(8)}  ${name}`)
} finally {
  await browser.close()
  server.close()
}
