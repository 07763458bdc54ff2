// The inbox database: what a page saves as it goes away, and the marks that tell the next page to
// read it. Node (fake-indexeddb) and Chromium.
import { beforeAll, describe, expect, it } from 'vitest'
import { addToInbox, closedAfterEach, databaseExists, ensureLocalStorage, readRaw, storedEvents, uniqueName } from '../testing.js'
import { inboxName } from './idbStore.js'

const make = closedAfterEach()
beforeAll(ensureLocalStorage)

const marks = (name: string): string[] => Object.keys(localStorageEntries()).filter((key) => key.startsWith(`${inboxName(name)}:`))

function localStorageEntries(): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < localStorage.length; i++) out[localStorage.key(i)!] = ''
  return out
}

/** Counts the transactions opened on the inbox database while `run` runs. */
async function inboxTransactions(name: string, run: () => Promise<void>): Promise<number> {
  const proto = IDBDatabase.prototype
  const original = proto.transaction
  let count = 0
  proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    if (this.name === inboxName(name)) count++
    return original.apply(this, args)
  }
  try {
    await run()
  } finally {
    proto.transaction = original
  }
  return count
}

describe('the inbox database', () => {
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

  it('a page that starts with no mark left, tracks and writes, never touches the inbox', async () => {
    const name = uniqueName('inbox')
    const first = make({ name })
    await first.ready
    first.track('view', { id: 'a', category: 'surf' })
    await first.flush()
    first.close()
    expect(marks(name)).toEqual([])
    const touched = await inboxTransactions(name, async () => {
      const second = make({ name })
      await second.ready
      second.track('view', { id: 'b', category: 'surf' })
      await second.flush()
    })
    expect(touched).toBe(0)
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['a', 'b'])
  })

  it('an opt-out deletes the inbox database and the marks', async () => {
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
})
