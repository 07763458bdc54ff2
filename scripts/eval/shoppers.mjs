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
 * The shopper who bought gym gear for three months (3 views a day, a cart every week) and then
 * looks at hiking gear `perDay` times a day. The bound: hiking leads within 2 days.
 */
export function gymToHiking(perDay = 2) {
  const gym = (d) => repeat(3, (i) => ['view', product(i === 2 ? 'gym/mats' : 'gym/weights', (d + i) % 6)])
  const before = history(90, (d) => (d % 7 === 4 ? [...gym(d), ['add_to_cart', product('gym/weights', d % 6)]] : gym(d)))
  const switchAt = START + 90 * DAY
  const after = history(14, (d) => repeat(perDay, (i) => ['view', product(i % 2 ? 'hiking/packs' : 'hiking/boots', (d * 3 + i) % 8)]), switchAt)
  return { name: `gym → hiking (${perDay}/day)`, story: `90 days of gym (3 views/day, a cart every week), then hiking at ${perDay} views/day`, before, after, switchAt, from: 'category:gym', to: 'category:hiking' }
}

/**
 * A gym regular who only ever shops gym: weights for four weeks, then accessories for two. One
 * interest throughout: no shift may be named.
 */
export function gymOnly() {
  const before = history(28, (d) => repeat(3, (i) => ['view', product('gym/weights', (d + i) % 6)]))
  const switchAt = START + 28 * DAY
  const after = history(14, (d) => repeat(3, (i) => ['view', product('gym/accessories', (d + i) % 6)]), switchAt)
  return { name: 'gym only', story: '28 days of gym weights, then 14 of gym accessories (3 views/day)', before, after, switchAt, from: 'category:gym/weights', to: 'category:gym/accessories' }
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
 * A shopper with six steady interests and one stray view of garden tools. The bounds: the stray
 * never enters the top 2, and is out of the top 5 a week later.
 */
export function strayView() {
  const steady = ['running/shoes', 'yoga/mats', 'cycling/helmets', 'camping/tents', 'books/novels', 'kitchen/knives']
  const plan = (d) => steady.map((c, i) => ['view', product(c, (d + i) % 4)])
  const before = history(30, plan)
  const switchAt = START + 30 * DAY
  const stray = { t: switchAt + 12 * HOUR, type: 'view', item: product('garden/tools') }
  const after = [stray, ...history(10, plan, switchAt + DAY)]
  return { name: 'stray view', story: '6 steady interests for 30 days, one view of garden tools, 10 more steady days', before, after, switchAt, stray: 'category:garden' }
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

export const scenarios = [gymToHiking, seasonal, giftBurst, returning, strayView, gymOnly]

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

/** Replays a scenario's `before` events into a fresh memory instance; returns it and its clock. */
export function replayInto(createPalate, events, options = {}) {
  const clock = { t: events[0]?.t ?? START }
  const palate = createPalate({ storage: 'memory', now: () => clock.t, ...options })
  for (const e of events) {
    clock.t = e.t
    palate.track(e.type, e.item)
  }
  return { palate, clock }
}

/**
 * What `npm run eval` prints for a scenario under `options`: how long the new interest takes to
 * lead; for the stray view, the best position it reached (1 is first); for the gym regular,
 * whether a shift was ever named.
 */
export function measure(createPalate, scenario, options = {}) {
  const span = Math.round((scenario.after.at(-1).t - scenario.switchAt) / DAY)
  if (scenario.stray) {
    const { palate, clock } = replayInto(createPalate, scenario.before, options)
    let best = Infinity
    for (const e of scenario.after) {
      clock.t = e.t
      palate.track(e.type, e.item)
      const at = positionOf(palate, scenario.stray)
      if (at !== -1) best = Math.min(best, at + 1)
    }
    palate.close()
    return best === Infinity ? 'never listed' : `best #${best}`
  }
  if (scenario.name === 'gym only') {
    const { palate, clock } = replayInto(createPalate, scenario.before, options)
    let named = null
    for (const e of scenario.after) {
      clock.t = e.t
      palate.track(e.type, e.item)
      if (!named && palate.getSnapshot().shift) named = (e.t - scenario.switchAt) / DAY
    }
    palate.close()
    return named === null ? 'no shift named' : `shift named at ${named.toFixed(1)} d`
  }
  const lead = leadTime(createPalate, scenario, options)
  return lead ? `${lead.events} (${lead.days.toFixed(1)} d)` : `not within ${span} d`
}
