// The bench page's module (see scripts/bench/bench.mjs). It must work under the demo server's CSP:
// an external module script, nothing inline, nothing from elsewhere.
//
//   /bench/?ready=<db>  measures script start → `await palate.ready` for the profile in <db>.
//   /bench/?raw=<db>    the same for IndexedDB alone opening <db> and reading its keys (the floor).
//   /bench/?suite=scale&runs=&warmup=   rank() beside Uniform's personalize() (./uniform.js, which
//                       the bench serves), at 1,000 / 10,000 / 100,000 items.
//   /bench/?suite=track&runs=&warmup=   track() with its IndexedDB write beside Uniform's update()
//                       persisted to localStorage.
//   /bench/             exposes `window.bench`: helpers the bench calls between measurements.
//
// A measurement runs in the page on its own, and only once it is over is its result given out
// (`report()`): the bench reads it from the console, so nothing of the harness (no evaluate, no
// polling) runs in the page while it is measured.
import { createPalate } from '../build/core.js'
import { products, profileItems, seededRandom, shoppingYear, vocabulary } from './catalog.js'

// Static imports are evaluated before this line: "script start" is the start of the page's own code,
// with core.js fetched and evaluated, as it is for a storefront that bundles Palate into its script.
performance.mark('palate-bench:start')
const startedAt = performance.now()

const status = document.getElementById('status')
const params = new URLSearchParams(location.search)

/** Gives out a finished measurement: `window.benchResult`, and one console line the bench waits for. */
function report(result) {
  window.benchResult = result
  console.log(`palate-bench ${JSON.stringify(result)}`)
  status.textContent = 'done'
}

/** Interest keys stored for a profile (the per-dimension totals, `#…`, are bookkeeping, not keys). */
async function storedKeyCount(palate) {
  const dump = await palate.export()
  return dump.keys.filter((record) => !record.key.startsWith('#')).length
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `sample()` `warmup` times unmeasured, then `runs` times; returns the median of what it returns. */
async function medianOf(sample, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) await sample()
  const values = []
  for (let i = 0; i < runs; i++) values.push(await sample())
  return { median: median(values), samples: values }
}

/** Reads every record of every object store of database `name` directly, bypassing Palate. */
function readRaw(name) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const db = open.result
      const stores = [...db.objectStoreNames]
      const result = { bytes: 0, records: 0, stores: {} }
      if (!stores.length) {
        db.close()
        resolve(result)
        return
      }
      const tx = db.transaction(stores, 'readonly')
      const encoder = new TextEncoder()
      for (const storeName of stores) {
        const store = tx.objectStore(storeName)
        const keysRequest = store.getAllKeys()
        const valuesRequest = store.getAll()
        valuesRequest.onsuccess = () => {
          let bytes = 0
          // Out-of-line keys (the `meta` store) are stored next to their values: count them too.
          const outOfLine = store.keyPath === null
          valuesRequest.result.forEach((value, i) => {
            bytes += encoder.encode(JSON.stringify(value)).length
            if (outOfLine) bytes += encoder.encode(JSON.stringify(keysRequest.result[i])).length
          })
          result.stores[storeName] = { records: valuesRequest.result.length, bytes }
          result.bytes += bytes
          result.records += valuesRequest.result.length
        }
      }
      tx.oncomplete = () => {
        db.close()
        resolve(result)
      }
      tx.onerror = () => reject(tx.error)
    }
  })
}

function deleteDatabase(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
  })
}

/** Writes what is pending, closes, and lets close() release the connection before going on. */
async function closeSettled(palate) {
  await palate.flush()
  palate.close()
  await new Promise((resolve) => setTimeout(resolve, 20))
}

/**
 * An IndexedDB-backed instance holding the profile `spec` builds, written: `batch(n)` tracks n
 * views of catalog items and writes them; `done()` closes it and deletes its database.
 */
