// A database written by an earlier schema opens under the current one with its profile intact.
// Runs in Node (fake-indexeddb) and in Chromium (real IndexedDB).
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import v1 from './fixtures/v1-profile.json'
import v2 from './fixtures/v2-profile.json'
import v3 from './fixtures/v3-profile.json'
import type { Interest } from '../index.js'
import { readableEvent } from './idbMigration.js'
import { isStoredEvent } from './records.js'
import { SCHEMA_VERSION } from './store.js'
import { closedAfterEach, readRaw, storedEvents, uniqueName } from '../testing.js'
import type { StoredEvent } from '../types.js'

interface Fixture {
  version: number
  at: number
  interests: Interest[]
  stores: Record<string, { keys: IDBValidKey[]; values: unknown[] }>
}

/**
 * Recreates a database of an earlier schema exactly as that code laid it out (schema 2 changed only
 * the events' shape; schema 3 moved the keys and items stores into `meta`), with the fixture's records.
 */
async function writeFixture(name: string, fixture: Fixture): Promise<void> {
  const db = await openDB(name, fixture.version, {
    upgrade(db) {
      db.createObjectStore('meta')
      if (fixture.version < 3) db.createObjectStore('keys', { keyPath: 'key' })
      db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
      if (fixture.version < 3) db.createObjectStore('items', { keyPath: 'id' })
      db.createObjectStore('journal', { keyPath: 'id', autoIncrement: true })
    },
  })
  const names = Object.keys(fixture.stores)
  const tx = db.transaction(names as never[], 'readwrite')
  for (const store of names) {
    const { keys, values } = fixture.stores[store]!
    values.forEach((value, i) => {
      const os = tx.objectStore(store as never)
      if (os.keyPath === null) os.put(value as never, keys[i] as never)
      else os.put(value as never)
    })
  }
  await tx.done
  db.close()
}

const make = closedAfterEach()

/** The fixture's events as `export()` gives them (schemas 2 and 3 stored them compact). */
const readableEvents = (fixture: Fixture): StoredEvent[] =>
  fixture.stores.events!.values.map((e) => ({ ...(readableEvent(e) ?? (e as StoredEvent)), id: (e as { id: number }).id }))

/** A record the fixture's `meta` store holds. */
const metaValue = (fixture: Fixture, key: string): unknown => fixture.stores.meta!.values[fixture.stores.meta!.keys.indexOf(key)]

/** The fixture's interest keys or item marks: a store of their own before schema 3, one record in `meta` since. */
const listOf = (fixture: Fixture, name: 'keys' | 'items'): unknown[] => (fixture.version < 3 ? fixture.stores[name]!.values : (metaValue(fixture, name) as unknown[]))

