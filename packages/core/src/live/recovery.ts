// Connection recovery: when the IndexedDB connection is lost mid-visit, the memory store this tab
// goes on with, holding what the database held.
import { fold } from '../model/events.js'
import { Profile } from '../model/profile.js'
import { createMemoryStore } from '../storage/memoryStore.js'
import type { Store } from '../storage/store.js'
import type { Engine } from './engine.js'

/**
 * The memory store starts with what the database held — the live profile without this page's own
 * unwritten events (pending, page-only, or in a write under way), which are written to it — so
 * that nothing learned is lost when the profile is read back.
 */
export function recoveryStore(e: Engine): Store {
  const { live, writer } = e
  const base = new Profile(e.model)
  base.load(live.profile.records())
  const unwritten = [...writer.pending, ...live.local, ...(writer.writing?.batch ?? [])]
  for (const change of unwritten) fold(base, change, true)
  // A key only those events fed is left at zero: it goes, and its name (a sensitive one, say) too.
  const fed = new Set(unwritten.flatMap((change) => change.keys))
  base.delete([...fed].filter((key) => base.record(key)?.v.every((v) => Math.abs(v) < 1e-9)))
  const meta = e.newMeta()
  const memory = createMemoryStore(meta, e.model)
  void memory.replace({
    meta,
    settings: { ...live.settings, muted: live.settings.muted.filter((key) => !live.localMuted.has(key)) },
    keys: base.records(),
    events: [],
    items: [...live.items.values()].filter((item) => !live.pageMarks.has(item.id)),
    journal: [],
  })
  return memory
}
