// The Chromium half of `npm run bench`: real IndexedDB, real page loads. Drives the bench page
// (examples/bench/) and a demo page through Playwright, against the demo server and its CSP.
import { build } from 'esbuild'
import { chromium } from 'playwright'
import { fileURLToPath } from 'node:url'
import { startServer } from '../serve.mjs'
import { RUNS, WARMUP } from './measure.mjs'

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** The profile the ready figure loads: as many keys as Palate keeps (`maxKeys`, 500). */
export const PROFILE_500 = { departments: 20, sections: 9, tags: 300 }

/** The database every ready page reads. */
export const READY_DB = 'palate-bench-ready'

/**
 * Writes the ready figure's profile (PROFILE_500) into `READY_DB` for the pages of `context`,
 * through the bench page, and closes that page. Used by the ready probes beside the bench.
 */
export async function seedReadyProfile(context) {
  const setup = await context.newPage()
  await setup.goto('/bench/')
  await setup.waitForFunction(() => window.bench !== undefined)
  await setup.evaluate(({ name, spec }) => window.bench.seed(name, spec, 2000), { name: READY_DB, spec: PROFILE_500 })
  await setup.close()
}

/**
 * What "first personalized render" watches: the script-tag demo store's "For you" shelf, from a
 * navigation start to the first moment its first card carries a reason from the profile (the
 * store's own order says 'default'). `--render-url`, `--render-selector`, `--render-db` and
 * `--render-seed` (a JSON file of `[{ type, item }]`) point it elsewhere.
 */
export const STORE_RENDER = {
  url: '/store/',
  selector: '#for-you > li:first-child',
  attribute: 'data-palate-reason-kind',
  /** The attribute value of an item the profile had no say in. */
  unpersonalized: 'default',
  db: 'palate-store',
  seed: [
    { type: 'view', item: { id: 'hike-boots', category: 'hiking/boots', tags: ['waterproof', 'leather'], brand: 'Summit' } },
    { type: 'view', item: { id: 'hike-daypack', category: 'hiking/packs', tags: ['lightweight'], brand: 'Summit' } },
    { type: 'add_to_cart', item: { id: 'hike-boots', category: 'hiking/boots', tags: ['waterproof', 'leather'], brand: 'Summit' } },
    { type: 'view', item: { id: 'hike-poles', category: 'hiking/accessories', tags: ['lightweight'], brand: 'Ridgeway' } },
  ],
}

/** Installed before any page script: records every attempt at the network. */
function networkProbe() {
  const net = (window.__benchNetwork = [])
  const wrap = (owner, key, label) => {
    const original = owner?.[key]
    if (typeof original !== 'function') return
    owner[key] = function (...args) {
      net.push(`${label} ${String(args[0]).slice(0, 120)}`)
      return original.apply(this, args)
    }
  }
  wrap(window, 'fetch', 'fetch')
  wrap(navigator, 'sendBeacon', 'sendBeacon')
  wrap(XMLHttpRequest.prototype, 'open', 'xhr')
  document.addEventListener('securitypolicyviolation', (event) => net.push(`csp ${event.violatedDirective} ${event.blockedURI}`))
}

/**
 * Installed before any page script: records the first moment (ms since navigation start) the
 * watched element carries a personalized reason, and gives it out on the console (read by
 * `pageResult`). The observer is the one part of the harness in the page while it is measured:
 * the page's own work cannot be watched from outside.
 */
function renderProbe({ selector, attribute, unpersonalized }) {
  const check = () => {
    if (window.__benchRendered !== undefined) return
    const value = document.querySelector(selector)?.getAttribute(attribute)
    if (value != null && value !== unpersonalized) {
      window.__benchRendered = { at: performance.now(), value }
      observer.disconnect()
      console.log(`palate-bench ${JSON.stringify(window.__benchRendered)}`)
    }
  }
  const observer = new MutationObserver(check)
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: [attribute] })
}

/**
 * Uniform's browser build and the rank() scale run (rankScale.mjs), bundled in memory and served
 * to the bench page as /bench/uniform.js.
 */
