// `npm test`: installs what is missing, then runs every layer and ends with `N passed, N failed`.
import { readFileSync, rmSync, mkdirSync } from 'node:fs'
import { ensureChromium, ensureDependencies, root, run } from './setup.mjs'

ensureDependencies()
ensureChromium()

const reports = `${root}/test-results/json`
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

let passed = 0
let failed = 0
const lines = []
/** Names of the tests that failed, printed again at the end so a truncated log still says which. */
const failures = []

/** A step that is not a test suite still counts: a broken build is a failure, not a silence. */
function step(name, command, args) {
  const ok = run(command, args) === 0
  if (ok) passed++
  else failed++
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'}`)
  return ok
}

function vitest(project) {
  const file = `${reports}/${project}.json`
  const status = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`])
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'))
    // Skipped or todo tests count as failures: a test that does not run proves nothing.
    const notRun = json.numPendingTests + json.numTodoTests
    passed += json.numPassedTests
    failed += json.numFailedTests + notRun
    lines.push(`${project}: ${json.numPassedTests} passed, ${json.numFailedTests + notRun} failed`)
    for (const suite of json.testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'passed') continue
        const where = suite.name.startsWith(root) ? suite.name.slice(root.length).replace(/^\//, '') : suite.name
        failures.push(`${project} ${test.status}: ${where} › ${test.fullName}`)
      }
    }
    if (status !== 0 && json.numFailedTests + notRun === 0) {
      failed++
      lines.push(`${project}: vitest exited with ${status} (errors outside tests)`)
    }
  } catch {
    failed++
    lines.push(`${project}: no report (vitest exited with ${status})`)
  }
}

function playwright() {
  const file = `${reports}/e2e.json`
  const status = run('npx', ['playwright', 'test'], { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: file } })
  try {
    const { stats } = JSON.parse(readFileSync(file, 'utf8'))
    passed += stats.expected
    failed += stats.unexpected + stats.flaky + stats.skipped
    lines.push(`e2e: ${stats.expected} passed, ${stats.unexpected + stats.flaky + stats.skipped} failed`)
    collectPlaywrightFailures(JSON.parse(readFileSync(file, 'utf8')).suites ?? [], [])
    if (status !== 0 && stats.unexpected + stats.flaky + stats.skipped === 0) {
      failed++
      lines.push(`e2e: playwright exited with ${status}`)
    }
  } catch {
    failed++
    lines.push(`e2e: no report (playwright exited with ${status})`)
  }
}

function collectPlaywrightFailures(suites, titles) {
  for (const suite of suites) {
    const path = suite.file ? [suite.file] : [...titles, suite.title]
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'expected') failures.push(`e2e ${test.status}: ${[...path, spec.title].join(' › ')}`)
      }
    }
    collectPlaywrightFailures(suite.suites ?? [], path)
  }
}

step('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
// The rooms: no source file over 400 lines, no function over 80, every module's opening comment.
step('rooms', 'node', ['scripts/rooms.mjs'])
const built = step('build', 'npm', ['run', 'build', '--silent'])
vitest('unit')
vitest('browser')
if (built) {
  playwright()
  // Bytes are deterministic: a size over its ceiling, or size figures in the docs that drifted, fail here.
  step('size', 'node', ['scripts/size.mjs', '--check'])
  // publint, then each package packed, installed into a scratch project, imported, required, type-checked.
  step('pack-check', 'node', ['scripts/pack-check.mjs', '--no-build'])
  // `npm start` twice in a row (the second within 3 s) and on a busy port; eval without its data.
  step('cli-check', 'node', ['scripts/cli-check.mjs'])
  // The docs: first screen, the speed line against the bench report, links, words, snapshot fields.
  step('docs-check', 'node', ['scripts/docs-check.mjs'])
  // Every README code block marked runnable, pasted into a scratch shop: type-checked, some run.
  step('readme-blocks', 'node', ['scripts/readme-blocks.mjs', '--no-build'])
} else {
  failed += 6
  lines.push('e2e, size, pack-check, cli-check, docs-check, readme-blocks: not run (the build failed)')
}

if (failures.length > 0) console.log('\nNot passed:\n' + failures.map((name) => `  ${name}`).join('\n'))
console.log('\n' + lines.join('\n'))
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
