// Scripted shoppers: synthetic histories with a known story, replayed through the public API.
// The unit tests assert the product's bounds on them; `npm run eval` prints the measured numbers.

export const HOUR = 3_600_000
export const DAY = 24 * HOUR
/** A Monday; every scripted history starts here. */
export const START = Date.UTC(2026, 0, 5)

/** A small catalog per category so that views are spread over several products. */
export function product(category, n = 0, extra = {}) {
  return { id: `${category.replace(/\//g, '-')}-${n}`, category, ...extra }
}

/**
 * Builds a history from daily plans: `plan(day)` returns the events of that day as
 * `[type, item]` pairs, which are spread evenly from 9:00 to 21:00.
 */
export function history(days, plan, from = START) {
  const events = []
  for (let d = 0; d < days; d++) {
    const todays = plan(d)
    todays.forEach(([type, item], i) => {
      events.push({ t: from + d * DAY + 9 * HOUR + Math.round(((i + 0.5) * 12 * HOUR) / todays.length), type, item })
    })
  }
  return events
}

const repeat = (n, make) => Array.from({ length: n }, (_, i) => make(i))

/** Whether an interest key is `key` or a narrower category under it. */
export const isUnder = (candidate, key) => candidate === key || candidate.startsWith(key + '/')

/** The position (0-based) of `key` among the shopper's category interests, or -1. */
export function positionOf(palate, key, limit = 50) {
  return palate.interests({ dimension: 'category', limit }).findIndex((i) => isUnder(i.key, key))
}

/**
 * The shopper who bought gym gear for two months (2 views a day, a cart now and then) and then
 * looks at hiking gear 3 times a day. The bound: hiking leads within 2 days.
 */
export function gymToHiking() {
  const gym = (d) => repeat(2, (i) => ['view', product('gym/weights', (d + i) % 6)])
  const before = history(60, (d) => (d % 10 === 4 ? [...gym(d), ['add_to_cart', product('gym/weights', d % 6)]] : gym(d)))
  const switchAt = START + 60 * DAY
  const after = history(14, (d) => repeat(3, (i) => ['view', product('hiking/boots', (d * 3 + i) % 8)]), switchAt)
  return { name: 'gym → hiking', story: '60 days of gym (2 views/day, a cart every 10 days), then hiking at 3 views/day', before, after, switchAt, from: 'category:gym', to: 'category:hiking' }
}

/**
 * Winter sports every winter: skiing for 90 days, a summer of surfing, then skiing again. Stable
 * taste should bring skiing back faster than a brand-new interest would take.
 */
export function seasonal() {
  const ski = (d) => repeat(2, (i) => ['view', product('ski/skis', (d + i) % 5)])
  const surf = (d) => repeat(2, (i) => ['view', product('surf/boards', (d + i) % 5)])
  const winter = history(90, ski)
  const summer = history(120, surf, START + 90 * DAY)
  const switchAt = START + 210 * DAY
  const after = history(30, (d) => repeat(2, (i) => ['view', product('ski/skis', (d + i) % 5)]), switchAt)
  return { name: 'seasonal return', story: '90 days of ski, 120 days of surf, then ski again at 2 views/day', before: [...winter, ...summer], after, switchAt, from: 'category:surf', to: 'category:ski' }
}

/**
 * A runner who buys a gift: one evening of toys (6 views and a purchase) among months of running.
 * The gift may lead for a moment; running should lead again within days, not weeks.
 */
export function giftBurst() {
  const run = (d) => repeat(2, (i) => ['view', product('running/shoes', (d + i) % 6)])
  const gift = history(1, () => [...repeat(6, (i) => ['view', product('toys/lego', i)]), ['purchase', product('toys/lego', 2)]], START + 45 * DAY)
  const switchAt = START + 46 * DAY
  const after = history(14, run, switchAt)
  return { name: 'gift burst', story: '45 days of running, one evening of toys (6 views + a purchase), then running again', before: [...history(45, run), ...gift], after, switchAt, from: 'category:toys', to: 'category:running' }
}

/**
 * A shopper with four steady interests and one stray view of garden tools. The bounds: the
 * stray never enters the top 2 and is out of the top 5 within 7 days.
 */
export function strayView() {
  const steady = ['running/shoes', 'yoga/mats', 'cycling/helmets', 'camping/tents']
  const plan = (d) => steady.map((c, i) => ['view', product(c, (d + i) % 4)])
  const before = history(30, plan)
  const switchAt = START + 30 * DAY
  const stray = { t: switchAt + 12 * HOUR, type: 'view', item: product('garden/tools') }
  const after = [stray, ...history(10, plan, switchAt + DAY)]
  return { name: 'stray view', story: '4 steady interests for 30 days, one view of garden tools, 10 more steady days', before, after, switchAt, stray: 'category:garden' }
}

/**
 * A shopper with a clear order of interests who leaves for six months. The bound: the
 * order on return is the one they left with. Then they come back and look at cycling.
 */
export function returning() {
  const plan = (d) => [
    ...repeat(3, (i) => ['view', product('running/shoes', (d + i) % 5)]),
    ...repeat(2, (i) => ['view', product('yoga/mats', (d + i) % 5)]),
    ['view', product('camping/tents', d % 5)],
  ]
  const before = history(45, plan)
  const leftAt = START + 45 * DAY
  const switchAt = leftAt + 180 * DAY
  const after = history(14, (d) => repeat(3, (i) => ['view', product('cycling/bikes', (d * 3 + i) % 6)]), switchAt)
  return { name: 'returning after 6 months', story: '45 days of running > yoga > camping, 180 days away, then cycling at 3 views/day', before, after, leftAt, switchAt, from: 'category:running', to: 'category:cycling' }
}

export const scenarios = [gymToHiking, seasonal, giftBurst, returning]

/**
 * Replays a scenario through a fresh instance and measures how long the new interest takes to lead
 * the category interests: the number of events after the switch and the days since the switch.
 * `createPalate` is passed in so the same code runs against the sources (tests) or the build (eval).
 */
export function leadTime(createPalate, scenario, options = {}) {
  let t = scenario.switchAt
  const palate = createPalate({ storage: 'memory', now: () => t, ...options })
  for (const e of scenario.before) {
    t = e.t
    palate.track(e.type, e.item)
  }
  let n = 0
  for (const e of scenario.after) {
    t = e.t
    palate.track(e.type, e.item)
    n++
    if (positionOf(palate, scenario.to) === 0) {
      palate.close()
      return { events: n, days: (e.t - scenario.switchAt) / DAY }
    }
  }
  palate.close()
  return null
}
