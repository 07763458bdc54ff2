// How many tracked events survive tabs that go away at random, in real Chromium.
//
//   npm run build --silent && node scripts/reliability.mjs [--tabs 5] [--events 1000] [--seed 1] [--script-tag]
//
// Several tabs of one shop track events at once, each in bursts of 1–40, writing now and then
// (flush() awaited, or started and not awaited) and, after a burst, now and then going away at
// once: the tab is closed, or it navigates to another page, with no time given to Palate. A tab
// that went away is opened again and goes on until it has tracked its share, now and then at once,
// before its profile is read (and going away again, now and then, before it is). Then a fresh tab reads
// the profile back and counts, for every event tracked, whether it was kept (and kept once).
// Every event counts as tracked once track() has returned in its page: all of them were tracked
// before the page's pagehide. Now and then after a burst, a tab also changes a setting, awaited or
// not (it may go away at once): it mutes or unmutes its own category, and the first tab turns
// "surprise me" on or off. The fresh tab checks that each setting is as its last change left it.
//
// The page is the engine (examples/build/core.js, from `npm run build`) with a log large enough to
// keep every event (`maxEvents`), so that none is trimmed away as a year of shopping would be.
// core.js has its lazy parts inlined; with --script-tag the page is the script tag instead
// (examples/build/palate.min.js), whose lazy parts (the writes among them) are files of their own,
// fetched while tabs come and go.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright'
import { startServer } from './serve.mjs'
import { seededRandom } from '../examples/bench/catalog.js'

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`)
  if (at === -1) return fallback
  const value = Number(process.argv[at + 1])
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a whole number of at least 1, not ${JSON.stringify(process.argv[at + 1])}`)
    process.exit(2)
  }
  return value
}

const TABS = option('tabs', 5)
const EVENTS = option('events', 1000)
const SEED = option('seed', 1)


const SCRIPT_TAG = process.argv.includes('--script-tag')
const build = SCRIPT_TAG ? 'palate.min.js' : 'core.js'
if (!existsSync(fileURLToPath(new URL(`../examples/build/${build}`, import.meta.url)))) {
  console.error(`examples/build/${build} is missing: run \`npm run build\` first.`)
  process.exit(2)
}

const OPTIONS = "{ name: 'palate-reliability', maxEvents: 1000000, onError: (error) => (window.errors ??= []).push(String(error)) }"
const PAGE = SCRIPT_TAG
  ? `<!doctype html><meta charset="utf-8"><title>loading</title><script src="/build/palate.min.js"></script><script src="/reliability/page.js"></script>`
  : `<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/reliability/page.js"></script>`
const SCRIPT = `${SCRIPT_TAG ? `const palate = Palate.init(${OPTIONS})` : `import { createPalate } from '/build/core.js'\nconst palate = createPalate(${OPTIONS})`}
window.palate = palate
palate.ready.then(() => { document.title = palate.getSnapshot().status })`

const server = await startServer(0)
const origin = `http://127.0.0.1:${server.address().port}`
const browser = await chromium.launch({ executablePath })
const context = await browser.newContext()
await context.route(`${origin}/reliability/**`, (route) => {
  const js = route.request().url().endsWith('.js')
  return route.fulfill({ status: 200, contentType: js ? 'text/javascript' : 'text/html', body: js ? SCRIPT : PAGE })
})

const errors = []

/** A tab of the shop; with `wait`, once its profile is read (else as soon as its script has run). */
async function openTab(wait = true) {
  const page = await context.newPage()
  await page.goto(`${origin}/reliability/`)
  if (!wait) return page
  await page.waitForFunction(() => document.title !== 'loading', null, { timeout: 20_000 })
  const status = await page.title()
  if (status !== 'ready') throw new Error(`the profile did not open (status ${status})`)
  return page
}

const counts = { closed: 0, navigated: 0, flushes: 0, early: 0, settings: 0 }
const log = new Map()
/** What each tab's last settings change left: its category muted or not; "surprise me" (the first tab's). */
const expected = { muted: new Map(), surprise: false }

/** Now and then, a settings change in `page` (a mute or unmute of the tab's own category, or "surprise me"), awaited or not. */
async function changeSetting(page, tab, random) {
  if (random() >= 0.25) return
  const key = `category:reliability/tab-${tab}`
  const surprise = tab === 0 && random() < 0.5
  const on = surprise ? !expected.surprise : !expected.muted.get(key)
  const wait = random() < 0.5
  counts.settings++
  if (surprise) expected.surprise = on
  else expected.muted.set(key, on)
  await page.evaluate(
    ({ key, surprise, on, wait }) => {
      const p = window.palate
      const call = () => {
        const change = surprise ? p.setSurprise(on) : on ? p.mute(key) : p.unmute(key)
        const failed = change.catch((error) => (window.errors ??= []).push(`${surprise ? 'setSurprise' : on ? 'mute' : 'unmute'}: ${error}`))
        return wait ? failed.then(() => undefined) : undefined
      }
      // An unmute is of a mute shown (unmute() refuses a key that is not muted): once the profile is read.
      return surprise || on ? call() : p.ready.then(call)
    },
    { key, surprise, on, wait },
  )
}

