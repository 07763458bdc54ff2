// The inbox: what a page saves as it goes away, in localStorage, folded into the profile by the
// next page or write. Node (fake-indexeddb, a stand-in localStorage) and Chromium.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { addToInbox, closedAfterEach, databaseExists, ensureLocalStorage, pageEvents, readRaw, storedEvents, storedSettings, uniqueName } from '../testing.js'
import { inboxName } from './idbStore.js'

const make = closedAfterEach()
beforeAll(ensureLocalStorage)

const marks = (name: string): string[] => Object.keys(localStorageEntries()).filter((key) => key.startsWith(`${inboxName(name)}:`))

function localStorageEntries(): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < localStorage.length; i++) out[localStorage.key(i)!] = ''
  return out
}

/** localStorage's setItem as Palate calls it (Node's stand-in has its own; Chromium's is the prototype's). */
const storage = (): { setItem: Storage['setItem'] } => (Object.prototype.hasOwnProperty.call(localStorage, 'setItem') ? localStorage : Storage.prototype)

/** Runs `run` with localStorage's setItem replaced by `setItem` (given the original). */
async function withSetItem(setItem: (original: Storage['setItem'], key: string, value: string) => void, run: () => Promise<void>): Promise<void> {
  const target = storage()
  const original = target.setItem
  target.setItem = function (this: Storage, key: string, value: string) {
    setItem(original.bind(this), key, value)
  }
  try {
    await run()
  } finally {
    target.setItem = original
  }
}

