// The inbox database (`palate:<name>:inbox`): where a page writes what it tracked as it goes away,
// the localStorage marks that tell a page whether to read it, and reading, appending and clearing
// it. How far its entries are folded into the profile (`folded`) is read and written by the merge
// (idbMerge.ts), in the profile's database; this file only says what that mark means.
import type { Change } from '../model/events.js'
import { isJournalEntry } from './records.js'
import type { JournalEntry } from './store.js'
import type { Folded, InboxDb } from './idbSchema.js'

/** The name of the inbox database of the profile `name` (see `InboxSchema`). */
export const inboxName = (name: string): string => `palate:${name}:inbox`

/**
 * The localStorage marks appends leave, one per append (`palate:<name>:inbox:<time>-<random>`),
 * set before its write is issued and removed once a page has folded it in. A page reads the inbox
 * at start-up only when there are some: a read there makes a closing page's write wait, and a
 * start-up that reads it for nothing competes with every tab that closes meanwhile.
 */
const markPrefix = (name: string): string => `${inboxName(name)}:`
/** A mark whose append left nothing in the inbox this long after (its write died with its page) goes. */
const MARK_LIFE = 10_000

/** The marks of appends not yet folded in, or null when localStorage cannot tell (missing, throwing). */
function readMarks(name: string): string[] | null {
  try {
    const out: string[] = []
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (key?.startsWith(markPrefix(name))) out.push(key.slice(markPrefix(name).length))
    }
    return out
  } catch {
    return null
  }
}

function removeMark(name: string, mark: string): void {
  try {
    localStorage.removeItem(markPrefix(name) + mark)
  } catch {
    // Another page reads the inbox once for nothing.
  }
}

/** Every mark of the profile `name` goes (an opt-out). */
export function removeMarks(name: string): void {
  for (const mark of readMarks(name) ?? []) removeMark(name, mark)
}

/** Leaves the mark of an append about to be issued (see `markPrefix`), and returns it. */
function markAppend(name: string): string {
  const mark = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  try {
    localStorage.setItem(markPrefix(name) + mark, '')
  } catch {
    // Without localStorage every page reads the inbox at start-up (see `readMarks`); when it is
    // full, this append waits for the next page that reads it for another one.
  }
  return mark
}

/** The inbox as a merge or a load read it: its entries and identity (none when it was not read). */
export interface Inbox {
  waiting: unknown[]
  id: string | null
  /** `appended` when it was read (see `openInbox`). */
  seen: number
  /** The marks read just before it, and when (see `markPrefix`). */
  marks: string[]
  at: number
}

/** An inbox entry's id (its key), or 0 for a record without one. */
const entryId = (entry: unknown): number => {
  const id = (entry as { id?: unknown } | null)?.id
  return typeof id === 'number' && Number.isFinite(id) ? id : 0
}

/** An entry written while a write holding the same event was under way (see `JournalEntry.inFlight`). */
export const doubtful = (entry: unknown): boolean => isJournalEntry(entry) && entry.inFlight === true

/** How far the stored `folded` says `inbox` is folded in: 0 when it is about another inbox (one created anew). */
function foldedUpTo(folded: unknown, inbox: Inbox): number {
  const f = folded as Partial<Folded> | null | undefined
  return f && f.inbox === inbox.id && typeof f.upTo === 'number' && Number.isFinite(f.upTo) ? f.upTo : 0
}

/** What `folded` becomes once every entry read from `inbox` is folded in; null when it stays. */
export function foldTo(inbox: Inbox, folded: unknown): Folded | null {
  if (inbox.id === null || !inbox.waiting.length) return null
  const before = foldedUpTo(folded, inbox)
  const upTo = Math.max(before, ...inbox.waiting.map(entryId))
  return upTo > before || (folded as Partial<Folded> | undefined)?.inbox !== inbox.id ? { inbox: inbox.id, upTo } : null
}

/** The events waiting to be folded in: those an upgrade carried over, and the inbox entries after `folded`. */
export function unfolded(carried: unknown, inbox: Inbox, folded: unknown): unknown[] {
  const after = foldedUpTo(folded, inbox)
  return [...(Array.isArray(carried) ? carried : []), ...inbox.waiting.filter((entry) => entryId(entry) > after)]
}

export type InboxAccess = ReturnType<typeof openInbox>

/**
 * Reading, appending to and clearing the inbox of the profile `name` through one connection;
 * `transaction` opens a transaction on it (failures observed, see idbConnection.ts).
 */