async function persistingProfile(name, spec) {
  const palate = createPalate({ name })
  await palate.ready
  const vocab = vocabulary(spec)
  for (const item of profileItems(vocab)) palate.track('view', item)
  await palate.flush()
  const items = products(2000, vocab, { seed: 11 })
  let next = 0
  return {
    async batch(n) {
      for (let i = 0; i < n; i++) palate.track('view', items[next++ % items.length])
      await palate.flush()
    },
    async done() {
      await closeSettled(palate)
      await deleteDatabase(name)
    },
  }
}

const bench = {
  createPalate,

  /** Tracks views that build a profile holding every key of `spec` (see catalog.js), and writes it. */
  async seed(name, spec, extra = 1500) {
    const palate = createPalate({ name })
    await palate.ready
    for (const item of profileItems(vocabulary(spec), { extra })) palate.track('view', item)
    await palate.flush()
    const keys = await storedKeyCount(palate)
    const { status } = palate.getSnapshot()
    await closeSettled(palate)
    return { keys, status }
  },

  /** Tracks the given events into database `name` and writes them (seeding a demo page's profile). */
  async seedEvents(name, events) {
    const palate = createPalate({ name })
    await palate.ready
    for (const { type, item } of events) palate.track(type, item)
    await closeSettled(palate)
  },

  /**
   * For a main-thread measurement driven from outside (CDP metrics around each call): a Palate
   * instance with the profile `spec` builds, then `persistBatch(n)` tracks n events and writes them.
   */
  async persistSetup({ name, spec }) {
    const persisting = await persistingProfile(name, spec)
    this.persistBatch = persisting.batch
    this.persistDone = persisting.done
  },

  /**
   * track() with persistence amortised: the time of `batch` track() calls plus the flush that
   * writes them (journal append and merge into the keys), divided by `batch`. Milliseconds per event.
   */
  async trackPersisted({ name, spec, batch, runs, warmup }) {
    const persisting = await persistingProfile(name, spec)
    const result = await medianOf(
      async () => {
        const t0 = performance.now()
        await persisting.batch(batch)
        return (performance.now() - t0) / batch
      },
      { runs, warmup },
    )
    await persisting.done()
    return result
  },

  /**
   * rank() of `count` items against the profile `spec` builds, limit 24, milliseconds per call:
   * `repeated` on the same item objects (normalization cached per object), `fresh` on new objects.
   */
  async rank({ spec, count, runs, warmup, repeat }) {
    const palate = createPalate({ name: 'palate-bench-rank', storage: 'memory' })
    await palate.ready
    const vocab = vocabulary(spec)
    for (const item of profileItems(vocab)) palate.track('view', item)
    const items = products(count, vocab, { seed: 7, extraTags: ['plain', 'basic', 'value', 'outlet'] })
    const fresh = () => items.map((item) => ({ ...item, tags: [...item.tags] }))
    const repeated = await medianOf(
      () => {
        const t0 = performance.now()
        for (let i = 0; i < repeat; i++) palate.rank(items, { limit: 24 })
        return (performance.now() - t0) / repeat
      },
      { runs, warmup },
    )
    const first = await medianOf(
      () => {
        const batches = Array.from({ length: repeat }, fresh)
        const t0 = performance.now()
        for (const batch of batches) palate.rank(batch, { limit: 24 })
        return (performance.now() - t0) / repeat
      },
      { runs, warmup },
    )
    const keys = await storedKeyCount(palate)
    palate.close()
    return { repeated, first, keys }
  },

  /**
   * A simulated year of daily shopping (`shoppingYear` in catalog.js) on an injected clock, one
   * flush per day, then everything stored read back raw, and the browser's storage estimate.
   */
  async year({ name, events, days }) {
    const before = await navigator.storage.estimate()
    const { catalog, days: schedule } = shoppingYear({ events, days })
    let clock = schedule[0].t0
    const palate = createPalate({ name, now: () => clock, random: seededRandom(5) })
    await palate.ready
    const t0 = performance.now()
    let tracked = 0
    for (const day of schedule) {
      for (const event of day.events) {
        clock = day.t0 + event.dt
        palate.track(event.type, catalog[event.index])
        tracked++
      }
      await palate.flush()
    }
    const elapsed = performance.now() - t0
    const keys = await storedKeyCount(palate)
    const exported = await palate.export()
    await closeSettled(palate)
    const raw = await readRaw(name)
    const after = await navigator.storage.estimate()
    return {
      tracked,
      elapsed,
      keys,
      events: exported.events.length,
      items: exported.items.length,
      raw,
      usageBefore: before.usage ?? null,
      usageAfter: after.usage ?? null,
      usageDetails: after.usageDetails ?? null,
    }
  },

  /** Calls from scripts/bench that need the IndexedDB helpers. */
  readRaw,
  deleteDatabase,
}