describe('schema migrations', () => {
  const fixtures = [v1, v2, v3] as unknown as Fixture[]

  it('the fixtures really are databases of each earlier schema', () => {
    expect(fixtures.map((f) => f.version)).toEqual(Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1))
    for (const fixture of fixtures) expect(fixture.stores.events!.values.length).toBeGreaterThan(50)
  })

  it.each(fixtures.map((fixture) => [fixture.version, fixture] as const))('a schema-%i database opens under the current schema with its profile intact', async (version, fixture) => {
    const name = uniqueName(`v${version}`)
    await writeFixture(name, fixture)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    expect(palate.getSnapshot().status).toBe('ready')

    // Every interest that schema's code listed is still there, carried over to today's horizons
    // (the decay model changed since: scores are today's, the strongest interest the same).
    const interests = palate.interests({ limit: 50 })
    expect(interests.map((i) => i.key)).toEqual(expect.arrayContaining(fixture.interests.map((i) => i.key)))
    expect(interests[0]!.key).toBe(fixture.interests[0]!.key)

    // Settings, profile id, the log and item marks came through; the profile is one record, the
    // log another, both compact (typed arrays).
    const exported = await palate.export()
    const meta = fixture.stores.meta!
    expect(exported.profileId).toBe((meta.values[meta.keys.indexOf('profile')] as { id: string }).id)
    expect(exported.settings).toEqual({ surprise: true, muted: ['brand:stride'] })
    expect(exported.events).toEqual(readableEvents(fixture))
    expect(exported.items).toEqual(listOf(fixture, 'items'))
    const raw = await readRaw(name)
    const db = await openDB(name)
    expect([...db.objectStoreNames]).toEqual(['meta'])
    expect(((await db.get('meta', 'log')) as { t: unknown }).t).toBeInstanceOf(Float64Array)
    expect(((await db.get('meta', 'profile')) as { keys: { n: unknown } }).keys.n).toBeInstanceOf(Float64Array)
    db.close()
    expect(raw.keys).toEqual(listOf(fixture, 'keys'))
    expect(raw.items).toEqual(listOf(fixture, 'items'))
    expect(storedEvents(raw)).toEqual(readableEvents(fixture))

    // And it keeps working: bought and dismissed items still rank as such.
    expect(palate.explain({ id: 'run-2', category: 'running/shoes' }).text).toBe('You bought this recently')
    expect(palate.explain({ id: 'yoga-1', category: 'yoga/mats' }).text).toBe('You hid this')
    palate.track('view', { id: 'tent-9', category: 'camping/tents' })
    palate.track('view', { id: 'board-1', category: 'surf/boards' })
    await palate.flush()
    expect((await palate.export()).events).toHaveLength(fixture.stores.events!.values.length + 2)
    expect((await readRaw(name)).keys!.map((k) => (k as { key: string }).key)).toContain('category:surf/boards')
  })

  it('events a schema-2 page left in the journal as it went away are folded in after the upgrade', async () => {
    const fixture = v2 as unknown as Fixture
    const name = uniqueName('v2journal')
    const left: Fixture = structuredClone(fixture)
    left.stores.journal = { keys: [1], values: [{ id: 1, event: { t: fixture.at, type: 'view', item: { id: 'kayak-1', category: 'paddling/kayaks' } }, weight: 1 }] }
    await writeFixture(name, left)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    expect(palate.interests({ limit: 50 }).map((i) => i.key)).toContain('category:paddling/kayaks')
    await palate.flush()
    const raw = await readRaw(name)
    expect(raw.inbox).toEqual([])
    expect(storedEvents(raw).map((e) => e.item.id)).toContain('kayak-1')
  })

  it('events a schema-3 page left as it went away, one of them while its write was under way, are each folded in once', async () => {
    const fixture = v3 as unknown as Fixture
    const name = uniqueName('v3journal')
    const left: Fixture = structuredClone(fixture)
    const logged = readableEvent(fixture.stores.events!.values.at(-1))!
    left.stores.journal = {
      keys: [7, 8],
      values: [
        { id: 7, event: { t: fixture.at, type: 'view', item: { id: 'kayak-1', category: 'paddling/kayaks' } }, weight: 1 },
        // Journaled while the write holding it was under way, and that write committed.
        { id: 8, event: { t: logged.t, type: logged.type, item: { id: logged.item.id, category: logged.item.category } }, weight: 1, inFlight: true },
      ],
    }
    left.stores.meta!.keys.push('journaled')
    left.stores.meta!.values.push(true)
    await writeFixture(name, left)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    expect((await palate.export()).events.map((e) => e.item.id)).toEqual([...readableEvents(fixture).map((e) => e.item.id), 'kayak-1'])
    await palate.flush()
    const raw = await readRaw(name)
    expect(raw.inbox).toEqual([])
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual([...readableEvents(fixture).map((e) => e.item.id), 'kayak-1'])
    expect(raw.keys!.map((k) => (k as { key: string }).key)).toContain('category:paddling/kayaks')
  })

  it('interest keys an older version stored in NFD are read as the NFC keys the page builds', async () => {
    const fixture = v3 as unknown as Fixture
    const name = uniqueName('v3nfd')
    const nfd: Fixture = structuredClone(fixture)
    const keys = metaValue(nfd, 'keys') as { key: string }[]
    const cafe = structuredClone(keys.find((k) => k.key === 'category:yoga/mats')!)
    cafe.key = 'category:café'.normalize('NFD')
    keys.push(cafe)
    await writeFixture(name, nfd)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    const before = palate.interests({ limit: 50 }).find((i) => i.value === 'café'.normalize('NFC'))
    expect(before).toBeDefined()
    // The same word tracked in NFC adds to that interest instead of listing a second one.
    palate.track('view', { id: 'c1', category: 'café'.normalize('NFC') })
    const cafes = palate.interests({ limit: 50 }).filter((i) => i.value.normalize('NFC') === 'café'.normalize('NFC'))
    expect(cafes).toHaveLength(1)
    expect(cafes[0]!.score).toBeGreaterThan(before!.score)
    await palate.flush()
    const stored = (await readRaw(name)).keys!.map((k) => (k as { key: string }).key)
    expect(stored).toContain('category:café'.normalize('NFC'))
    expect(stored).not.toContain('category:café'.normalize('NFD'))
  })

  it('drops a malformed schema-1 event during the upgrade instead of carrying it over', async () => {
    const fixture = v1 as unknown as Fixture
    const name = uniqueName('v1bad')
    const broken: Fixture = structuredClone(fixture)
    broken.stores.events!.values.push({ id: 9999, t: 'yesterday', type: 'view' })
    broken.stores.events!.keys.push(9999)
    await writeFixture(name, broken)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    const raw = await readRaw(name)
    expect(raw.events).toHaveLength(fixture.stores.events!.values.length)
    expect((raw.events as unknown[]).every(isStoredEvent)).toBe(true)
  })
})
