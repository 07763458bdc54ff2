// `npm run eval`: offline evaluation of the interest model, through the public API.
//
// For each event log it replays every shopper through a memory instance on an injected clock and
// prints, for Palate's defaults, every single half-life and lifetime counts (and two simple
// baselines), three measures a storefront sees (see replay.mjs):
//   return visit hit@5 · in-session intent hit@5 · basket recall@10
// Logs, in order:
//   1. Complete Journey (../shared/data/completejourney/events.csv): real grocery baskets. Skipped
//      with a note when the file is not there.
//   2. Scripted browsing shoppers (browsing.mjs): a seeded marketplace log of six shopper types.
//   3. Or, with --data, your own log: a CSV of `user,timestamp,item,category,type` (see log.mjs),
//      or a file in the Complete Journey layout (recognised by its header).
// Then the scripted shoppers of shoppers.mjs, one story each.
//
// Usage: node scripts/eval/eval.mjs [--data events.csv] [--users N] [--write] [--write-browsing FILE]
//   --write            also rewrites the `eval` block of docs/decay.md with these tables
//   --write-browsing   writes the scripted browsing log as a CSV in the documented format
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createPalate } from '@palate/core'
import { writeBlock } from '../doc-blocks.mjs'
import { browsingLog, toCsv } from './browsing.mjs'
import { readCompleteJourney, readLog, splitLine } from './log.mjs'
import { catalogOf, replay } from './replay.mjs'
import { DAY, HOUR, measure, scenarios } from './shoppers.mjs'

const args = process.argv.slice(2)
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const defaultData = fileURLToPath(new URL('../../../shared/data/completejourney/events.csv', import.meta.url))
const given = args.includes('--data') ? arg('data') : process.env.PALATE_EVAL_DATA
const maxUsers = Number(arg('users', arg('households', Infinity)))

/** Baselines run with the visit left out: each is exactly one horizon, or a simple rule. */
const alone = { visitContext: false }
export const methods = [
  { name: 'Palate defaults', options: {} },
  { name: 'lifetime counts (no decay)', options: { ...alone, halfLives: [Infinity] }, single: true },
  { name: 'half-life 1 hour', options: { ...alone, halfLives: [HOUR] }, single: true },
  { name: 'half-life 1 day', options: { ...alone, halfLives: [DAY] }, single: true },
  { name: 'half-life 7 days', options: { ...alone, halfLives: [7 * DAY] }, single: true },
  { name: 'half-life 30 days', options: { ...alone, halfLives: [30 * DAY] }, single: true },
  { name: 'half-life 365 days', options: { ...alone, halfLives: [365 * DAY] }, single: true },
  { name: 'last 10 events', lastN: 10 },
  { name: 'store order only (no personalization)', none: true },
]
const MEASURES = [
  ['ret', 'return visit hit@5'],
  ['intent', 'in-session intent hit@5'],
  ['basket', 'basket recall@10'],
]

function readAny(path) {
  const header = splitLine(readFileSync(path, 'utf8').split('\n', 1)[0]).map((h) => h.trim().toLowerCase())
  return header.includes('household_id') ? readCompleteJourney(path) : readLog(path)
}

const pct = (x) => (Number.isNaN(x) ? '–' : (x * 100).toFixed(2) + '%')

/** Evaluates one log: a row per method, and the defaults' ratio to the best single half-life per measure. */
function evaluateLog(name, log) {
  const catalog = catalogOf(log)
  const rows = methods.map((method) => ({ method, ...replay(createPalate, method, log, catalog, { maxUsers }) }))
  const best = Object.fromEntries(MEASURES.map(([k]) => [k, Math.max(...rows.filter((r) => r.method.single).map((r) => r[k]))]))
  const defaults = rows[0]
  const headers = ['method', ...MEASURES.map(([, label]) => label)]
  const cells = rows.map((r) => [r === defaults ? `**${r.method.name}**` : r.method.name, ...MEASURES.map(([k]) => pct(r[k]))])
  cells.push(['defaults ÷ best single half-life', ...MEASURES.map(([k]) => (best[k] > 0 ? (defaults[k] / best[k]).toFixed(3) : '–'))])
  const users = Math.min(log.users.size, maxUsers)
  const title = `${name}: ${users.toLocaleString('en')} shoppers, ${log.events.toLocaleString('en')} events (cases: ${defaults.cases.ret.toLocaleString('en')} return visits, ${defaults.cases.intent.toLocaleString('en')} intents, ${defaults.cases.basket.toLocaleString('en')} baskets)`
  return { title, headers, cells }
}

