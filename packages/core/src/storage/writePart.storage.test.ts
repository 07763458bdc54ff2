// The IndexedDB store's writes are a lazy part (idbMerge.ts, with idb), loaded on the first write:
// a page reads its profile without them, and when they cannot be downloaded, nothing tracked is
// lost. Node (fake-indexeddb) and Chromium.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { closedAfterEach, ensureLocalStorage, pageEvents, readInboxRaw, readRaw, storedEvents, storedSettings, uniqueName } from '../testing.js'
import { idbParts } from './idbStore.js'

const make = closedAfterEach()
beforeAll(ensureLocalStorage)
afterEach(() => vi.restoreAllMocks())

const boot = { id: 'boot-1', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }
const tent = { id: 'tent-1', category: 'camping/tents', brand: 'Summit' }
const failure = new Error('Failed to fetch dynamically imported module: idbMerge.js')
const stored = async (name: string): Promise<string[]> => storedEvents(await readRaw(name)).map((event) => event.item.id)

describe('the write part', () => {
  it('is not needed to start, even on a first visit: a new database gets its profile record as it is created', async () => {
    const name = uniqueName('writes')
    const writes = vi.spyOn(idbParts, 'writes').mockRejectedValue(failure)
    const errors: Error[] = []
    const palate = make({ name, onError: (error) => errors.push(error) })
    await palate.ready
    expect(palate.getSnapshot().status).toBe('ready')
    palate.track('view', boot)
    expect(writes).not.toHaveBeenCalled()
    expect(errors).toEqual([])
    const raw = await readRaw(name)
    expect((raw.meta as { id?: unknown }[]).some((record) => typeof record?.id === 'string')).toBe(true)
  })

  it('when it cannot be downloaded: onError hears it, the page says its profile is in memory, and the events are written once it loads', async () => {
    const name = uniqueName('writes')
    const first = make({ name })
    await first.ready
    first.track('purchase', boot)
    await first.flush()
    first.close()

    vi.spyOn(idbParts, 'writes').mockRejectedValue(failure)
    const errors: Error[] = []
    const second = make({ name, onError: (error) => errors.push(error) })
    await second.ready
    expect(second.getSnapshot().status).toBe('ready')
    expect(second.interests().map((interest) => interest.key)).toContain('category:hiking/boots')
    second.track('click', tent)
    await second.flush()
    expect(errors).toEqual([failure])
    expect(second.getSnapshot().status).toBe('memory')
    expect(second.interests().map((interest) => interest.key)).toContain('category:camping/tents')
    expect(await stored(name)).toEqual(['boot-1'])
    // A switch the shopper flips does not wait for it: it shows at once, and is kept in the inbox
    // (a page opened meanwhile shows it) until a write saves it.
    await second.setSurprise(true)
    expect(second.getSnapshot().surprise).toBe(true)
    // One outage, one report: the writes told of it already.
    expect(errors).toEqual([failure])
    const third = make({ name })
    await third.ready
    expect(third.getSnapshot().surprise).toBe(true)
    third.close()

    vi.restoreAllMocks()
    await second.flush()
    expect(second.getSnapshot().status).toBe('ready')
    expect(await stored(name)).toEqual(['boot-1', 'tent-1'])
    expect((await storedSettings(name))?.surprise).toBe(true)
    expect(readInboxRaw(name)).toEqual([])
  })

  it('while it cannot be downloaded, onError hears it once, not again from each retry and the maintenance sweep', async () => {
    const name = uniqueName('writes')
    const first = make({ name })
    await first.ready
    first.close()

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      vi.spyOn(idbParts, 'writes').mockRejectedValue(failure)
      const errors: Error[] = []
      const palate = make({ name, onError: (error) => errors.push(error) })
      await vi.waitFor(() => expect(palate.getSnapshot().status).toBe('ready'))
      palate.track('click', tent)
      // The flush 5 s after the event, the sweep 5 s after start-up, retries after 2, 4 and 8 s.
      await vi.advanceTimersByTimeAsync(20_000)
      expect(vi.mocked(idbParts.writes).mock.calls.length).toBeGreaterThanOrEqual(4)
      expect(errors).toEqual([failure])
      expect(palate.getSnapshot().status).toBe('memory')
    } finally {
      vi.useRealTimers()
    }
  })

  it('a page that goes away before it loads leaves its events in the inbox, and the next page writes them', async () => {
    const { page, restore } = pageEvents()
    const name = uniqueName('writes')
    try {
      vi.spyOn(idbParts, 'writes').mockRejectedValue(failure)
      const leaving = make({ name, onError: () => undefined })
      await leaving.ready
      leaving.track('view', boot)
      leaving.track('add_to_cart', tent)
      page.dispatchEvent(new Event('pagehide'))
      leaving.close()
      vi.restoreAllMocks()

      const next = make({ name })
      await next.ready
      expect(next.interests({ limit: 50 }).map((interest) => interest.key)).toEqual(expect.arrayContaining(['category:hiking/boots', 'category:camping/tents']))
      await next.flush()
      expect(await stored(name)).toEqual(['boot-1', 'tent-1'])
    } finally {
      restore()
    }
  })
})
