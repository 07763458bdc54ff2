// The memory store (a lazy part): the whole profile in this page's memory, for `storage: 'memory'`,
// replays, and the fallback when IndexedDB cannot be used; the same limits as the IndexedDB store.
import { Profile } from '../model/profile.js'
import { applyChanges } from './records.js'
import { DEFAULT_SETTINGS, type Dump, type Limits, type Merged, type ProfileMeta, type Settings, type SettingsChange, type Store, type Tombstone } from './store.js'
import { fold, markItem, type Change } from '../model/events.js'
import { markInUse, pruneKeys, TRIM_TO } from './caps.js'
import type { StoredEvent, StoredItem } from '../types.js'

/**
 * The copy of a tracked event this store keeps, numbered: the fields structuredClone would copy,
 * in the same order, at a fraction of its cost (a flush copies every event it writes).
 */
function copyOf({ t, type, item }: StoredEvent, id: number): StoredEvent {
  const copy: StoredEvent['item'] = { id: item.id }
  if (item.category !== undefined) copy.category = item.category
  if (item.tags !== undefined) copy.tags = [...item.tags]
  if (item.brand !== undefined) copy.brand = item.brand
  return { t, type, item: copy, id }
}

/**
 * A store that keeps everything in this page's memory: for `storage: 'memory'`, for replays, and
 * as the fallback when IndexedDB is unusable. It enforces the same limits as the IndexedDB store;
 * with no page exit to survive, `append` folds events in at once and `merge` only enforces limits.
 * Both finish before they return, so no write is ever under way when `append` is called.
 */
export function createMemoryStore(initialMeta: ProfileMeta, model: Limits['model']): Store {
  let meta = initialMeta
  let profile = new Profile(model)
  let events: StoredEvent[] = []
  const items = new Map<string, StoredItem>()
  let settings: Settings = { ...DEFAULT_SETTINGS, muted: [] }
  let nextId = 1
  // Only an import brings tombstones here (this store has no other tab to bury events of): kept so
  // that its export is the file that was imported.
  let forgotten: Tombstone[] = []

  function append(changes: readonly Change[]): void {
    for (const change of changes) {
      const { event } = change
      fold(profile, change)
      events.push(copyOf(event, nextId++))
      markItem(items, event)
    }
  }

  return {
    kind: 'memory',
    async load() {
      return structuredClone({ meta, settings, keys: profile.records(), items: [...items.values()], journal: [] })
    },
    async append(changes: readonly Change[]) {
      append(changes)
    },
    async merge(limits: Limits, take: () => readonly Change[] = () => []): Promise<Merged> {
      const own = take()
      append(own)
      let removed = 0
      events = events.filter((e) => e.t >= limits.cutoff)
      if (events.length > limits.maxEvents) events = events.slice(events.length - Math.floor(limits.maxEvents * TRIM_TO))
      for (const [id, item] of items) {
        if (!markInUse(item, limits)) removed += +items.delete(id)
      }
      removed += pruneKeys(profile, limits).length
      return { folded: own.length, removed }
    },
    async updateSettings(changes: readonly SettingsChange[], drop?: (key: string) => boolean) {
      settings = applyChanges(settings, changes, drop)
      return structuredClone(settings)
    },
    // One page, no other tabs to race with: nothing to bury.
    async forget(doomed: ReadonlySet<string>, _tombstones: readonly string[], limits: Limits) {
      const { planForget } = await import('./forgetting.js')
      const plan = planForget(profile.records(), events, doomed, limits)
      profile = new Profile(model)
      profile.load(plan.put)
      const gone = new Set(plan.deleteEvents)
      events = events.filter((e) => !gone.has(e))
      for (const id of plan.deleteItems) items.delete(id)
    },
    async dump(): Promise<Dump> {
      return structuredClone({ meta, settings, keys: profile.records(), events, items: [...items.values()], journal: [], forgotten })
    },
    async replace(next: Dump) {
      meta = next.meta
      settings = structuredClone(next.settings)
      profile = new Profile(model)
      profile.load(next.keys)
      events = structuredClone(next.events) as StoredEvent[]
      nextId = events.reduce((max, e) => Math.max(max, e.id ?? 0), 0) + 1
      forgotten = structuredClone(next.forgotten ?? [])
      items.clear()
      for (const item of structuredClone(next.items) as StoredItem[]) items.set(item.id, item)
    },
    close() {},
  }
}
