// What is never written: events in a sensitive category, and keys under one (not as mutes,
// tombstones or messages to other tabs). Look-alike spellings are normalized before they get here.
import type { Change } from '../model/events.js'
import { underAny } from '../model/keys.js'

/** An event in a sensitive category: it stays in this page's memory, never written. */
export function sensitiveEvent(change: Change, sensitive: readonly string[]): boolean {
  return underAny(change.event.item.category, sensitive)
}

/** Whether a key is a category under a sensitive prefix: it is never written, nor sent to other tabs. */
export function sensitiveKey(key: string, sensitive: readonly string[]): boolean {
  return key.startsWith('category:') && underAny(key.slice(9), sensitive)
}
