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

/**
 * The bytes of `value` in the structured-clone form IndexedDB keeps a record in (V8's value
 * serializer, which Chromium uses; before any compression the browser may add): a tag byte per
 * value, varint lengths, property names written again in every object, numbers as 1–5 byte small
 * integers or 8-byte doubles, strings one byte a character (two when one is outside Latin-1), a
 * typed array as its raw bytes. Counted by walking the value, as the serializer does.
 */
function clonedBytes(value, seen = new Map()) {
  const varint = (n) => {
    let bytes = 1
    while (n >= 128) {
      n = Math.floor(n / 128)
      bytes++
    }
    return bytes
  }
  const string = (s) => {
    const wide = Array.prototype.some.call(s, (c) => c.charCodeAt(0) > 255)
    const length = wide ? s.length * 2 : s.length
    return 1 + varint(length) + length + (wide ? 1 : 0)
  }
  const number = (n) => (Number.isInteger(n) && n >= -(2 ** 30) && n < 2 ** 30 ? 1 + varint(n < 0 ? -2 * n - 1 : 2 * n) : 9)
  const walk = (v) => {
    if (v === null || v === undefined || typeof v === 'boolean') return 1
    if (typeof v === 'number') return number(v)
    if (typeof v === 'string') return string(v)
    if (seen.has(v)) return 1 + varint(seen.get(v))
    seen.set(v, seen.size)
    if (ArrayBuffer.isView(v)) {
      // The buffer ('B', its length, its bytes), then the view ('V', its kind, offset, length, flags).
      return 1 + varint(v.buffer.byteLength) + v.buffer.byteLength + 2 + varint(v.byteOffset) + varint(v.byteLength) + 1
    }
    if (Array.isArray(v)) {
      // A dense array: 'A', its length, each element, '$' and two counts.
      let bytes = 1 + varint(v.length) + 1 + 1 + varint(v.length)
      // An array of numbers with one that is not a small integer holds doubles: all are written so.
      if (v.length && v.every((n) => typeof n === 'number') && v.some((n) => number(n) === 9)) return bytes + 9 * v.length
      for (const element of v) bytes += walk(element)
      return bytes
    }
    // An object: 'o', each property's name and value, '{' and the property count.
    const entries = Object.entries(v)
    let bytes = 1 + 1 + varint(entries.length)
    for (const [key, element] of entries) bytes += (/^(0|[1-9]\d*)$/.test(key) ? number(Number(key)) : string(key)) + walk(element)
    return bytes
  }
  // The serializer's header (its version), and Chromium's envelope around it (its own version, and
  // where the trailer is).
  return 2 + 15 + walk(value)
}

/**
 * The bytes of an IndexedDB key as Chromium encodes it: a type byte, then a number's 8 bytes, or a
 * string's length and its characters two bytes each.
 */
const keyBytes = (key) => (typeof key === 'number' ? 9 : 1 + 2 * String(key).length + 1)

/**
 * Reads every record of every object store of database `name` directly, bypassing Palate, and
 * counts what the browser stores for each: its value in structured-clone form (`clonedBytes`), its
 * key, and an entry (index key and record key) in each index of its store. A key the store
 * generates and puts in the value (`keyPath` with `autoIncrement`) is stored once, as the key.
 */
function readRaw(name) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const db = open.result
      const stores = [...db.objectStoreNames]
      const result = { bytes: 0, records: 0, stores: {}, parts: {} }
      if (!stores.length) {
        db.close()
        resolve(result)
        return
      }
      const tx = db.transaction(stores, 'readonly')
      for (const storeName of stores) {
        const store = tx.objectStore(storeName)
        const keysRequest = store.getAllKeys()
        const valuesRequest = store.getAll()
        valuesRequest.onsuccess = () => {
          let bytes = 0
          const generated = store.autoIncrement && typeof store.keyPath === 'string' ? store.keyPath : null
          const indexes = [...store.indexNames].map((index) => store.index(index).keyPath)
          valuesRequest.result.forEach((value, i) => {
            const key = keysRequest.result[i]
            let stored = value
            if (generated) {
              stored = { ...value }
              delete stored[generated]
            }
            let recordBytes = clonedBytes(stored) + keyBytes(key)
            for (const path of indexes) if (value[path] !== undefined) recordBytes += keyBytes(value[path]) + keyBytes(key)
            bytes += recordBytes
            // A store of named records (`meta`) is told record by record.
            if (store.keyPath === null) result.parts[`${storeName}:${key}`] = recordBytes
          })
          if (store.keyPath !== null) result.parts[storeName] = bytes
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
    // The inbox beside it in localStorage (what a page saves as it goes away): empty once folded
    // in. Counted as Chromium stores localStorage: key and value, two bytes a character.
    const inbox = { records: 0, bytes: 0 }
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (!key?.startsWith(`palate:${name}:inbox:`)) continue
      inbox.records++
      inbox.bytes += 2 * (key.length + (localStorage.getItem(key) ?? '').length)
    }
    raw.stores.inbox = inbox
    raw.parts.inbox = inbox.bytes
    raw.bytes += inbox.bytes
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
    // Schema 4 keeps every interest key, with all else a page reads at start-up, in one record
    // (meta `profile`): this reads that record.
    const read = db.transaction('meta', 'readonly').objectStore('meta').get('profile')
    read.onsuccess = () => {
      performance.mark('palate-bench:raw')
      const { duration } = performance.measure('palate-bench:start→raw', 'palate-bench:start', 'palate-bench:raw')
      db.close()
      report({ ms: duration, keys: read.result.keys.k.length })
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
