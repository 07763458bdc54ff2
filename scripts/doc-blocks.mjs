// Generated blocks in the docs. A block is everything between `<!-- NAME:start -->` and
// `<!-- NAME:end -->`; the script that measures its figures owns it and rewrites it whole, so
// updating a table is running that script, never editing by hand:
//
//   README.md           size-summary   scripts/size.mjs --write     (checked by size.mjs --check)
//   README.md           bench-summary  scripts/bench/bench.mjs --write (checked by docs-check)
//   docs/size.md        size           scripts/size.mjs --write     (checked by size.mjs --check)
//   docs/benchmarks.md  bench          scripts/bench/bench.mjs --write
//   docs/decay.md       eval           scripts/eval/eval.mjs --write
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

const markers = (name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`]

/** The block's text between its markers (without them), or null when the file has no such block. */
export function readBlock(file, name) {
  const text = readFileSync(`${root}${file}`, 'utf8')
  const [start, end] = markers(name)
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to < from) return null
  return text.slice(from + start.length, to).replace(/^\n/, '').replace(/\n$/, '')
}

/**
 * Replaces the block's content with `body`. Returns 'unchanged' or 'rewritten'; throws when the
 * file has no such block, naming the markers to add.
 */
export function writeBlock(file, name, body) {
  const text = readFileSync(`${root}${file}`, 'utf8')
  const [start, end] = markers(name)
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to < from) throw new Error(`${file} has no ${start} … ${end} block: add the two markers where it belongs`)
  const next = `${text.slice(0, from)}${start}\n${body}\n${text.slice(to)}`
  if (next === text) return 'unchanged'
  writeFileSync(`${root}${file}`, next)
  return 'rewritten'
}

/** The cells of the markdown table row whose first cell starts with `prefix` (and whose second is `where`, if given). */
function row(table, prefix, where) {
  for (const line of table.split('\n')) {
    if (!line.startsWith('|')) continue
    const cells = line.split('|').slice(1, -1).map((c) => c.trim())
    if (cells[0]?.startsWith(prefix) && (where === undefined || cells[1] === where)) return cells
  }
  return null
}

/**
 * The README's one-line speed summary, taken from the bench report (docs/benchmarks.md's block):
 * bench.mjs --write writes it, docs-check recomputes it from the report to catch a hand edit.
 */
export function benchSummary(report) {
  const track = row(report, '`track()` per event, in memory', 'Node')
  const where = row(report, '`rank()` 10,000 never-seen items', 'Chromium') ? 'Chromium' : 'Node'
  const cold = row(report, '`rank()` 10,000 never-seen items', where)
  const again = row(report, '`rank()` the same 10,000 items again', where)
  const ready = row(report, 'ready:', 'Chromium')
  const parts = []
  if (track) parts.push(`\`track()\` ${track[2]} per event`)
  if (cold && again) parts.push(`\`rank()\` of 10,000 never-seen products ${cold[2]}, the same again ${again[2]} (${where})`)
  if (ready) parts.push(`a returning shopper's profile ready ${ready[2]} after the script starts`)
  return `**Speed** (median, a shared 2-core machine): ${parts.join('; ')}. [Benchmarks](docs/benchmarks.md).`
}
