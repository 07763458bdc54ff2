// Packing the interest keys, the item marks and the event log into the compact form packed.ts
// describes and unpacks: what the writes, the migration, the half-lives repair and an import need,
// none of which a page runs to start.
import { EVENT_TYPES } from '../model/events.js'
import type { StoredEvent, StoredItem, StoredKey } from '../types.js'
import type { Packed, PackedLog } from './packed.js'

/** Numbers per key: one value per horizon, then `t`, `f` and `s` (NaN when there is none). */
export function packKeys(records: readonly StoredKey[], horizons: number): Packed {
  const w = horizons + 3
  const n = new Float64Array(records.length * w)
  records.forEach((r, i) => n.set([...r.v, r.t, r.f, r.s ?? NaN], i * w))
  return { k: records.map((r) => r.key), n }
}

/** Item marks: `purchased` and `dismissed` per item (NaN when there is none). */
export function packItems(items: Iterable<StoredItem>): Packed {
  const list = [...items]
  const n = new Float64Array(list.length * 2)
  list.forEach((item, i) => {
    n[i * 2] = item.purchased ?? NaN
    n[i * 2 + 1] = item.dismissed ?? NaN
  })
  return { k: list.map((item) => item.id), n }
}

/** The log of `events`, in their order. */
export function packLog(events: readonly StoredEvent[]): PackedLog {
  const s: string[] = []
  const index = new Map<string, number>()
  const ref = (value: string): number => {
    let i = index.get(value)
    if (i === undefined) index.set(value, (i = s.push(value) - 1))
    return i
  }
  const r: number[] = []
  const t = new Float64Array(events.length)
  events.forEach(({ t: at, type, item }, i) => {
    t[i] = at
    const { category, tags, brand } = item
    r.push(EVENT_TYPES.indexOf(type), ref(item.id), category === undefined ? 0 : ref(category) + 1, brand === undefined ? 0 : ref(brand) + 1, tags ? tags.length + 1 : 0)
    for (const tag of tags ?? []) r.push(ref(tag))
  })
  return { t, s, r: (s.length < 0x10000 ? Uint16Array : Uint32Array).from(r) }
}
