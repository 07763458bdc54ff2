// Replays users' event logs through the public API and measures three things a storefront sees:
//
// - return visit hit@5: before the first event of a visit (after a 30-minute gap), is that event's
//   category among the top 5 of the categories the shopper has touched so far?
// - in-session intent hit@5: just before each add_to_cart, wishlist or purchase, is its category
//   among the top 5 of the categories touched so far?
// - basket recall@10: before a visit with purchases, the share of its purchased categories found in
//   the top 10 of every category in the store.
//
// Candidates are one item per category, in the store's own order (most events first), with that
// count as `popularity`; every method ranks the same candidates at the same moments.
export const VISIT_GAP = 30 * 60_000
const INTENT = new Set(['add_to_cart', 'wishlist', 'purchase'])

/** The store's order: every category once, the most events first, ties by name. */
export function catalogOf(log) {
  const count = new Map()
  for (const events of log.users.values()) for (const e of events) if (e.item.category) count.set(e.item.category, (count.get(e.item.category) ?? 0) + 1)
  const order = [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const rank = new Map(order.map(([c], i) => [c, i]))
  const items = order.map(([category, n]) => ({ id: category, category, popularity: n }))
  return { items, rank }
}

/** A predictor that is not Palate: the last N events' categories, most frequent first. */
function lastN(n) {
  const recent = []
  return {
    track: (e) => recent.push(e.item.category),
    top: (candidates, k) => {
      const window = recent.slice(-n)
      const score = new Map()
      window.forEach((c, i) => score.set(c, (score.get(c) ?? 0) + 1 + i / 1000))
      const top = [...score.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c).filter((c) => candidates.some((x) => x.category === c))
      for (const c of candidates) {
        if (top.length >= k) break
        if (!score.has(c.category)) top.push(c.category)
      }
      return top.slice(0, k)
    },
    close() {},
  }
}

function storeOrder() {
  return { track() {}, top: (candidates, k) => candidates.slice(0, k).map((c) => c.category), close() {} }
}

function palatePredictor(createPalate, options, clock) {
  const palate = createPalate({ storage: 'memory', now: () => clock.t, ...options })
  return {
    track: (e) => palate.track(e.type, e.item),
    top: (candidates, k) => palate.rank(candidates, { limit: k }).map((r) => r.item.category),
    close: () => palate.close(),
  }
}

/** Runs one method over every user of `log`. Returns the three metrics and how many cases each has. */
export function replay(createPalate, method, log, catalog, { maxUsers = Infinity } = {}) {
  const sums = { ret: 0, retN: 0, intent: 0, intentN: 0, basket: 0, basketN: 0 }
  let users = 0
  for (const events of log.users.values()) {
    if (users++ >= maxUsers) break
    const clock = { t: 0 }
    const predictor = method.lastN ? lastN(method.lastN) : method.none ? storeOrder() : palatePredictor(createPalate, method.options, clock)
    const touched = []
    const seen = new Set()
    let prev = -Infinity
    for (let i = 0; i < events.length; i++) {
      const e = events[i]
      const category = e.item.category
      clock.t = e.t - 1
      if (touched.length) {
        if (e.t - prev > VISIT_GAP) {
          if (category) {
            sums.ret += predictor.top(touched, 5).includes(category) ? 1 : 0
            sums.retN++
          }
          const wanted = new Set()
          for (let j = i; j < events.length && (j === i || events[j].t - events[j - 1].t <= VISIT_GAP); j++) {
            if (events[j].type === 'purchase' && events[j].item.category) wanted.add(events[j].item.category)
          }
          if (wanted.size) {
            const top = new Set(predictor.top(catalog.items, 10))
            let hit = 0
            for (const c of wanted) if (top.has(c)) hit++
            sums.basket += hit / wanted.size
            sums.basketN++
          }
        }
        if (INTENT.has(e.type) && category) {
          sums.intent += predictor.top(touched, 5).includes(category) ? 1 : 0
          sums.intentN++
        }
      }
      clock.t = e.t
      predictor.track(e)
      prev = e.t
      if (category && !seen.has(category)) {
        seen.add(category)
        const item = catalog.items[catalog.rank.get(category)]
        // Keep the touched candidates in the store's order.
        let at = touched.length
        while (at > 0 && catalog.rank.get(touched[at - 1].category) > catalog.rank.get(category)) at--
        touched.splice(at, 0, item)
      }
    }
    predictor.close()
  }
  const ratio = (a, n) => (n ? a / n : NaN)
  return {
    ret: ratio(sums.ret, sums.retN),
    intent: ratio(sums.intent, sums.intentN),
    basket: ratio(sums.basket, sums.basketN),
    cases: { ret: sums.retN, intent: sums.intentN, basket: sums.basketN },
  }
}
