// A page hidden or closed while its profile is still being read: what it tracked so far is
// journaled at once (the page may be gone before the read is over), shows in the live profile once
// the read is over, and is stored once. Node (fake-indexeddb) and Chromium.
import { beforeAll, describe, expect, it } from 'vitest'
import { createPalate } from '../createPalate.js'
import type { Palate } from '../types.js'
import { closedAfterEach, ensureLocalStorage, pageEvents, readInboxRaw, readRaw, storedEvents, uniqueName } from '../testing.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const kayak = (i: number) => ({ id: `k${i}`, category: 'water/kayaks', tags: ['sit-on-top'] })

/** A returning shopper: a profile stored by an earlier page, holding one tent. */
async function returning(): Promise<string> {
  const name = uniqueName()
  const earlier = createPalate({ name })
  await earlier.ready
  earlier.track('view', { id: 'tent', category: 'camping/tents' })
  await earlier.flush()
  earlier.close()
  return name
}

/** Every event id the profile `name` holds, in its log or still in its inbox, sorted. */
async function storedIds(name: string): Promise<string[]> {
  const raw = await readRaw(name)
  const journaled = (raw.inbox as { event: { item: { id: string } } }[]).map((entry) => entry.event)
  return [...storedEvents(raw), ...journaled].map((event) => event.item.id).sort()
}

const interestKeys = (palate: Palate): string[] => palate.getSnapshot().interests.map((interest) => interest.key)

/** Calls `run` once, when the next read-only transaction of the profile (the start-up read) is created. */
function onStartupRead(run: () => void): () => void {
  const proto = IDBDatabase.prototype
  const original = proto.transaction
  proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = original.apply(this, args)
    if (args[1] !== 'readwrite') {
      proto.transaction = original
      run()
    }
    return tx
  }
  return () => void (proto.transaction = original)
}

/**
 * Makes every IndexedDB open fail, asynchronously, as a browser does when the profile's storage is
 * broken (each asks for an older version of a database than there is: a VersionError). Returns the
 * real `indexedDB.open`, to put back.
 */
async function refuseOpens(name: string): Promise<IDBFactory['open']> {
  const realOpen = indexedDB.open
  await new Promise<void>((resolve) => {
    const newer = realOpen.call(indexedDB, `${name}-newer`, 2)
    newer.onsuccess = () => resolve(newer.result.close())
  })
  indexedDB.open = function (this: IDBFactory) {
    return realOpen.call(this, `${name}-newer`, 1)
  } as IDBFactory['open']
  return realOpen
}

/**
 * A page of the profile `name` that tracks three kayaks and is hidden at once, while its profile
 * is still being read; `then` goes on from there.
 */
async function hiddenWhileLoading(name: string, then: (palate: Palate) => Promise<void>): Promise<void> {
  const { page, restore } = pageEvents()
  try {
    const palate = make({ name, onError: () => {} })
    expect(palate.getSnapshot().status).toBe('loading')
    for (let i = 0; i < 3; i++) palate.track('view', kayak(i))
    page.dispatchEvent(new Event('pagehide'))
    await then(palate)
  } finally {
    restore()
  }
}

/** Runs `run` while every IndexedDB open of `name` fails (see `refuseOpens`). */
async function whileOpensFail(name: string, run: () => Promise<void>): Promise<void> {
  const realOpen = await refuseOpens(name)
  try {
    await run()
  } finally {
    indexedDB.open = realOpen
  }
}

describe('a page that goes away before its profile is read', () => {
  it('journals what it tracked at once, shows it once ready, and stores it once', async () => {
    const name = await returning()
    await hiddenWhileLoading(name, async (palate) => {
      // Written before the handler returned: nothing waits for the profile to open.
      expect(readInboxRaw(name)).toHaveLength(3)
      await palate.ready
      expect(interestKeys(palate)).toEqual(expect.arrayContaining(['category:water/kayaks', 'category:camping/tents']))
      await palate.flush()
      palate.close()
    })
    expect(await storedIds(name)).toEqual(['k0', 'k1', 'k2', 'tent'])
  })

  it('when IndexedDB then fails to open, takes what it journaled back from the inbox into the page', async () => {
    const name = uniqueName()
    await whileOpensFail(name, () =>
      hiddenWhileLoading(name, async (palate) => {
        expect(readInboxRaw(name)).toHaveLength(3)
        await palate.ready
        expect(palate.getSnapshot().status).toBe('memory')
        // No store will ever fold that append in: it is this page's again, and gone from the inbox.
        expect(readInboxRaw(name)).toHaveLength(0)
        expect(interestKeys(palate)).toContain('category:water/kayaks')
        expect((await palate.export()).events.map((event) => event.item.id).sort()).toEqual(['k0', 'k1', 'k2'])
      }),
    )
  })

  it('an opt-out meanwhile drops what it journaled: an opt-in after it starts from nothing, IndexedDB failing or not', async () => {
    const name = uniqueName()
    await whileOpensFail(name, () =>
      hiddenWhileLoading(name, async (palate) => {
        await palate.optOut()
        expect(readInboxRaw(name)).toHaveLength(0)
        await palate.optIn()
        await palate.ready
        expect(palate.getSnapshot().interests).toEqual([])
        expect((await palate.export()).events).toEqual([])
      }),
    )
  })

  it('without IndexedDB at all, journals nothing (no store could fold it in) and keeps its events in the page', async () => {
    const name = uniqueName()
    const factory = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB')
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true })
    try {
      await hiddenWhileLoading(name, async (palate) => {
        expect(readInboxRaw(name)).toHaveLength(0)
        await palate.ready
        expect(palate.getSnapshot().status).toBe('memory')
        expect(interestKeys(palate)).toContain('category:water/kayaks')
      })
    } finally {
      if (factory) Object.defineProperty(globalThis, 'indexedDB', factory)
      else delete (globalThis as { indexedDB?: unknown }).indexedDB
    }
  })

  it('hidden after its start-up read has begun: the profile is read again, and the events still count once', async () => {
    const name = await returning()
    const { page, restore } = pageEvents()
    let palate: Palate | undefined
    let journaled = -1
    // The inbox has been read when the start-up read's transaction is created: the append comes after it.
    const unhook = onStartupRead(() => {
      for (let i = 0; i < 3; i++) palate!.track('view', kayak(i))
      page.dispatchEvent(new Event('pagehide'))
      journaled = readInboxRaw(name).length
    })
    try {
      palate = make({ name })
      await palate.ready
      expect(journaled).toBe(3)
      expect(interestKeys(palate)).toEqual(expect.arrayContaining(['category:water/kayaks', 'tag:sit-on-top', 'category:camping/tents']))
      await palate.flush()
      palate.close()
    } finally {
      unhook()
      restore()
    }
    expect(await storedIds(name)).toEqual(['k0', 'k1', 'k2', 'tent'])
    const again = make({ name })
    await again.ready
    expect(interestKeys(again)).toEqual(expect.arrayContaining(['category:water/kayaks', 'category:camping/tents']))
  })
})