export function openInbox(name: string, transaction: InboxDb['transaction']) {
  /** Appends this connection issued (see `read`). */
  let appended = 0
  /**
   * Whether the inbox may hold entries this page has not folded in and deleted: at start-up, and
   * after this page appended. Another tab's page folds in what it appended itself, or, when it went
   * away first, the next page to start does.
   */
  const left = readMarks(name)
  let mayHold = left === null || left.length > 0

  /** Once what `inbox` read is folded in and deleted: the marks of its appends go, and those of appends that died. */
  function unmark(inbox: Inbox): void {
    const read = new Set(inbox.waiting.map((entry) => (entry as JournalEntry | null)?.u))
    for (const mark of inbox.marks) {
      if (read.has(mark) || parseInt(mark, 36) < inbox.at - MARK_LIFE) removeMark(name, mark)
    }
  }

  /** The inbox held nothing more than `inbox.waiting`, and that is folded in and deleted. */
  function settled(inbox: Inbox): void {
    unmark(inbox)
    if (inbox.seen === appended) mayHold = false
  }

  /**
   * Deletes the inbox entries up to `upTo`, once a merge has folded them in (and moved `folded`
   * past them): in a transaction of its own, after the merge's, so that appends never wait for a
   * merge. Should it fail or the page go first, the next merge deletes them; they are not folded
   * twice meanwhile, being at or before `folded`.
   */
  async function clear(upTo: number, inbox: Inbox): Promise<void> {
    try {
      const tx = transaction('inbox', 'readwrite')
      tx.store.delete(IDBKeyRange.upperBound(upTo))
      await tx.done
      settled(inbox)
    } catch {
      // Left for the next merge.
    }
  }

  return {
    /**
     * Every inbox entry, read in a transaction of the inbox alone — or none, without reading, when
     * this page has no reason to think there are any and `always` is not set. The inbox is read as
     * rarely as that because a page that goes away must find it free: Chromium aborts the pagehide
     * write of a closing page if it has to wait for any other transaction on the inbox, even a read.
     */
    read(always = false): Promise<Inbox> {
      if (!mayHold && !always) return Promise.resolve({ waiting: [], id: null, seen: appended, marks: [], at: 0 })
      return readAll(name, transaction, appended)
    },

    /** After a load: an inbox read empty is settled (its marks go). */
    loaded(inbox: Inbox): void {
      if (!inbox.waiting.length) settled(inbox)
    },

    /** After a merge or a replace: what it folded in is deleted from the inbox, with its marks. */
    async finish(inbox: Inbox, upTo: Folded | null): Promise<void> {
      if (upTo) return clear(upTo.upTo, inbox)
      if (!inbox.waiting.length) settled(inbox)
    },

    /** {@link Store.append}. */
    append(changes: readonly Change[], inFlight: readonly Change[]): Promise<void> {
      const u = markAppend(name)
      appended++
      mayHold = true
      return write(transaction, u, changes, inFlight)
    },
  }
}

/** Reads every inbox entry, in a transaction of the inbox alone; `seen` is the appends issued by then. */
async function readAll(name: string, transaction: InboxDb['transaction'], seen: number): Promise<Inbox> {
  // The marks first: every one read here whose append has committed has its entries in the read.
  const marks = readMarks(name) ?? []
  const at = Date.now()
  const tx = transaction(['inbox', 'meta'], 'readonly')
  const [waiting, id] = await Promise.all([tx.objectStore('inbox').getAll(), tx.objectStore('meta').get('id')])
  return { waiting, id: id ?? null, seen, marks, at }
}

/**
 * Writes an append (its mark `u`). Everything here is issued synchronously, in one write-only
 * transaction that is committed at once: a page that is being unloaded (pagehide) has no time for
 * the reads that folding events into the profile needs, and Chromium aborts a transaction still
 * waiting on them. The inbox is a database no merge writes to, so this write never waits for
 * another tab's.
 */
function write(transaction: InboxDb['transaction'], u: string, changes: readonly Change[], inFlight: readonly Change[]): Promise<void> {
  const tx = transaction('inbox', 'readwrite')
  for (const { event, weight } of changes) tx.store.add({ event, weight, u } as JournalEntry)
  for (const { event, weight } of inFlight) tx.store.add({ event, weight, inFlight: true, u } as JournalEntry)
  tx.commit()
  return tx.done
}