async function measureReady(name) {
  const palate = createPalate({ name })
  await palate.ready
  performance.mark('palate-bench:ready')
  const readyAt = performance.now()
  const { duration } = performance.measure('palate-bench:start→ready', 'palate-bench:start', 'palate-bench:ready')
  // Not timed: check that the profile really is the one seeded.
  const keys = await storedKeyCount(palate)
  const result = { ms: duration, startedAt, readyAt, keys, status: palate.getSnapshot().status }
  palate.close()
  report(result)
}

/**
 * The floor under "ready": IndexedDB alone opening the same database and reading every stored key,
 * with no Palate code at all — what any IndexedDB-backed profile pays on this machine.
 */
function measureRaw(name) {
  const open = indexedDB.open(name)
  open.onerror = () => report({ error: String(open.error) })
  open.onsuccess = () => {
    const db = open.result
    // Schema 3 keeps every interest key in one record (meta `keys`).
    const read = db.transaction('meta', 'readonly').objectStore('meta').get('keys')
    read.onsuccess = () => {
      performance.mark('palate-bench:raw')
      const { duration } = performance.measure('palate-bench:start→raw', 'palate-bench:start', 'palate-bench:raw')
      db.close()
      report({ ms: duration, keys: read.result.length })
    }
  }
}

/** rank() and Uniform's personalize() on the profile, interleaved (scripts/bench/rankScale.mjs). */
async function suiteScale({ runs, warmup }) {
  const { rankScale } = await import('./uniform.js')
  return rankScale(createPalate, { runs, warmup })
}

/**
 * track() with its write amortised: `batch` calls plus the flush that writes them, ÷ `batch`,
 * beside Uniform's update() persisted to localStorage (each call writes), ÷ its calls.
 */
async function suiteTrack({ runs, warmup }) {
  const spec = { departments: 10, sections: 5, tags: 140 }
  const out = { palate: {} }
  for (const batch of [10, 1000]) out.palate[batch] = await bench.trackPersisted({ name: `palate-bench-persist-${batch}`, spec, batch, runs, warmup })
  const u = await import('./uniform.js')
  const context = u.createUniformContext({ consent: true })
  const vocab = vocabulary(spec)
  for (const item of profileItems(vocab)) await u.uniformTrack(context, 'view', item)
  const items = products(2000, vocab, { seed: 11 })
  let next = 0
  out.uniform = await medianOf(
    async () => {
      const t0 = performance.now()
      let last
      for (let i = 0; i < 200; i++) last = u.uniformTrack(context, 'view', items[next++ % items.length])
      await last
      return (performance.now() - t0) / 200
    },
    { runs, warmup },
  )
  out.uniformPersisted = localStorage.getItem('ufvisitor') !== null
  localStorage.clear()
  return out
}

const suites = { scale: suiteScale, track: suiteTrack }
const failed = (error) => report({ error: String(error?.stack ?? error) })

if (params.has('ready')) {
  measureReady(params.get('ready')).catch(failed)
} else if (params.has('raw')) {
  measureRaw(params.get('raw'))
} else if (suites[params.get('suite')]) {
  const runs = Number(params.get('runs')) || 7
  const warmup = Number(params.get('warmup')) || 2
  suites[params.get('suite')]({ runs, warmup }).then(report, failed)
} else {
  window.bench = bench
  status.textContent = 'idle'
}
