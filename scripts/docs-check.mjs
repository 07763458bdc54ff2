// The docs a storefront developer reads, checked (a step of `npm test`):
//   1. the README's first screen answers what, how big, how to install and how to run, and the
//      README stays short (everything else lives in docs/);
//   2. the README's speed line is the one the benchmark report in docs/benchmarks.md gives
//      (the size line is checked against the build by `size.mjs --check`);
//   3. every generated block is there, once, with its two markers;
//   4. every relative link of README.md, docs/ and the package READMEs points at a file that exists;
//   5. no internal shorthand a shop would not know;
//   6. docs/api.md's snapshot table lists every field of `Snapshot`.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { benchSummary, readBlock, root } from './doc-blocks.mjs'
import { workspacePackages } from './pack.mjs'

const failures = []
const ok = (message) => console.log(`✓ ${message}`)
const fail = (message, detail = '') => {
  failures.push(message)
  console.log(`✗ ${message}${detail ? '\n' + detail.trim().replace(/^/gm, '    ') : ''}`)
}
const read = (file) => readFileSync(join(root, file), 'utf8')

const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)
const packageReadmes = workspacePackages().map((p) => `${p.dir}/README.md`).filter((f) => existsSync(join(root, f)))
const all = ['README.md', ...docs, ...packageReadmes]

// 1. The first screen.
const FIRST_SCREEN = 60
const MAX_README = 120
const readme = read('README.md').split('\n')
const firstScreen = readme.slice(0, FIRST_SCREEN).join('\n')
const answers = [
  ['what it is', /^# Palate\n\n\S/],
  ['how big (the generated size line)', /<!-- size-summary:start -->\n\*\*Size\*\*/],
  ['that the packages are not on the registry', /not on the npm registry/],
  ['how to build the tarballs', /npm run pack/],
  ['how to install them', /npm install \S+\.tgz/],
  ['the script file for plain pages', /packages\/browser\/dist\/palate\.min\.js/],
  ['how to run the demos', /^npm start\b/m],
  ['how to run the tests', /^npm test\b/m],
  ['a script-tag example', /```html\n<script src=/],
  ['a React example', /```tsx\n/],
]
const missing = answers.filter(([, pattern]) => !pattern.test(firstScreen)).map(([what]) => what)
if (missing.length) fail(`the README's first ${FIRST_SCREEN} lines answer everything`, `missing: ${missing.join('; ')}`)
else ok(`the README's first ${FIRST_SCREEN} lines: ${answers.map(([what]) => what).join(', ')}`)
const plain = readme.findIndex((line) => line.startsWith('**Plain TypeScript**'))
if (plain === -1 || plain >= FIRST_SCREEN) fail(`the plain TypeScript example starts within the first ${FIRST_SCREEN} lines`, `found at line ${plain + 1}`)
if (readme.length > MAX_README) fail(`README.md is at most ${MAX_README} lines (the rest belongs in docs/)`, `${readme.length} lines`)
else ok(`README.md is ${readme.length} lines`)

// 2. The speed line.
const report = readBlock('docs/benchmarks.md', 'bench')
const line = readBlock('README.md', 'bench-summary')
if (report === null || line === null) fail('the bench report and the README speed line exist')
else if (line !== benchSummary(report)) fail("the README's speed line matches docs/benchmarks.md (run node scripts/bench/bench.mjs --write)", `README:   ${line}\nexpected: ${benchSummary(report)}`)
else ok("the README's speed line is the one docs/benchmarks.md's report gives")

// 3. Generated blocks: present once each, so a script's rewrite is mechanical.
const BLOCKS = [
  ['README.md', 'size-summary'],
  ['README.md', 'bench-summary'],
  ['docs/size.md', 'size'],
  ['docs/benchmarks.md', 'bench'],
  ['docs/decay.md', 'eval'],
  ['docs/decay.md', 'decay-model'],
]
for (const [file, name] of BLOCKS) {
  const text = read(file)
  const starts = text.split(`<!-- ${name}:start -->`).length - 1
  const ends = text.split(`<!-- ${name}:end -->`).length - 1
  const body = readBlock(file, name)
  if (starts !== 1 || ends !== 1 || body === null || body.trim() === '') fail(`${file} has one non-empty ${name} block`, `${starts} start and ${ends} end markers`)
}
ok(`generated blocks: ${BLOCKS.map(([f, n]) => `${f} (${n})`).join(', ')}`)

// 4. Links.
let links = 0
for (const file of all) {
  const text = read(file).replace(/```[\s\S]*?```/g, '')
  for (const [, href] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:|^#/.test(href)) continue
    links++
    const target = normalize(join(dirname(file), href.split('#')[0]))
    if (!existsSync(join(root, target))) fail(`${file}: the link ${href} points at a file that exists`, `${target} not found`)
  }
}
ok(`${links} relative links in ${all.length} documents checked`)

// 5. Words of the code's insides, not of a shop.
const JARGON = [/\bschema[ -]?\d/i, /\bjournal/i, /κ/, /shrinkage/i, /\bhorizons?\b/i, /tombstone/i, /read-modify-write/i, /this session/i, /the issue (asks|says|wants)/i]
for (const file of all) {
  const found = read(file)
    .split('\n')
    .flatMap((text, i) => JARGON.filter((word) => word.test(text)).map((word) => `${file}:${i + 1}: ${word.source}: ${text.trim().slice(0, 100)}`))
  if (found.length) fail(`${file} speaks a storefront developer's language`, found.join('\n'))
}
ok(`no internal shorthand in ${all.length} documents (${JARGON.map((w) => w.source).join(', ')})`)

// 6. The snapshot's fields, from the declaration itself.
const types = read('packages/core/src/types.ts')
const declaration = types.slice(types.indexOf('export interface Snapshot {'))
const fields = [...declaration.slice(0, declaration.indexOf('\n}')).matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
const api = read('docs/api.md')
const undocumented = fields.filter((field) => !api.includes(`| \`${field}\` |`))
if (fields.length === 0) fail('Snapshot fields found in packages/core/src/types.ts')
else if (undocumented.length) fail("docs/api.md documents every field of the snapshot", `missing: ${undocumented.join(', ')}`)
else ok(`docs/api.md documents every field of the snapshot: ${fields.join(', ')}`)

if (failures.length) {
  console.log(`\ndocs-check FAILED (${failures.length}):\n${failures.map((f) => `- ${f}`).join('\n')}`)
  process.exit(1)
}
console.log('\ndocs-check passed')
