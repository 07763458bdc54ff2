// A database written by an earlier schema opens under the current one with its profile intact.
// Runs in Node (fake-indexeddb) and in Chromium (real IndexedDB).
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import v1 from './fixtures/v1-profile.json'
import type { Interest } from './index.js'
import { decodeEvent, SCHEMA_VERSION } from './store.js'
import { closedAfterEach, readRaw, storedEvents, uniqueName } from './testing.js'
import type { StoredEvent } from './types.js'

interface Fixture {
  version: number
  at: number
  interests: Interest[]
  stores: Record<string, { keys: IDBValidKey[]; values: unknown[] }>
}

/** Recreates a schema-1 database exactly as the schema-1 code laid it out, with the fixture's records. */
async function writeV1(name: string, fixture: Fixture): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('meta')
      db.createObjectStore('keys', { keyPath: 'key' })
      db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't')
      db.createObjectStore('items', { keyPath: 'id' })
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

describe('schema migrations', () => {
  const fixture = v1 as unknown as Fixture

  it('the fixture really is a schema-1 database', () => {
    expect(fixture.version).toBe(1)
    expect(SCHEMA_VERSION).toBeGreaterThan(1)
    expect(fixture.stores.events!.values.length).toBeGreaterThan(50)
  })

  it('a schema-1 database opens under the current schema with its profile intact', async () => {
    const name = uniqueName('v1')
    await writeV1(name, fixture)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    expect(palate.getSnapshot().status).toBe('ready')

    // The interests the schema-1 code computed, the same, in the same order.
    const interests = palate.interests({ limit: 20 })
    expect(interests.map((i) => i.key)).toEqual(fixture.interests.map((i) => i.key))
    interests.forEach((interest, i) => expect(interest.score).toBeCloseTo(fixture.interests[i]!.score, 12))

    // Settings, profile id, the log and item marks came through; events are now stored compact.
    const exported = await palate.export()
    const meta = fixture.stores.meta!
    expect(exported.profileId).toBe((meta.values[meta.keys.indexOf('profile')] as { id: string }).id)
    expect(exported.settings).toEqual({ surprise: true, muted: ['brand:stride'] })
    expect(exported.events).toEqual(fixture.stores.events!.values as StoredEvent[])
    expect(exported.items).toEqual(fixture.stores.items!.values)
    const raw = await readRaw(name)
    expect((raw.events as object[]).every((e) => !('item' in e) && 'i' in e)).toBe(true)
    expect(storedEvents(raw)).toEqual(fixture.stores.events!.values)

    // And it keeps working: bought and dismissed items still rank as such.
    expect(palate.explain({ id: 'run-2', category: 'running/shoes' }).text).toBe('You bought this recently')
    expect(palate.explain({ id: 'yoga-1', category: 'yoga/mats' }).text).toBe('You hid this')
    palate.track('view', { id: 'tent-9', category: 'camping/tents' })
    await palate.flush()
    expect((await palate.export()).events).toHaveLength(fixture.stores.events!.values.length + 1)
  })

  it('drops a malformed schema-1 event during the upgrade instead of carrying it over', async () => {
    const name = uniqueName('v1bad')
    const broken: Fixture = structuredClone(fixture)
    broken.stores.events!.values.push({ id: 9999, t: 'yesterday', type: 'view' })
    broken.stores.events!.keys.push(9999)
    await writeV1(name, broken)
    const palate = make({ name, now: () => fixture.at })
    await palate.ready
    const raw = await readRaw(name)
    expect(raw.events).toHaveLength(fixture.stores.events!.values.length)
    expect((raw.events as unknown[]).every((e) => decodeEvent(e) !== null)).toBe(true)
  })
})
