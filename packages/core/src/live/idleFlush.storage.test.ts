// A flush, or a page going away, with nothing to write costs nothing: no read-write merge of the
// stored profile.
import { describe, expect, it } from 'vitest'
import { closedAfterEach, readRaw, storedEvents, uniqueName } from '../testing.js'

const make = closedAfterEach()

/** Counts read-write transactions opened while `run` runs. */
async function countWrites(run: () => Promise<void>): Promise<number> {
  const proto = IDBDatabase.prototype
  const original = proto.transaction
  let count = 0
  proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    if (args[1] === 'readwrite') count++
    return original.apply(this, args)
  } as IDBDatabase['transaction']
  try {
    await run()
  } finally {
    proto.transaction = original
  }
  return count
}

/** A profile that has written one event ('a'), and nothing pending. */
async function oneEventWritten() {
  const name = uniqueName()
  const palate = make({ name })
  await palate.ready
  palate.track('view', { id: 'a', category: 'surf/boards' })
  await palate.flush()
  return { name, palate }
}

describe('flush with nothing pending', () => {
  it('close() after everything was written merges nothing, and what was written stays', async () => {
    const { name, palate } = await oneEventWritten()
    const writes = await countWrites(async () => {
      palate.close()
      await new Promise((resolve) => setTimeout(resolve, 100))
    })
    expect(writes).toBe(0)
    expect(storedEvents(await readRaw(name))).toHaveLength(1)
  })

  it('flush() after everything was written merges nothing, and the next event is still written', async () => {
    const { name, palate } = await oneEventWritten()
    const writes = await countWrites(async () => {
      await palate.flush()
      await palate.flush()
    })
    expect(writes).toBe(0)
    palate.track('view', { id: 'b', category: 'surf/boards' })
    expect(await countWrites(() => palate.flush())).toBe(1)
    expect(storedEvents(await readRaw(name)).map((e) => e.item.id)).toEqual(['a', 'b'])
  })

  it('close() with an event pending still writes it', async () => {
    const name = uniqueName()
    const palate = make({ name })
    await palate.ready
    palate.track('view', { id: 'a', category: 'surf/boards' })
    palate.close()
    await expect.poll(async () => storedEvents(await readRaw(name)).length, { timeout: 3000 }).toBe(1)
  })
})
