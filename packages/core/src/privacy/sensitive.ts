// What is never written: events in a sensitive category, and keys under one (not as mutes,
// tombstones or messages to other tabs). Look-alike spellings are normalized before they get here.
import type { Change } from '../model/events.js'
import { underAny } from '../model/keys.js'

/** An event in a sensitive category: it stays in this page's memory, never written. */
export function sensitiveEvent(change: Change, sensitive: readonly string[]): boolean {
  return underAny(change.event.item.category, sensitive)
}

/**
 * Whether a key is never written, nor sent to other tabs: a category under a sensitive prefix, or a
 * tag or brand of a sensitive item this page saw (`local`, the events kept in memory only) — muting
 * or forgetting the brand of a health product must not write the brand down either.
 */
export function sensitiveKey(key: string, sensitive: readonly string[], local: readonly Change[] = []): boolean {
  if (key.startsWith('category:')) return underAny(key.slice(9), sensitive)
  if (!sensitive.length) return false
  for (const change of local) if (change.keys.includes(key) && sensitiveEvent(change, sensitive)) return true
  return false
}
