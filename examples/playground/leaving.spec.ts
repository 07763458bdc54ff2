// A tab that goes away while other tabs of the shop are writing keeps every event it tracked: what a
// page saves at pagehide must not wait behind another tab's write, which dies with it otherwise.
import type { BrowserContext, Page } from '@playwright/test'
import { expect, test } from '../testing/fixtures.js'

interface PlaygroundWindow {
  palate: {
    ready: Promise<void>
    track(type: string, item: object): void
    flush(): Promise<void>
    export(): Promise<{ events: { item: { id: string; category?: string } }[] }>
  }
  writing?: Promise<void>
}

/** Other tabs of the shop. */
const WRITERS = 4
/** Events each of them tracks, each followed by a write: the log (500 events) keeps them all. */
const WRITES = 40

async function openPlayground(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.goto('/playground/')
  await expect(page.locator('#status')).toHaveText('ready')
  return page
}

/** Starts a tab tracking an event and writing it at once, every few milliseconds. */
async function startWriting(page: Page, tab: number): Promise<void> {
  await page.evaluate(
    ({ tab, writes }) => {
      const w = window as unknown as PlaygroundWindow
      w.writing = (async () => {
        for (let i = 0; i < writes; i++) {
          w.palate.track('view', { id: `tab${tab}-${i}`, category: 'busy/tabs', tags: ['other'] })
          await w.palate.flush()
        }
      })()
    },
    { tab, writes: WRITES },
  )
}

const finishWriting = (page: Page): Promise<void> => page.evaluate(() => (window as unknown as PlaygroundWindow).writing)

/** Tracks `count` events of `label` and, with `flush`, starts writing them without waiting. */
async function track(page: Page, label: string, count: number, flush: boolean): Promise<void> {
  await page.evaluate(
    ({ label, count, flush }) => {
      const { palate } = window as unknown as PlaygroundWindow
      for (let i = 0; i < count; i++) palate.track('view', { id: `${label}-${i}`, category: `leaving/${label}`, tags: ['mine'], brand: 'Here' })
      if (flush) void palate.flush()
    },
    { label, count, flush },
  )
}

/** How many events of `label` a fresh tab finds stored. */
async function kept(context: BrowserContext, label: string): Promise<{ events: number; distinct: number }> {
  const page = await openPlayground(context)
  const ids = await page.evaluate(async (label) => {
    const { palate } = window as unknown as PlaygroundWindow
    return (await palate.export()).events.filter((e) => e.item.category === `leaving/${label}`).map((e) => e.item.id)
  }, label)
  await page.close()
  return { events: ids.length, distinct: new Set(ids).size }
}

/**
 * Starts, in `page`, a read-write transaction on every database of the profile (with an earlier
 * version, its inbox database too), kept going for `ms`: what another tab does in a long save.
 * `finishWriting(page)` waits for its end.
 */
async function holdDatabases(page: Page, ms: number): Promise<void> {
  await page.evaluate(async (ms) => {
    const w = window as unknown as PlaygroundWindow
    const names = (await indexedDB.databases()).map((db) => db.name!).filter((name) => name.includes('palate-playground'))
    const held = names.map(
      (name) =>
        new Promise<() => Promise<void>>((started) => {
          const open = indexedDB.open(name)
          open.onsuccess = () => {
            const db = open.result
            const tx = db.transaction([...db.objectStoreNames], 'readwrite')
            const store = tx.objectStore(db.objectStoreNames[0]!)
            const until = Date.now() + ms
            const again = (): void => {
              if (Date.now() < until) store.count().onsuccess = again
            }
            const done = new Promise<void>((resolve) => (tx.oncomplete = tx.onabort = () => (db.close(), resolve())))
            store.count().onsuccess = () => {
              again()
              started(() => done)
            }
          }
        }),
    )
    const waits = await Promise.all(held)
    w.writing = Promise.all(waits.map((wait) => wait())).then(() => undefined)
  }, ms)
}

test.describe('a tab going away while other tabs write', () => {
  test.setTimeout(60_000)
  // One at a time: each runs six tabs, and two at once on a small machine time out their opens.
  test.describe.configure({ mode: 'serial' })

  for (const leave of ['closed', 'navigated away'] as const) {
    for (const flush of [false, true]) {
      test(`${leave}${flush ? ' with a write under way' : ''}: a fresh tab has every event it tracked, once`, async ({ context }) => {
        const writers = await Promise.all(Array.from({ length: WRITERS }, () => openPlayground(context)))
        const leaver = await openPlayground(context)
        await Promise.all(writers.map((page, tab) => startWriting(page, tab)))
        const count = flush ? 30 : 100
        await track(leaver, 'now', count, flush)
        if (leave === 'closed') await leaver.close()
        else await leaver.goto('/')
        await Promise.all(writers.map(finishWriting))
        expect(await kept(context, 'now')).toEqual({ events: count, distinct: count })
      })
    }
  }

  for (const leave of ['closed', 'navigated away'] as const) {
    test(`${leave} before its profile is read: a fresh tab has every event it tracked, once`, async ({ context }) => {
      const busy = await openPlayground(context)
      await holdDatabases(busy, 3000)
      // This tab's start-up read waits behind the other tab's save: it is still loading.
      const leaver = await context.newPage()
      await leaver.goto('/playground/')
      await expect(leaver.locator('#status')).toHaveText('loading')
      await track(leaver, 'early', 40, false)
      await expect(leaver.locator('#status')).toHaveText('loading')
      if (leave === 'closed') await leaver.close()
      else await leaver.goto('/')
      await finishWriting(busy)
      expect(await kept(context, 'early')).toEqual({ events: 40, distinct: 40 })
    })
  }

  for (const leave of ['closed', 'navigated away'] as const) {
    test(`${leave} while another tab holds the shop's databases busy: a fresh tab has every event it tracked, once`, async ({ context }) => {
      const busy = await openPlayground(context)
      const leaver = await openPlayground(context)
      // Another tab in the middle of a long save. A write the closing tab leaves waiting behind it
      // dies with that tab.
      await holdDatabases(busy, 1500)
      await track(leaver, 'held', 60, false)
      if (leave === 'closed') await leaver.close()
      else await leaver.goto('/')
      await finishWriting(busy)
      expect(await kept(context, 'held')).toEqual({ events: 60, distinct: 60 })
    })
  }
})