async function uniformBundle() {
  const result = await build({
    stdin: { contents: "export * from './uniform.mjs'\nexport { rankScale } from './rankScale.mjs'\n", resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    external: ['node:*'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

/**
 * Loads `path` and resolves to the result the page gives out when its measurement is over (a
 * `palate-bench {json}` console line, see examples/bench/bench.js). Nothing is evaluated in the
 * page, and nothing polls it, meanwhile.
 */
async function pageResult(context, path, timeout = 120_000) {
  const page = await context.newPage()
  const result = page.waitForEvent('console', { predicate: (message) => message.text().startsWith('palate-bench '), timeout })
  await page.goto(path)
  const value = JSON.parse((await result).text().slice('palate-bench '.length))
  if (value.error) throw new Error(value.error)
  return { page, value }
}

export async function runChromium({ render = STORE_RENDER, yearEvents = 100_000, log = () => {} } = {}) {
  const uniformCode = await uniformBundle()
  // Served with caching headers, as a storefront's scripts are: repeated loads come from the
  // browser's cache and its compiled-code cache, not fetched and compiled again.
  const server = await startServer(0, '127.0.0.1', { cache: true, files: { '/bench/uniform.js': uniformCode } })
  const origin = `http://127.0.0.1:${server.address().port}`
  const browser = await chromium.launch({ executablePath })
  const offOrigin = []
  const results = { version: browser.version(), errors: {} }

  async function freshContext() {
    const context = await browser.newContext({ baseURL: origin })
    context.on('request', (request) => {
      if (!request.url().startsWith(origin + '/')) offOrigin.push(request.url())
    })
    await context.addInitScript(networkProbe)
    return context
  }

  async function benchPage(context) {
    const page = await context.newPage()
    page.on('pageerror', (error) => log(`page error: ${error.message}`))
    await page.goto('/bench/')
    await page.waitForFunction(() => window.bench !== undefined)
    return page
  }

  // BENCH_ONLY=ready,scale runs only those measurements (while working on one of them).
  const only = globalThis.process?.env.BENCH_ONLY?.split(',')
  async function attempt(name, task) {
    if (only && !only.includes(name)) return
    try {
      results[name] = await task()
    } catch (error) {
      results.errors[name] = error.message.split('\n')[0]
      log(`chromium ${name} failed: ${error.stack ?? error}`)
    }
  }

  const network = []
  async function collectNetwork(page) {
    network.push(...(await page.evaluate(() => window.__benchNetwork ?? [])))
  }

  try {
    const runs = RUNS
    const warmup = WARMUP

    await attempt('track', async () => {
      const context = await freshContext()
      log('chromium: track() + flush, batches of 10 and 1,000, beside Uniform update() persisted to localStorage')
      const { page, value } = await pageResult(context, `/bench/?suite=track&runs=${runs}&warmup=${warmup}`)
      await collectNetwork(page)
      await context.close()
      return value
    })

    await attempt('scale', async () => {
      const context = await freshContext()
      log('chromium: rank() / personalize() at 1,000, 10,000, 100,000 items, 450-key profile')
      const { page, value } = await pageResult(context, `/bench/?suite=scale&runs=${runs}&warmup=${warmup}`, 600_000)
      await collectNetwork(page)
      await context.close()
      return value
    })

    await attempt('ready', async () => {
      const context = await freshContext()
      const setup = await benchPage(context)
      log('chromium: seeding a 500-key profile')
      const seeded = await setup.evaluate((spec) => window.bench.seed('palate-bench-ready', spec, 2000), PROFILE_500)
      await setup.close()
      // Interleaved with IndexedDB alone reading the same keys, so both see the same machine.
      const samples = []
      const raw = []
      let keys = 0
      for (let i = 0; i < warmup + runs * 2; i++) {
        for (const [mode, into] of [['raw', raw], ['ready', samples]]) {
          const { page, value: result } = await pageResult(context, `/bench/?${mode}=palate-bench-ready`, 20_000)
          if (i >= warmup) into.push(result)
          if (mode === 'ready') keys = result.keys
          await collectNetwork(page)
          await page.close()
        }
      }
      await context.close()
      return { seeded, keys, samples, raw }
    })

    await attempt('render', async () => {
      const context = await freshContext()
      const setup = await benchPage(context)
      log(`chromium: first personalized render of ${render.url}`)
      await setup.evaluate(({ db, seed }) => window.bench.seedEvents(db, seed), { db: render.db, seed: render.seed })
      await setup.close()
      await context.addInitScript(renderProbe, { selector: render.selector, attribute: render.attribute, unpersonalized: render.unpersonalized })
      const samples = []
      for (let i = 0; i < warmup + runs; i++) {
        const { page, value: result } = await pageResult(context, render.url, 10_000).catch(() => {
          throw new Error(`${render.url}: "${render.selector}" never got a ${render.attribute} other than "${render.unpersonalized}" within 10 s`)
        })
        if (i >= warmup) samples.push(result)
        await collectNetwork(page)
        await page.close()
      }
      await context.close()
      return { samples }
    })

    await attempt('year', async () => {
      const context = await freshContext()
      const page = await benchPage(context)
      log(`chromium: a simulated year, ${yearEvents} events`)
      const out = await page.evaluate((args) => window.bench.year(args), { name: 'palate-bench-year', events: yearEvents, days: 365 })
      await collectNetwork(page)
      await context.close()
      return out
    })
  } finally {
    await browser.close()
    server.close()
  }
  results.network = [...network, ...offOrigin.map((url) => `request to ${url}`)]
  return results
}
