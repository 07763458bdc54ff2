// Scripted browsing shoppers for `npm run eval`: a seeded, synthetic event log of a general
// marketplace (flat category ids, views, wishlists, carts, purchases), in the same shape as a
// log read by log.mjs. Every shopper shops in visits with a mission (a category they came for),
// wanders off it now and then, and carts what the mission was about. The types differ in where
// missions come from:
//
// - steady: missions drawn from a few lasting interests;
// - shifting: lasting interests that change for good halfway through;
// - seasonal: two sets of interests that take turns every few weeks;
// - gifter: steady, with bursts of one-off categories (a gift) that are bought and never again;
// - returning: steady, then months away, then back with the same interests and one new one;
// - browser: a new mission most visits, returning to recent ones — today's errand, not taste.
import { DAY, HOUR, START } from './shoppers.mjs'
import { seededRandom } from '../../examples/bench/catalog.js'


const CATEGORIES = 300
const MINUTE = 60_000

function shopper(type, id, r) {
  const pick = (list) => list[Math.floor(r() * list.length)]
  const category = () => `c${Math.floor(r() ** 1.5 * CATEGORIES)}`
  const interests = (n) => Array.from({ length: n }, category)
  /** A Zipf-like choice: the first interest most often. */
  const favourite = (list) => list[Math.min(list.length - 1, Math.floor(-Math.log(1 - r()) * 0.8))]
  let lasting = interests(3 + Math.floor(r() * 3))
  const other = interests(3)
  const missions = []
  const events = []
  let t = START + Math.floor(r() * 10 * DAY)
  const days = type === 'returning' ? 40 : 60
  const end = t + days * DAY
  let gone = false
  while (t < end) {
    const progress = 1 - (end - t) / (days * DAY)
    let mission
    if (type === 'shifting' && progress > 0.5) lasting = other
    if (type === 'seasonal') mission = favourite(Math.floor(progress * 6) % 2 ? other : lasting)
    else if (type === 'browser') mission = missions.length && r() < 0.45 ? pick(missions.slice(-4)) : category()
    else if (type === 'gifter' && r() < 0.12) mission = category()
    else mission = favourite(lasting)
    if (type === 'returning' && !gone && progress > 0.6) {
      gone = true
      t += (90 + Math.floor(r() * 90)) * DAY
      lasting = [...lasting, category()]
    }
    missions.push(mission)
    const views = 2 + Math.floor(r() * 8)
    for (let v = 0; v < views; v++) {
      const c = r() < 0.35 ? (r() < 0.5 ? favourite(lasting) : category()) : mission
      events.push({ user: id, t, item: `${c}-${Math.floor(r() * 40)}`, category: c, type: 'view' })
      t += MINUTE * (0.5 + r() * 3)
    }
    const intent = r()
    // Most carts are the visit's mission; some are what an earlier visit was about.
    const wanted = missions.length > 1 && r() < 0.3 ? pick(missions.slice(-6, -1)) : mission
    if (intent < 0.1) events.push({ user: id, t, item: `${wanted}-w`, category: wanted, type: 'wishlist' })
    else if (intent < 0.45) {
      events.push({ user: id, t, item: `${wanted}-x`, category: wanted, type: 'add_to_cart' })
      t += MINUTE * (1 + r() * 4)
      if (r() < 0.5) events.push({ user: id, t, item: `${wanted}-x`, category: wanted, type: 'purchase' })
    }
    // The next visit: hours to days later.
    t += HOUR * (2 + r() * (type === 'browser' ? 30 : 60))
  }
  return events
}

export const SHOPPER_TYPES = ['steady', 'shifting', 'seasonal', 'gifter', 'returning', 'browser']

/** `perType` shoppers of each type, as a log: `{ users: Map<user, event[]>, events }`. */
export function browsingLog(perType = 60, seed = 20261201) {
  const r = seededRandom(seed)
  const users = new Map()
  let count = 0
  for (const type of SHOPPER_TYPES) {
    for (let i = 0; i < perType; i++) {
      const id = `${type}-${i}`
      const events = shopper(type, id, r).map((e) => ({ t: Math.round(e.t), type: e.type, item: { id: e.item, category: e.category } }))
      users.set(id, events)
      count += events.length
    }
  }
  return { users, events: count, skipped: new Map() }
}

/** The same log as CSV text in the documented format, for `npm run eval -- --write-browsing FILE`. */
export function toCsv(log) {
  const lines = ['user,timestamp,item,category,type']
  for (const [user, events] of log.users) for (const e of events) lines.push([user, e.t, e.item.id, e.item.category, e.type].join(','))
  return lines.join('\n') + '\n'
}
