// A sensitive item's category, tags and brand are never written: not as mutes, tombstones, messages
// to other tabs, exports or imports; look-alike spellings of a sensitive prefix count as the prefix.
// Node (fake-indexeddb) and Chromium.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileExport } from '../types.js'
import { closedAfterEach, ensureLocalStorage, readRaw, storedEvents, uniqueName } from '../testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const remedy = { id: 'remedy', category: 'health/tests', tags: ['Discreet'], brand: 'Mediq' }
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const channels: BroadcastChannel[] = []
afterEach(() => {
  for (const c of channels.splice(0)) c.close()
})

/** Every message other tabs of this profile hear. */
function listen(name: string): unknown[] {
  const heard: unknown[] = []
  if (typeof BroadcastChannel === 'undefined') return heard
  const channel = new BroadcastChannel(`palate:${name}`)
  ;(channel as { unref?: () => void }).unref?.()
  channel.onmessage = (event) => heard.push(event.data)
  channels.push(channel)
  return heard
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('the tag and brand of a sensitive item are never written', () => {
  it('muting or forgetting them from the panel writes nothing, tells no tab, exports nothing', async () => {
    const name = uniqueName('sensitive')
    const heard = listen(name)
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    palate.track('view', boots)
    palate.track('view', remedy)
    await palate.flush()
    await palate.mute('tag:discreet')
    await palate.forget('brand:mediq')
    await palate.mute('category:health/tests')
    // Muted in this page all the same.
    expect(palate.getSnapshot().muted).toEqual(expect.arrayContaining(['tag:discreet', 'category:health/tests']))
    await palate.flush()
    await settle()
    const written = JSON.stringify(await readRaw(name))
    const told = JSON.stringify(heard)
    const exported = JSON.stringify(await palate.export())
    for (const where of [written, told, exported]) {
      expect(where).not.toMatch(/discreet|mediq|health/)
    }
    // What is not sensitive is still written.
    await palate.mute('tag:waterproof')
    expect((await palate.export()).settings.muted).toEqual(['tag:waterproof'])
  })

  it('a mute stored before its category was made sensitive goes, and its unmute writes the name nowhere', async () => {
    const name = uniqueName('sensitive')
    const before = make({ name })
    await before.ready
    before.track('view', remedy)
    before.track('view', boots)
    await before.flush()
    await before.mute('category:health/tests')
    before.close()
    // localStorage's writes, wherever it lives (Chromium's Storage, or Node's stand-in).
    const storage = typeof Storage === 'undefined' ? localStorage : Storage.prototype
    const setItem = storage.setItem
    const writes: string[] = []
    storage.setItem = function (this: Storage, key: string, value: string) {
      writes.push(`${key}=${value}`)
      setItem.call(this, key, value)
    }
    try {
      const palate = make({ name, sensitive: ['health'] })
      await palate.ready
      expect(palate.getSnapshot().muted).toEqual(['category:health/tests'])
      await palate.unmute('category:health/tests')
      await palate.setSurprise(true)
      expect(palate.getSnapshot().muted).toEqual([])
      expect(writes.join('\n')).not.toMatch(/health/)
      expect(JSON.stringify(await readRaw(name))).not.toMatch(/"muted":\["category:health/)
    } finally {
      storage.setItem = setItem
    }
  })

  it('an unmute of such a mute whose write fails is written once there is room: the mute does not come back', async () => {
    const name = uniqueName('sensitive')
    const before = make({ name })
    await before.ready
    before.track('view', remedy)
    await before.flush()
    await before.mute('category:health/tests')
    before.close()
    const palate = make({ name, sensitive: ['health'], onError: () => undefined })
    await palate.ready
    const put = IDBObjectStore.prototype.put
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    } as never
    try {
      await palate.unmute('category:health/tests')
    } finally {
      IDBObjectStore.prototype.put = put
    }
    expect(palate.getSnapshot().muted).toEqual([])
    // Room again: the retry (2 s on) drops the stored mute.
    await expect.poll(async () => JSON.stringify(await readRaw(name)), { timeout: 5000 }).not.toMatch(/"muted":\["category:health/)
    const next = make({ name, sensitive: ['health'] })
    await next.ready
    expect(next.getSnapshot().muted).toEqual([])
  })

  it('import leaves out tags and brands the file knows only from sensitive events', async () => {
    const t = Date.UTC(2026, 0, 5)
    const file: ProfileExport = {
      format: 'palate-profile',
      schemaVersion: 3,
      profileId: 'p',
      createdAt: t,
      exportedAt: t,
      consent: 'granted',
      halfLives: [],
      settings: { surprise: false, muted: ['tag:discreet', 'tag:waterproof'] },
      keys: [],
      events: [
        { t, type: 'view', item: remedy },
        { t, type: 'view', item: boots },
      ],
      items: [],
      forgotten: [{ key: 'brand:mediq', at: t }],
    }
    const name = uniqueName('sensitive')
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    await palate.import(file)
    const written = JSON.stringify(await readRaw(name))
    expect(written).not.toMatch(/discreet|mediq|health|remedy/)
    expect(written).toMatch(/waterproof/)
  })
})

describe('look-alike spellings of a sensitive prefix are the prefix', () => {
  const spellings = ['health\u200B/tests', '\uFF48ealth/tests', 'he\u00ADalth', 'HEALTH/Tests', 'Health\u2060', ' health / tests ', 'h\u0435alth/tests']
  it.each(spellings)('%j is never written', async (category) => {
    const name = uniqueName('lookalike')
    const palate = make({ name, sensitive: ['health'] })
    await palate.ready
    palate.track('view', { id: 'x', category, tags: ['t'] })
    palate.track('view', boots)
    await palate.flush()
    const raw = await readRaw(name)
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['boots'])
    expect(JSON.stringify(raw.keys)).not.toMatch(/ealth/)
  })

  it('a sensitive prefix given in NFD matches a category in NFC, and the reverse', async () => {
    const name = uniqueName('lookalike')
    const palate = make({ name, sensitive: ['sant\u0065\u0301'] })
    await palate.ready
    palate.track('view', { id: 'x', category: 'sant\u00E9/tests' })
    palate.track('view', boots)
    await palate.flush()
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['boots'])
  })

  it('one word in NFC and NFD is one key', async () => {
    const palate = make({ storage: 'memory' })
    palate.track('view', { id: 'a', category: 'caf\u00E9', brand: 'Ren\u00E9e' })
    palate.track('view', { id: 'b', category: 'cafe\u0301', brand: 'Rene\u0301e' })
    const keys = (await palate.export()).keys.map((k) => k.key).filter((k) => !k.startsWith('#'))
    expect(keys.sort()).toEqual(['brand:ren\u00E9e', 'category:caf\u00E9'])
  })
})
