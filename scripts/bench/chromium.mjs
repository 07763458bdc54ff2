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
 * watched element carries a personalized reason.
 */
function renderProbe({ selector, attribute, unpersonalized }) {
  const check = () => {
    if (window.__benchRendered !== undefined) return
    const value = document.querySelector(selector)?.getAttribute(attribute)
    if (value != null && value !== unpersonalized) {
      window.__benchRendered = { at: performance.now(), value }
      observer.disconnect()
    }
  }
  const observer = new MutationObserver(check)
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: [attribute] })
}

/** Uniform's browser build, bundled in memory and served to the bench page as /bench/uniform.js. */
async function uniformBundle() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./uniform.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

export async function runChromium({ render = STORE_RENDER, yearEvents = 100_000, log = () => {} } = {}) {
  const server = await startServer(0)
  const origin = `http://127.0.0.1:${server.address().port}`
  const browser = await chromium.launch({ executablePath })
  const uniformCode = await uniformBundle()
  const offOrigin = []
  const results = { version: browser.version(), errors: {} }

  async function freshContext() {
    const context = await browser.newContext({ baseURL: origin })
    context.on('request', (request) => {
      if (!request.url().startsWith(origin + '/')) offOrigin.push(request.url())
    })
    await context.route('**/bench/uniform.js', (route) => route.fulfill({ body: uniformCode, contentType: 'text/javascript; charset=utf-8' }))
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

  async function attempt(name, task) {
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

    await attempt('trackPersisted', async () => {
      const context = await freshContext()
      const page = await benchPage(context)
      const out = {}
      for (const batch of [10, 1000]) {
        log(`chromium: track() + flush, batches of ${batch}`)
        out[batch] = await page.evaluate((args) => window.bench.trackPersisted(args), {
          name: `palate-bench-persist-${batch}`,
          spec: { departments: 10, sections: 5, tags: 140 },
          batch,
          runs,
          warmup,
        })
      }
      await collectNetwork(page)
      await context.close()
      return out
    })

    // Main-thread time: Chromium's own count of the page's busy time (CDP TaskDuration) around each
    // batch, minus an empty call's. IndexedDB works off the main thread; localStorage does not.
    await attempt('mainThread', async () => {
      const context = await freshContext()
      const page = await benchPage(context)
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000
      const sample = async (run, n) => {
        const values = []
        for (let r = 0; r < warmup + runs; r++) {
          const before = await busy()
          await run()
          const after = await busy()
          if (r >= warmup) values.push((after - before) / n)
        }
        return values.sort((a, b) => a - b)[values.length >> 1]
      }
      const empty = await sample(() => page.evaluate(() => undefined), 1)
      const out = { empty }
      log('chromium: main-thread time of track() + its IndexedDB write, and of Uniform update() + localStorage')
      await page.evaluate((args) => window.bench.persistSetup(args), { name: 'palate-bench-main', spec: { departments: 10, sections: 5, tags: 140 } })
      for (const n of [10, 1000]) out[`palate${n}`] = (await sample(() => page.evaluate((count) => window.bench.persistBatch(count), n), n)) - empty / n
      await page.evaluate(() => window.bench.persistDone())
      await page.evaluate(async () => {
        const u = await import('./uniform.js')
        const { products, profileItems, vocabulary } = await import('./catalog.js')
        const vocab = vocabulary({ departments: 10, sections: 5, tags: 140 })
        const context = u.createUniformContext({ consent: true })
        for (const item of profileItems(vocab)) await u.uniformTrack(context, 'view', item)
        const items = products(2000, vocab, { seed: 11 })
        let next = 0
        window.uniformBatch = async (n) => {
          let last
          for (let i = 0; i < n; i++) last = u.uniformTrack(context, 'view', items[next++ % items.length])
          await last
        }
      })
      for (const n of [10, 1000]) out[`uniform${n}`] = (await sample(() => page.evaluate((count) => window.uniformBatch(count), n), n)) - empty / n
      await collectNetwork(page)
      await context.close()
      return out
    })

    await attempt('uniform', async () => {
      const context = await freshContext()
      const page = await benchPage(context)
      log('chromium: @uniformdev/context update() with localStorage, personalize()')
      const out = await page.evaluate(
        async ({ runs, warmup }) => {
          const u = await import('./uniform.js')
          const { products, profileItems, vocabulary } = await import('./catalog.js')
          const spec = { departments: 10, sections: 5, tags: 140 }
          const vocab = vocabulary(spec)
          const context = u.createUniformContext({ consent: true })
          for (const item of profileItems(vocab)) await u.uniformTrack(context, 'view', item)
          const items = products(2000, vocab, { seed: 11 })
          const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1]
          let next = 0
          const update = []
          for (let r = 0; r < warmup + runs; r++) {
            const t0 = performance.now()
            let last
            for (let i = 0; i < 200; i++) last = u.uniformTrack(context, 'view', items[next++ % items.length])
            await last
            if (r >= warmup) update.push((performance.now() - t0) / 200)
          }
          const candidates = products(10000, vocab, { seed: 7, extraTags: ['plain', 'basic', 'value', 'outlet'] })
          const variants = candidates.map(u.variantOf)
          const personalize = []
          for (let r = 0; r < warmup + runs; r++) {
            const t0 = performance.now()
            for (let i = 0; i < 10; i++) u.uniformRank(context, variants, 24)
            if (r >= warmup) personalize.push((performance.now() - t0) / 10)
          }
          const stored = localStorage.getItem('ufvisitor')
          return {
            update: median(update),
            personalize: median(personalize),
            dims: u.dimensionCount(context),
            persisted: stored !== null,
            storedBytes: stored ? new TextEncoder().encode(stored).length : 0,
          }
        },
        { runs, warmup },
      )
      await collectNetwork(page)
      await context.close()
      return out
    })

    await attempt('rank', async () => {
      const context = await freshContext()
      const page = await benchPage(context)
      const out = {}
      for (const [count, repeat] of [[10_000, 10]]) {
        log(`chromium: rank() ${count} items`)
        out[count] = await page.evaluate((args) => window.bench.rank(args), { spec: { departments: 10, sections: 5, tags: 140 }, count, runs, warmup, repeat })
      }
      await collectNetwork(page)
      await context.close()
      return out
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
          const page = await context.newPage()
          await page.goto(`/bench/?${mode}=palate-bench-ready`)
          const result = await page
            .waitForFunction((m) => (m === 'raw' ? window.benchRaw : window.benchReady), mode, { timeout: 20_000 })
            .then((h) => h.jsonValue())
          if (result.error) throw new Error(result.error)
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
        const page = await context.newPage()
        await page.goto(render.url)
        const result = await page
          .waitForFunction(() => window.__benchRendered, null, { timeout: 10_000 })
          .then((h) => h.jsonValue())
          .catch(() => {
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
