// What fed each tag and brand, read from the event log (and this page's events) while a category is
// muted: the profile's scores do not say which items fed a key. Loaded with import() when a
// category is muted; most shoppers never mute one.
import { changeOf, type Change } from '../model/events.js'
import { feed, fedOnlyByMuted, type Feeders } from '../model/feeders.js'
import type { Score } from '../model/profile.js'
import { isJournalEntry, isStoredEvent } from '../storage/records.js'
import type { Store } from '../storage/store.js'
import type { Engine } from './engine.js'

export interface Feeding {
  /** Notes what a new event fed. */
  add(change: Change): void
  /** The tags and brands that only items of `muted` categories fed. */
  only(muted: ReadonlySet<string>): Set<string>
  /**
   * `scores` without the tags and brands only muted categories fed: out of the list and of
   * ranking, as the categories are. The same map for the same scores and mutes (ranking caches by it).
   */
  visible(scores: Map<string, Score>, muted: ReadonlySet<string>): Map<string, Score>
}

/**
 * Reads what fed each tag and brand from `store`'s event log and journal, and this page's unwritten
 * events. Mass from events past the log's retention cannot be told apart: a tag only those fed
 * stays listed.
 */
export async function readFeeding(e: Engine, store: Store | null): Promise<Feeding> {
  const feeders: Feeders = new Map()
  const add = ({ keys, weight }: Change): void => feed(feeders, keys, weight)
  const changes = [...e.writer.pending, ...e.live.local]
  try {
    const dump = await store?.dump()
    for (const event of dump?.events ?? []) if (isStoredEvent(event)) changes.push(changeOf(event, e.weightOf(event.type)))
    for (const entry of dump?.journal ?? []) if (isJournalEntry(entry)) changes.push(changeOf(entry.event, entry.weight))
  } catch (error) {
    // (Not when an opt-out, close() or a lost connection let go of that store meanwhile: theirs.)
    if (e.store === store && e.consent === 'granted' && !e.closed) e.report(error)
  }
  changes.forEach(add)
  const only = (muted: ReadonlySet<string>): Set<string> => fedOnlyByMuted(feeders, muted)
  const shown = new WeakMap<Map<string, Score>, [ReadonlySet<string>, Map<string, Score>]>()
  return {
    add,
    only,
    visible(scores, muted) {
      const c = shown.get(scores)
      if (c && c[0] === muted) return c[1]
      const kept = new Map(scores)
      for (const key of only(muted)) kept.delete(key)
      shown.set(scores, [muted, kept])
      return kept
    },
  }
}
