// The compact form the IndexedDB store keeps the interest keys, the item marks and the event log
// in: one array of strings and one typed array of numbers each, which structured clone (what
// IndexedDB stores) writes as raw bytes, with no property name repeated per record. Unpacking gives
// the readable records back; keys and marks unchecked (their readers check them), events checked.
// Packing them is packing.ts's: only the writes, loaded later, need it.
import { EVENT_TYPES } from '../model/events.js'
import type { StoredEvent, StoredItem, StoredKey } from '../types.js'
import { isStoredEvent } from './records.js'

/** Records as stored: `k` one string per record, `n` its numbers, the same count for each. */
export interface Packed {
  k: string[]
  n: Float64Array
}

/**
 * The event log as stored: `t` the time of each event; `s` every string the log names, once; `r`
 * per event its type (index in `EVENT_TYPES`), its item id, category + 1 and brand + 1 (0: none),
 * its tag count + 1 (0: no tag list) and its tags, as indices in `s`.
 */
export interface PackedLog {
  t: Float64Array
  s: string[]
  r: Uint16Array | Uint32Array
}

const isPacked = (value: unknown, width: number): value is Packed => {
  const p = value as Packed | null
  return !!p && Array.isArray(p.k) && p.n instanceof Float64Array && p.n.length === p.k.length * width
}

/** The key records `packed` holds; something else stored there is returned as one record of the wrong shape. */
export function unpackKeys(packed: unknown, horizons: number): unknown[] {
  const w = horizons + 3
  if (!isPacked(packed, w)) return packed === undefined ? [] : [packed]
  const { n } = packed
  // Read by index: a view and an iterator per key cost more than the rest of start-up's reading.
  return packed.k.map((key, i) => {
    const at = i * w
    const v: number[] = []
    for (let h = 0; h < horizons; h++) v.push(n[at + h]!)
    const record: StoredKey = { key, v, t: n[at + horizons]!, f: n[at + horizons + 1]! }
    if (!Number.isNaN(n[at + horizons + 2])) record.s = n[at + horizons + 2]!
    return record
  })
}

/** The item marks `packed` holds (see `packItems` in packing.ts), unchecked. */
export function unpackItems(packed: unknown): unknown[] {
  if (!isPacked(packed, 2)) return packed === undefined ? [] : [packed]
  const { n } = packed
  return packed.k.map((id, i) => {
    const item: StoredItem = { id }
    if (!Number.isNaN(n[i * 2])) item.purchased = n[i * 2]!
    if (!Number.isNaN(n[i * 2 + 1])) item.dismissed = n[i * 2 + 1]!
    return item
  })
}

/**
 * The events `packed` holds, in their order, those of the wrong shape (a reference past the end
 * reads as undefined) left out; none when it is not a log.
 */
export function unpackLog(packed: unknown): StoredEvent[] {
  const log = packed as PackedLog | null
  if (!log || !(log.t instanceof Float64Array) || !Array.isArray(log.s) || !ArrayBuffer.isView(log.r)) return []
  const { t, s, r } = log
  const out: StoredEvent[] = []
  let at = 0
  for (let i = 0; i < t.length; i++) {
    const [type, id, category, brand, count] = r.subarray(at, (at += 5))
    const item: StoredEvent['item'] = { id: s[id!]! }
    if (category) item.category = s[category - 1]!
    if (count) item.tags = Array.from(r.subarray(at, (at += count - 1)), (tag) => s[tag]!)
    if (brand) item.brand = s[brand - 1]!
    const event = { t: t[i], type: EVENT_TYPES[type!], item }
    if (isStoredEvent(event)) out.push(event)
  }
  return out
}