/** One tab's life: bursts of events until `EVENTS` are tracked, going away at random. */
async function runTab(tab) {
  const random = seededRandom(SEED * 1000 + tab)
  let page = await openTab()
  let tracked = 0
  while (tracked < EVENTS) {
    const burst = Math.min(EVENTS - tracked, 1 + Math.floor(random() * 40))
    const flush = random()
    const status = await page.evaluate(
      ({ tab, from, burst, flush }) => {
        const status = window.palate.getSnapshot().status
        for (let i = from; i < from + burst; i++) window.palate.track('view', { id: `t${tab}-${i}`, category: `reliability/tab-${tab}`, tags: [`tag-${i % 7}`] })
        if (flush < 0.3) void window.palate.flush()
        else if (flush < 0.5) return window.palate.flush().then(() => status)
        return status
      },
      { tab, from: tracked, burst, flush },
    )
    if (status === 'loading') counts.early++
    await changeSetting(page, tab, random)
    const leave = random()
    if (process.env.RELIABILITY_DEBUG) for (let i = tracked; i < tracked + burst; i++) log.set(`t${tab}-${i}`, `burst ${tracked}+${burst} flush ${flush.toFixed(2)} leave ${leave.toFixed(2)}`)
    tracked += burst
    if (flush < 0.5) counts.flushes++
    if (leave < 0.12 || tracked >= EVENTS) {
      // Gone at once: closed, or navigated to another page of the site.
      if (leave < 0.06 || tracked >= EVENTS) {
        counts.closed++
        await page.close()
      } else {
        counts.navigated++
        await page.goto(`${origin}/`)
        await page.close()
      }
      // A third of the time, the shopper is on the page at once: the next burst may come before
      // the profile is read.
      if (tracked < EVENTS) page = await openTab(random() >= 1 / 3)
    } else {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 20)))
    }
  }
}

const started = Date.now()
await Promise.all(Array.from({ length: TABS }, (_, tab) => runTab(tab)))

// A fresh tab reads everything back.
const reader = await openTab()
const stored = await reader.evaluate(async () => {
  const exported = await window.palate.export()
  const { muted, surprise } = window.palate.getSnapshot()
  return { ids: exported.events.map((e) => e.item.id), errors: window.errors ?? [], muted, surprise }
})
errors.push(...stored.errors)
await browser.close()
server.close()

const seen = new Map()
for (const id of stored.ids) seen.set(id, (seen.get(id) ?? 0) + 1)
let kept = 0
let twice = 0
for (let tab = 0; tab < TABS; tab++) {
  for (let i = 0; i < EVENTS; i++) {
    const n = seen.get(`t${tab}-${i}`) ?? 0
    if (n) kept++
    if (n > 1) twice++
    if (!n && process.env.RELIABILITY_DEBUG) console.log('lost', `t${tab}-${i}`, log.get(`t${tab}-${i}`))
  }
}
const total = TABS * EVENTS
const wrong = [...expected.muted].filter(([key, on]) => stored.muted.includes(key) !== on).map(([key, on]) => `${key} ${on ? 'muted' : 'unmuted'} last, ${on ? 'not muted' : 'muted'} in the end`)
if (stored.surprise !== expected.surprise) wrong.push(`"surprise me" ${expected.surprise ? 'on' : 'off'} last, ${stored.surprise ? 'on' : 'off'} in the end`)
const format = (n) => n.toLocaleString('en')
console.log(`Chromium ${browser.version()}, ${build}, ${TABS} tabs × ${format(EVENTS)} events, seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s`)
console.log(`tabs closed ${counts.closed}, navigated away ${counts.navigated}, flushes ${counts.flushes}, bursts tracked before the profile was read ${counts.early}`)
console.log(`events tracked ${format(total)} / kept ${format(kept)} / lost ${format(total - kept)} / kept twice ${format(twice)}`)
console.log(`settings changed ${format(counts.settings)} / as last changed ${wrong.length ? `no: ${wrong.join('; ')}` : 'yes'}`)
if (errors.length) console.log(`onError in the reading tab: ${errors.join('; ')}`)
process.exitCode = kept === total && twice === 0 && !wrong.length ? 0 : 1
