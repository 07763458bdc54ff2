// Reads an event log CSV for `npm run eval`: one event a line, with a header naming the columns
//
//   user,timestamp,item,category,type
//
// - user: any id; events are grouped by it.
// - timestamp: ms or seconds since the epoch (a value below 10^11 is taken as seconds), or an
//   ISO date that Date.parse understands.
// - item: the product id. category: a '/'-separated path or a flat id.
// - type: view, click, add_to_cart, purchase, wishlist, search or dismiss; the common spellings
//   pv, pageview, cart, addtocart, favorite, favourite, fav, buy, transaction, order are understood too.
// Columns may come in any order; extra columns are ignored. Fields may be "quoted".
import { readFileSync } from 'node:fs'

const TYPES = {
  view: 'view', pv: 'view', pageview: 'view', click: 'click',
  add_to_cart: 'add_to_cart', addtocart: 'add_to_cart', cart: 'add_to_cart',
  purchase: 'purchase', buy: 'purchase', transaction: 'purchase', order: 'purchase',
  wishlist: 'wishlist', favorite: 'wishlist', favourite: 'wishlist', fav: 'wishlist',
  search: 'search', dismiss: 'dismiss',
}

/** Splits one CSV line, honouring double quotes. */
export function splitLine(line) {
  const cells = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') (cell += '"'), i++
      else quoted = !quoted
    } else if (ch === ',' && !quoted) cells.push(cell), (cell = '')
    else cell += ch
  }
  cells.push(cell)
  return cells
}

function parseTime(text, line) {
  const n = Number(text)
  if (text !== '' && Number.isFinite(n)) return n < 1e11 ? n * 1000 : n
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed)) throw new Error(`line ${line}: timestamp ${JSON.stringify(text)} is neither a number nor a date`)
  return parsed
}

/** Parses a log into users' time-ordered event lists: `{ users: Map<user, event[]>, events, skipped }`. */
export function parseLog(text) {
  const lines = text.replace(/\r/g, '').split('\n')
  const header = splitLine(lines[0] ?? '').map((h) => h.trim().toLowerCase())
  const col = (name) => {
    const i = header.indexOf(name)
    if (i === -1) throw new Error(`the header has no "${name}" column (it has: ${header.join(', ')}); expected user,timestamp,item,category,type`)
    return i
  }
  const [u, ts, it, cat, ty] = ['user', 'timestamp', 'item', 'category', 'type'].map(col)
  const users = new Map()
  let events = 0
  const skipped = new Map()
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue
    const cells = splitLine(lines[l])
    const raw = (cells[ty] ?? '').trim().toLowerCase()
    const type = TYPES[raw]
    if (!type) {
      skipped.set(raw, (skipped.get(raw) ?? 0) + 1)
      continue
    }
    const event = { t: parseTime(cells[ts].trim(), l + 1), type, item: { id: cells[it], category: cells[cat] || undefined } }
    let list = users.get(cells[u])
    if (!list) users.set(cells[u], (list = []))
    list.push(event)
    events++
  }
  for (const list of users.values()) list.sort((a, b) => a.t - b.t)
  return { users, events, skipped }
}

export function readLog(path) {
  return parseLog(readFileSync(path, 'utf8'))
}

/**
 * The Complete Journey sample (../shared/data) in the same shape: every line item a purchase, the
 * category `department/product_category` (a '/' inside a name is not a level: it becomes '&').
 * Line items of one basket share the basket's first timestamp, so a basket is one visit.
 */
export function readCompleteJourney(path) {
  const lines = readFileSync(path, 'utf8').replace(/\r/g, '').split('\n')
  const header = splitLine(lines[0])
  const at = (name) => header.indexOf(name)
  const [ts, hh, bk, pid, dep, pc, br] = ['timestamp', 'household_id', 'basket_id', 'product_id', 'department', 'product_category', 'brand'].map(at)
  const baskets = new Map()
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue
    const c = splitLine(lines[l])
    const key = `${c[hh]}|${c[bk]}`
    let b = baskets.get(key)
    if (!b) baskets.set(key, (b = { user: c[hh], t: Number(c[ts]), items: [] }))
    b.t = Math.min(b.t, Number(c[ts]))
    b.items.push({ id: c[pid], category: `${c[dep]}/${c[pc].replace(/\//g, '&')}`, brand: c[br] })
  }
  const users = new Map()
  let events = 0
  for (const b of baskets.values()) {
    let list = users.get(b.user)
    if (!list) users.set(b.user, (list = []))
    for (const item of b.items) list.push({ t: b.t, type: 'purchase', item }), events++
  }
  for (const list of users.values()) list.sort((a, b) => a.t - b.t)
  return { users, events, skipped: new Map() }
}
