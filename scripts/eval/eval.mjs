// `npm run eval`: offline evaluation of the interest model, through the public API.
//
// 1. Real baskets: ../shared/data/completejourney/events.csv (2,374 households, one year). One
//    memory instance per household on an injected clock; before each basket, rank one candidate per
//    category and measure recall@10 of that basket's categories. Then the basket is tracked.
// 2. Scripted shoppers (shoppers.mjs): events and days until the new interest leads.
//
// Usage: node scripts/eval/eval.mjs [--data path/to/events.csv] [--households N] [--write]
//   --write   also rewrites the `eval` block of docs/decay.md with these tables (see doc-blocks.mjs)
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createPalate } from '@palate/core'
import { writeBlock } from '../doc-blocks.mjs'
import { DAY, HOUR, leadTime, scenarios } from './shoppers.mjs'

const args = process.argv.slice(2)
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const dataPath = arg('data', process.env.PALATE_EVAL_DATA || fileURLToPath(new URL('../../../shared/data/completejourney/events.csv', import.meta.url)))
const maxHouseholds = Number(arg('households', Infinity))
const K = 10

/** The methods compared: Palate's defaults, and baselines expressed as Palate options where they can be. */
export const methods = [
  { name: 'Palate defaults', options: {} },
  { name: 'lifetime counts (no decay)', options: { halfLives: [Infinity] } },
  { name: 'half-life 1 hour', options: { halfLives: [HOUR] } },
  { name: 'half-life 1 day', options: { halfLives: [DAY] } },
  { name: 'half-life 7 days', options: { halfLives: [7 * DAY] } },
  { name: 'half-life 30 days', options: { halfLives: [30 * DAY] } },
  // Not asked for, but the best single half-life we found on this data (see the README).
  { name: 'half-life 365 days', options: { halfLives: [365 * DAY] } },
  { name: 'last 10 events', lastN: 10 },
  { name: 'store order only (no personalization)', none: true },
]

/** Minimal CSV reader for this file: no quoted fields contain commas except where quoted. */
function parseCsv(text) {
  const lines = text.split('\n').filter(Boolean)
  const header = lines[0].split(',')
  return lines.slice(1).map((line) => {
    const cells = []
    let cell = ''
    let quoted = false
    for (const ch of line) {
      if (ch === '"') quoted = !quoted
      else if (ch === ',' && !quoted) {
        cells.push(cell)
        cell = ''
      } else cell += ch
    }
    cells.push(cell)
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]))
  })
}

export function loadBaskets(path) {
  const rows = parseCsv(readFileSync(path, 'utf8').replace(/\r/g, ''))
  const popularity = new Map()
  const households = new Map()
  for (const row of rows) {
    // A '/' inside a category name is not a level of the path (see the data's README).
    const category = `${row.department}/${row.product_category.replace(/\//g, '&')}`
    popularity.set(category, (popularity.get(category) ?? 0) + 1)
    let baskets = households.get(row.household_id)
    if (!baskets) households.set(row.household_id, (baskets = new Map()))
    let basket = baskets.get(row.basket_id)
    if (!basket) baskets.set(row.basket_id, (basket = { t: Number(row.timestamp), items: [] }))
    basket.t = Math.min(basket.t, Number(row.timestamp))
    basket.items.push({ id: row.product_id, category, brand: row.brand })
  }
  // The storefront's own order: best sellers first, with their sales as `popularity`. Every method
  // ranks the same candidates. (Sales are counted over the whole year: the same slight look-ahead
  // for every method and for the store-order baseline.)
  const candidates = [...popularity.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([category, sales]) => ({ id: category, category, popularity: sales }))
  const byHousehold = [...households.values()].map((baskets) => [...baskets.values()].sort((a, b) => a.t - b.t))
  return { candidates, households: byHousehold, rows: rows.length }
}

/** Recall@K of each basket that has at least one earlier basket, averaged over those baskets. */
export function evaluate(method, data, limit = Infinity) {
  let sum = 0
  let n = 0
  for (const baskets of data.households.slice(0, limit)) {
    let t = 0
    const palate = method.options ? createPalate({ storage: 'memory', now: () => t, ...method.options }) : null
    const recent = []
    baskets.forEach((basket, b) => {
      if (b > 0) {
        t = basket.t - 1
        const top = new Set(predict(method, palate, recent, data.candidates))
        const wanted = new Set(basket.items.map((i) => i.category))
        let hit = 0
        for (const c of wanted) if (top.has(c)) hit++
        sum += hit / wanted.size
        n++
      }
      for (const item of basket.items) {
        t = basket.t
        palate?.track('purchase', item)
        recent.push(item.category)
      }
    })
    palate?.close()
  }
  return { recall: sum / n, baskets: n }
}

