// A page that starts while a journal is left reads it, with the profile, consistently: another
// tab's merge that commits while the page loads can neither hide the journaled events nor count
// them twice. Runs in Node (fake-indexeddb) and in Chromium (real IndexedDB).
import { beforeAll, describe, expect, it } from 'vitest'
import { openIdbStore } from './idbStore.js'
import { DEFAULT_MODEL } from '../model/profile.js'
import type { Limits } from './store.js'
import { closedAfterEach, DAY, ensureLocalStorage, manualClock, uniqueName } from '../testing.js'

// The inbox is kept in localStorage: Node gets a stand-in.
beforeAll(ensureLocalStorage)

const make = closedAfterEach()

const limitsAt = (now: number): Limits => ({
  model: DEFAULT_MODEL,
  weightOf: () => 1,
  maxKeys: 500,
  maxEvents: 1000,
  cutoff: now - 90 * DAY,
  satiationCutoff: now - 30 * DAY,
  now,
  maintenance: false,
})

const kayak = (t: number) => ({ event: { t, type: 'view' as const, item: { id: 'kayak-1', category: 'paddling' } }, keys: ['category:paddling'], weight: 1 })

/**
 * Runs `then` synchronously right after the next read-only transaction of `meta` alone (the first
 * step of `load()`) is created, on whichever connection.
 */
function afterNextMetaRead(then: () => void): () => void {
  const proto = IDBDatabase.prototype
  const original = proto.transaction
  let fired = false
  proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = original.apply(this, args)
    if (!fired && args[0] === 'meta' && (args[1] ?? 'readonly') === 'readonly') {
      fired = true
      then()
    }
    return tx
  } as IDBDatabase['transaction']
  return () => void (proto.transaction = original)
}

const keyNames = (keys: unknown[]) => keys.map((k) => (k as { key: string }).key)

describe('load() while another tab merges', () => {
  it('a load sees a journaled event either in the keys or in the journal', async () => {
    const name = uniqueName('load')
    const t0 = Date.UTC(2026, 0, 5, 12)
    const meta = () => ({ id: 'p', createdAt: t0, halfLives: [...DEFAULT_MODEL.halfLives] })
    const other = await openIdbStore(name, meta, limitsAt(t0), { onLost() {} })
    await other.load()
    // A page went away having journaled an event (pagehide), before folding it in.
    await other.append([kayak(t0)])

    const page = await openIdbStore(name, meta, limitsAt(t0), { onLost() {} })
    // This page starts while another tab folds the journal in (its start-up flush, say).
    const loading = page.load()
    const merging = other.merge(limitsAt(t0))
    const [loaded] = await Promise.all([loading, merging])

    const seen = [...keyNames(loaded.keys), ...loaded.journal.map((e) => `category:${(e as { event: { item: { category: string } } }).event.item.category}`)]
    // The store holds it, folded into the keys, and the load that overlapped the merge saw it too:
    // not keys from before the merge with the journal from after it.
    expect(keyNames((await page.load()).keys)).toContain('category:paddling')
    expect(seen).toContain('category:paddling')
    page.close()
    other.close()
  })

  it('a tab starting while another folds the journal in has those events in its profile', async () => {
    const name = uniqueName('load')
    const clock = manualClock()
    const meta = () => ({ id: 'p', createdAt: clock.t, halfLives: [...DEFAULT_MODEL.halfLives] })
    const other = await openIdbStore(name, meta, limitsAt(clock.t), { onLost() {} })
    await other.load()
    // The last page the shopper left journaled their kayak views at pagehide.
    await other.append([kayak(clock.t), kayak(clock.t + 1), kayak(clock.t + 2)])

    // A new tab starts; another tab's merge with nothing of its own (its start-up flush or its
    // maintenance sweep, neither of which tells other tabs) folds the journal in meanwhile.
    let merged: Promise<unknown> = Promise.resolve()
    const restore = afterNextMetaRead(() => (merged = other.merge(limitsAt(clock.t))))
    let tab
    try {
      tab = make({ name, now: clock.now })
      await tab.ready
      await merged
    } finally {
      restore()
    }
    // The shopper keeps browsing in this tab; its own writes do not read the profile back.
    tab.track('view', { id: 'tent-1', category: 'camping' })
    await tab.flush()
    await new Promise((r) => setTimeout(r, 200))
    expect(tab.interests().map((i) => i.key)).toContain('category:paddling')
    other.close()
  })
})