/** Counts the writes to the inbox of `name` while `run` runs. */
async function inboxWrites(name: string, run: () => Promise<void>): Promise<number> {
  let count = 0
  await withSetItem((original, key, value) => {
    if (key.startsWith(`${inboxName(name)}:`)) count++
    original(key, value)
  }, run)
  return count
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the inbox', () => {
  it('what a page left there is folded in by the next page, once, and its mark goes', async () => {
    const name = uniqueName('inbox')
    const first = make({ name })
    await first.ready
    first.close()
    await addToInbox(name, { event: { t: Date.now(), type: 'view', item: { id: 'k1', category: 'kayaks' } }, weight: 1 })
    expect(marks(name)).toHaveLength(1)

    const second = make({ name })
    await second.ready
    expect(second.interests()[0]?.key).toBe('category:kayaks')
    await second.flush()
    const raw = await readRaw(name)
    expect(raw.inbox).toEqual([])
    expect(storedEvents(raw).map((e) => e.item.id)).toEqual(['k1'])
    expect(marks(name)).toEqual([])
    second.close()

    // A third page finds nothing to add again.
    const third = make({ name })
    await third.ready
    expect((await third.export()).events.map((e) => e.item.id)).toEqual(['k1'])
  })

  it('a page that starts with nothing left there, tracks and writes, never touches the inbox', async () => {
    const name = uniqueName('inbox')
    const first = make({ name })
    await first.ready
    first.track('view', { id: 'a', category: 'surf' })
    await first.flush()
    first.close()
    expect(marks(name)).toEqual([])
    const touched = await inboxWrites(name, async () => {
      const second = make({ name })
      await second.ready
      second.track('view', { id: 'b', category: 'surf' })
      await second.flush()
    })
    expect(touched).toBe(0)
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['a', 'b'])
  })

  it('an opt-out deletes the inbox, and no inbox database is left', async () => {
    const name = uniqueName('inbox')
    const first = make({ name })
    await first.ready
    first.close()
    await addToInbox(name, { event: { t: Date.now(), type: 'view', item: { id: 'k1', category: 'kayaks' } }, weight: 1 })
    const second = make({ name })
    await second.ready
    await second.optOut()
    expect(await databaseExists(inboxName(name))).toBe(false)
    expect(await databaseExists(name)).toBe(false)
    expect(marks(name)).toEqual([])
  })

  it('a page going away writes its pending events to the inbox at once, before any await', async () => {
    const { page, restore } = pageEvents()
    const name = uniqueName('inbox')
    try {
      const palate = make({ name })
      await palate.ready
      for (let i = 0; i < 3; i++) palate.track('view', { id: `p${i}`, category: 'paddles' })
      page.dispatchEvent(new Event('pagehide'))
      // Nothing awaited: what a closing page had time to do is all that counts.
      expect(marks(name)).toHaveLength(1)
      palate.close()
    } finally {
      restore()
    }
    const next = make({ name })
    await next.ready
    await next.flush()
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['p0', 'p1', 'p2'])
    expect(marks(name)).toEqual([])
  })

  it('when localStorage refuses the inbox (full), a page going away writes its events the usual way', async () => {
    const { page, restore } = pageEvents()
    const name = uniqueName('inbox')
    const errors: Error[] = []
    try {
      const palate = make({ name, onError: (e) => errors.push(e) })
      await palate.ready
      palate.track('view', { id: 'f1', category: 'fins' })
      await withSetItem(
        (original, key, value) => {
          if (key.startsWith(`${inboxName(name)}:`)) throw new DOMException('full', 'QuotaExceededError')
          original(key, value)
        },
        async () => {
          page.dispatchEvent(new Event('pagehide'))
          await sleep(50)
        },
      )
      expect(marks(name)).toEqual([])
      expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['f1'])
      expect(palate.getSnapshot().status).toBe('ready')
      expect(errors).toEqual([])
    } finally {
      restore()
    }
  })

  // A storefront (or a test harness) may seed Math.random; a page's clock may stand still.
  it('a page that seeds Math.random, with the clock standing still, still writes each append to a key of its own', async () => {
    const { page, restore } = pageEvents()
    const name = uniqueName('inbox')
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.25)
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 5, 9))
    try {
      const first = make({ name })
      await first.ready
      first.track('view', { id: 'f1', category: 'fins' })
      page.dispatchEvent(new Event('pagehide'))
      first.close()
      // The next page folds that append in; then the shopper turns "surprise me" on.
      const next = make({ name })
      await next.ready
      next.track('view', { id: 'f2', category: 'fins' })
      await next.flush()
      await next.setSurprise(true)
      expect(next.getSnapshot().surprise).toBe(true)
      const again = make({ name })
      await again.ready
      expect(again.getSnapshot().surprise).toBe(true)
      expect(storedEvents(await readRaw(name)).map((e) => e.item.id).sort()).toEqual(['f1', 'f2'])
    } finally {
      random.mockRestore()
      clock.mockRestore()
      restore()
    }
  })

  it('a clock set back does not put a change before the one it undoes, still waiting in the inbox', async () => {
    const name = uniqueName('inbox')
    const setup = make({ name })
    await setup.ready
    setup.track('view', { id: 'h', category: 'hiking' })
    await setup.flush()
    setup.close()
    // An earlier page's mute, unsaved (its write failed, or it went first), timed an hour ahead:
    // the clock was set back since.
    const earlier = Date.now() + 3_600_000
    localStorage.setItem(`${inboxName(name)}:${earlier.toString(36)}-1a2b3c-s`, JSON.stringify([{ settings: ['mute', 'category:hiking'], t: earlier }]))
    const page = make({ name })
    await page.ready
    expect(page.getSnapshot().muted).toEqual(['category:hiking'])
    await page.unmute('category:hiking')
    expect(page.getSnapshot().muted).toEqual([])
    expect((await storedSettings(name))?.muted).toEqual([])
  })

  // During a deploy, tabs running the previous release stay open beside new ones; that release
  // folds every append it reads, applying only events, and deletes it.
  it('settings changes go under marks the previous release does not read', async () => {
    const name = uniqueName('inbox')
    const page = make({ name })
    await page.ready
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    })
    try {
      await page.setSurprise(true)
    } finally {
      vi.restoreAllMocks()
    }
    const previousRelease = /^[0-9a-z]+-[0-9a-z]*$/
    const waiting = marks(name).map((key) => key.slice(inboxName(name).length + 1))
    expect(waiting).toHaveLength(1)
    expect(waiting.filter((mark) => previousRelease.test(mark))).toEqual([])
    page.close()
    const next = make({ name })
    await next.ready
    expect(next.getSnapshot().surprise).toBe(true)
  })
})