function predict(method, palate, recent, candidates) {
  if (palate) return palate.rank(candidates, { limit: K }).map((r) => r.item.category)
  if (method.none) return candidates.slice(0, K).map((c) => c.category)
  // Last N events: categories by count in the window, the most recent first on ties.
  const window = recent.slice(-method.lastN)
  const score = new Map()
  window.forEach((c, i) => score.set(c, (score.get(c) ?? 0) + 1 + i / 1000))
  const top = [...score.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c)
  for (const c of candidates) {
    if (top.length >= K) break
    if (!score.has(c.category)) top.push(c.category)
  }
  return top.slice(0, K)
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |'
  return [line(headers), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...rows.map(line)].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The data set is not part of the repository: say where it was looked for and how to point at it.
  if (dataPath === undefined) {
    console.error('npm run eval: --data needs a path, e.g. npm run eval -- --data path/to/events.csv')
    process.exit(2)
  }
  if (!existsSync(dataPath)) {
    console.error(
      [
        `npm run eval: no data file at ${dataPath}`,
        '',
        'The evaluation replays the Complete Journey grocery sample, an events.csv that is not part of',
        'this repository (columns household_id, basket_id, product_id, department, product_category,',
        'brand, timestamp). Point the evaluation at your copy with:',
        '',
        '  npm run eval -- --data path/to/events.csv',
        '  PALATE_EVAL_DATA=path/to/events.csv npm run eval',
      ].join('\n'),
    )
    process.exit(2)
  }
  const started = performance.now()
  const data = loadBaskets(dataPath)
  console.log(`Complete Journey sample: ${data.rows} purchases, ${data.households.length} households, ${data.candidates.length} categories`)
  const results = methods.map((m) => ({ method: m, ...evaluate(m, data, maxHouseholds) }))
  console.log(`\nBasket recall@${K} of the next basket's categories (${results[0].baskets} baskets with history)\n`)
  const best = Math.max(...results.slice(1).map((r) => r.recall))
  console.log(
    table(
      ['method', `recall@${K}`],
      results.map((r) => [r.method.name, (r.recall * 100).toFixed(2) + '%' + (r === results[0] ? (r.recall >= best ? ' (best)' : ' (NOT best)') : '')]),
    ),
  )

  console.log('\nScripted shoppers: events (and days) after the switch until the new interest leads\n')
  const decayMethods = methods.filter((m) => m.options)
  console.log(
    table(
      ['shopper', ...decayMethods.map((m) => m.name)],
      scenarios.map((make) => {
        const s = make()
        const span = Math.round((s.after.at(-1).t - s.switchAt) / DAY)
        return [s.name, ...decayMethods.map((m) => formatLead(leadTime(createPalate, s, m.options), span))]
      }),
    ),
  )
  console.log('\nStories:\n' + scenarios.map((make) => `- ${make().name}: ${make().story}`).join('\n'))
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`)

  if (args.includes('--write')) {
    if (Number.isFinite(maxHouseholds)) {
      console.error('npm run eval: --write needs every household (drop --households)')
      process.exit(2)
    }
    const markdown = (headers, rows) => [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
    const pct = (r) => (r.recall * 100).toFixed(2) + '%'
    const block = [
      `Measured by \`npm run eval\` on ${data.households.length.toLocaleString('en')} households, ${data.rows.toLocaleString('en')} purchases; recall@${K} of the next basket's categories, over the ${results[0].baskets.toLocaleString('en')} baskets that have an earlier one:`,
      '',
      markdown(['method', `recall@${K}`], results.map((r, i) => (i === 0 ? [`**${r.method.name}**`, `**${pct(r)}**`] : [r.method.name, pct(r)]))),
      '',
      'Scripted shoppers (`scripts/eval/shoppers.mjs`): events (and days) after the switch until the new interest leads:',
      '',
      markdown(
        ['shopper', ...decayMethods.map((m) => m.name)],
        scenarios.map((make) => {
          const s = make()
          const span = Math.round((s.after.at(-1).t - s.switchAt) / DAY)
          return [s.name, ...decayMethods.map((m) => formatLead(leadTime(createPalate, s, m.options), span))]
        }),
      ),
      '',
      ...scenarios.map((make) => `- *${make().name}*: ${make().story}.`),
    ].join('\n')
    console.log(`\ndocs/decay.md (eval): ${writeBlock('docs/decay.md', 'eval', block)}`)
  }
}

function formatLead(lead, span) {
  return lead ? `${lead.events} (${lead.days.toFixed(1)} d)` : `not within ${span} d`
}
