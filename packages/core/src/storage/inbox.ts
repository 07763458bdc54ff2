// The inbox: where a page writes what it tracked as it goes away, and each settings change as it
// is made, in localStorage, one key per append (`palate:<name>:inbox:<time>-<random>`, its entries
// as JSON); reading it, appending to it, which appends a merge has folded into the profile
// (`folded`, kept in the profile's database by the merge, idbMerge.ts), and which of the entries
// read still wait to be folded in (`pending`).
// localStorage is written at once, before the page can go: a write to IndexedDB issued at
// pagehide is dropped by Chromium now and then, and far more often when it has to wait for another
// tab's transaction on the same store.
import { changeOf, type Change } from '../model/events.js'
import type { StoredEvent } from '../types.js'
import { buried, isJournalEntry, isSettingsEntry } from './records.js'
import type { JournalEntry, SettingsChange, SettingsEntry, Tombstone } from './store.js'

/** The inbox of the profile `name`: the localStorage keys of its appends start with this and a colon. */
export const inboxName = (name: string): string => `palate:${name}:inbox`

const prefix = (name: string): string => `${inboxName(name)}:`

/**
 * An append's mark: its time and a random part, in base 36; `-s` after an append of settings
 * changes, which the previous release does not read, so that a tab still running it (a deploy)
 * neither folds them in without applying them nor deletes them.
 */
const MARK = /^[0-9a-z]+-[0-9a-z]*(-s)?$/

/** The inbox as read: each append's key (without the prefix) and its entries, unchecked. */
export type Inbox = Map<string, unknown[]>

/** Every append waiting in the inbox of `name`; none when localStorage cannot tell (missing, throwing). */
export function readInbox(name: string): Inbox {
  const out: Inbox = new Map()
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      // (The marks this version writes, see `appendToInbox`: not `palate:shop:inbox:consent`,
      // which is the consent marker of a profile named "shop:inbox".)
      if (!key?.startsWith(prefix(name)) || !MARK.test(key.slice(prefix(name).length))) continue
      let entries: unknown
      try {
        entries = JSON.parse(localStorage.getItem(key) ?? '')
      } catch {
        // Not an append this version wrote: it goes with the next fold.
      }
      out.set(key.slice(prefix(name).length), Array.isArray(entries) ? entries : [])
    }
  } catch {
    // Nothing can be read: appends fall back to ordinary writes (see `appendToInbox`).
  }
  return out
}

/**
 * Writes `changes` (and `inFlight`, those of a write under way, flagged) to the inbox of `name` as
 * one new key, synchronously; returns the key's mark. Throws when localStorage refuses (missing,
 * full, blocked).
 */
export function appendToInbox(name: string, changes: readonly Change[], inFlight: readonly Change[]): string {
  const entry = ({ event, weight }: Change, flag?: true) => (flag ? { event, weight, inFlight: flag } : { event, weight })
  return write(name, [...changes.map((change) => entry(change)), ...inFlight.map((change) => entry(change, true))])
}

/** The time of the last settings change journaled here. */
let lastChange = 0

/**
 * Writes settings changes to the inbox of `name` as one new key (see `appendToInbox`). Each is
 * timed after every change waiting there, whatever the clock says: a clock set back (or standing
 * still) must not put a change before the one it undoes.
 */
export function appendSettings(name: string, changes: readonly SettingsChange[]): string {
  for (const entries of readInbox(name).values()) for (const entry of entries) if (isSettingsEntry(entry)) lastChange = Math.max(lastChange, entry.t)
  return write(name, changes.map((settings): SettingsEntry => ({ settings, t: (lastChange = Math.max(Date.now(), lastChange + 1)) })), '-s')
}

/** {@link appendSettings}, or false when localStorage refuses (missing, full, blocked). */
export function journalSettings(name: string, changes: readonly SettingsChange[]): boolean {
  try {
    appendSettings(name, changes)
    return true
  } catch {
    return false
  }
}

function write(name: string, entries: unknown[], kind = ''): string {
  // The random part from the crypto source: a page (or a test) that seeds Math.random, with a
  // clock standing still, would write over an append, or have it taken for one already folded.
  const mark = `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}${kind}`
  localStorage.setItem(prefix(name) + mark, JSON.stringify(entries))
  return mark
}

/** Journal entries split: the settings changes among them, oldest first, and the others. */
export function splitJournal(entries: readonly unknown[]): { events: unknown[]; settings: SettingsChange[] } {
  const events: unknown[] = []
  const found: SettingsEntry[] = []
  for (const entry of entries) {
    if (isSettingsEntry(entry)) found.push(entry)
    else events.push(entry)
  }
  return { events, settings: found.sort((a, b) => a.t - b.t).map((entry) => entry.settings) }
}

/** Deletes the appends `marks` of the inbox of `name` (every one when not given: an opt-out). */
export function removeMarks(name: string, marks: Iterable<string> = readInbox(name).keys()): void {
  try {
    for (const mark of marks) localStorage.removeItem(prefix(name) + mark)
  } catch {
    // Left for the next fold: they are remembered as folded meanwhile.
  }
}

/** The stored `folded` list (see `foldTo` in idbMerge.ts): when each append listed was folded in, by its key. */
export function foldedList(folded: unknown): Map<string, number> {
  const out = new Map<string, number>()
  for (const item of Array.isArray(folded) ? folded : []) {
    if (Array.isArray(item) && typeof item[0] === 'string' && Number.isFinite(item[1])) out.set(item[0], item[1] as number)
  }
  return out
}

/** The entries waiting to be folded in: those an upgrade carried over, and those of appends not in `folded`. */
export function unfolded(carried: unknown, inbox: Inbox, folded: unknown): unknown[] {
  const done = foldedList(folded)
  const out = Array.isArray(carried) ? [...carried] : []
  for (const [mark, entries] of inbox) if (!done.has(mark)) out.push(...entries)
  return out
}

/** An entry written while a write holding the same event was under way (see `JournalEntry.inFlight`). */
export const doubtful = (entry: unknown): boolean => isJournalEntry(entry) && entry.inFlight === true

/** Identifies an event well enough to tell whether a journaled copy of it was logged. */
const signature = ({ t, type, item }: StoredEvent): string => `${t} ${type} ${item.id}`

/**
 * `entries` without the in-flight ones (see `JournalEntry.inFlight`) whose events the log already
 * holds (the write that held them committed after all), and, given `tombstones`, without those a
 * forget ruled out. `logged` is the log, read only when there are in-flight entries, which is
 * after a page left in the middle of a write: null when it was not read.
 */
export function pending(entries: unknown[], logged: readonly StoredEvent[] | null, tombstones: readonly Tombstone[] = []): unknown[] {
  let fresh = entries
  if (tombstones.length) fresh = fresh.filter((entry) => !isJournalEntry(entry) || !buried(changeOf(entry.event, entry.weight), tombstones))
  const inFlight = fresh.filter((entry): entry is JournalEntry => doubtful(entry))
  if (!inFlight.length || !logged) return fresh
  const seen = new Set(logged.map(signature))
  const stored = new Set(inFlight.filter(({ event }) => seen.has(signature(event))))
  return fresh.filter((entry) => !stored.has(entry as JournalEntry))
}