function markdown(headers, rows) {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  if (args.includes('--data') && !given) {
    console.error('npm run eval: --data needs a path, e.g. npm run eval -- --data path/to/events.csv')
    process.exit(2)
  }
  const logs = []
  if (given) {
    if (!existsSync(given)) {
      console.error(
        [
          `npm run eval: no data file at ${given}`,
          '',
          'Pass an event log CSV with a header `user,timestamp,item,category,type` (see scripts/eval/log.mjs),',
          'or the Complete Journey sample, with:',
          '',
          '  npm run eval -- --data path/to/events.csv',
          '  PALATE_EVAL_DATA=path/to/events.csv npm run eval',
        ].join('\n'),
      )
      process.exit(2)
    }
    logs.push([given, readAny(given)])
  } else {
    if (existsSync(defaultData)) logs.push(['Complete Journey (real grocery baskets)', readCompleteJourney(defaultData)])
    else console.log(`(No Complete Journey data at ${defaultData}: skipped. Pass your own log with --data.)\n`)
    logs.push(['Scripted browsing shoppers (scripts/eval/browsing.mjs)', browsingLog()])
  }
  if (args.includes('--write-browsing')) {
    writeFileSync(arg('write-browsing'), toCsv(browsingLog()))
    console.log(`wrote the scripted browsing log to ${arg('write-browsing')}`)
  }

  const blocks = []
  for (const [name, log] of logs) {
    if (log.skipped?.size) console.log(`(${name}: skipped lines of unknown type: ${[...log.skipped].map(([t, n]) => `${JSON.stringify(t)} ×${n}`).join(', ')})`)
    const table = evaluateLog(name, log)
    console.log(`${table.title}\n\n${markdown(table.headers, table.cells)}\n`)
    blocks.push(`${table.title}:\n\n${markdown(table.headers, table.cells)}`)
  }

  const decayMethods = methods.filter((m) => m.options)
  const shopperRows = scenarios.map((make) => {
    const s = make()
    return [s.name, ...decayMethods.map((m) => measure(createPalate, s, m.options))]
  })
  const shopperTable = markdown(['shopper', ...decayMethods.map((m) => m.name)], shopperRows)
  const stories = scenarios.map((make) => `- *${make().name}*: ${make().story}.`).join('\n')
  console.log(`Scripted shoppers (scripts/eval/shoppers.mjs): events (and days) until the new interest leads; for the stray view, the best place it reached; for the gym regular, whether a shift was named.\n\n${shopperTable}\n\n${stories}`)
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`)

  if (args.includes('--write')) {
    if (Number.isFinite(maxUsers) || given) {
      console.error('npm run eval: --write needs the default data and every shopper (drop --users and --data)')
      process.exit(2)
    }
    const block = [
      'Measured by `npm run eval`. Hit@5: the category of the event was among the top 5 of the categories the shopper had touched, ranked just before it; recall@10: the share of a visit\'s purchased categories in the top 10 of the whole store.',
      '',
      ...blocks.flatMap((b) => [b, '']),
      'Scripted shoppers (`scripts/eval/shoppers.mjs`): events (and days) until the new interest leads; for the stray view, the best place it reached; for the gym regular, whether a shift was named.',
      '',
      shopperTable,
      '',
      stories,
    ].join('\n')
    console.log(`\ndocs/decay.md (eval): ${writeBlock('docs/decay.md', 'eval', block)}`)
  }
}
