// `node scripts/rooms.mjs`: every source file of the packages (packages/*/src, tests left out)
// opens with a comment that says what the module owns, is at most 400 lines long, and has no
// function over 80 lines: declarations, methods, accessors and constructors, and function or
// arrow expressions given a name (a variable, an object-literal property, a class field).
// Exits 1 when anything outside the allow-list below is over; what is on it is printed as
// "not yet". A step of `npm test`.
//
// The files are parsed, not scanned: TypeScript 7 has no JS API, but the TypeScript 6 compiler
// that rollup-plugin-dts already needs (@typescript/typescript6) has one, and its parser knows
// strings, template literals, regular expressions and comments exactly as the language does.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ts = createRequire(import.meta.url)('@typescript/typescript6')
const root = fileURLToPath(new URL('..', import.meta.url))

const MAX_FILE_LINES = 400
const MAX_FUNCTION_LINES = 80

/**
 * Files being reworked by other work in progress, printed as "not yet" instead of failing.
 * Take a file off this list as soon as it passes: the check then holds it there.
 */
const NOT_YET = new Map([])

const TEST = /\.(test|spec)\.tsx?$|\.d\.ts$/

/** Source files under each package's src/, tests and declaration files left out. */
function sourceFiles() {
  const files = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name) && !TEST.test(entry.name)) files.push(relative(root, path))
    }
  }
  for (const pkg of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (pkg.isDirectory()) walk(join(root, 'packages', pkg.name, 'src'))
  }
  return files.sort()
}

/** The name a function node is known by, or null when it is not named (a callback, say). */
function nameOf(node) {
  const text = (name) => (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) ? name.text : name ? name.getText() : null)
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return text(node.name) ?? 'default'
  if (ts.isConstructorDeclaration(node)) return 'constructor'
  if (ts.isGetAccessorDeclaration(node)) return `get ${text(node.name)}`
  if (ts.isSetAccessorDeclaration(node)) return `set ${text(node.name)}`
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const parent = node.parent
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return text(parent.name)
    if (ts.isFunctionExpression(node) && node.name) return node.name.text
  }
  return null
}

/** Whether the file opens with a comment (after a directive such as 'use client', if any). */
function opensWithComment(source) {
  const first = source.statements[0]
  if (!first) return false
  const isDirective = (s) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)
  const at = isDirective(first) ? (source.statements[1] ?? first) : first
  const comments = ts.getLeadingCommentRanges(source.text, at.getFullStart()) ?? []
  return comments.length > 0
}

/** What is wrong with one file: its length, its long functions, a missing opening comment. */
function check(file) {
  const text = readFileSync(join(root, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const problems = []
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  if (lines > MAX_FILE_LINES) problems.push(`${file}: ${lines} lines (at most ${MAX_FILE_LINES})`)
  if (!opensWithComment(source)) problems.push(`${file}: no opening comment saying what the module owns`)
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1
  const visit = (node, outer) => {
    const name = ts.isFunctionLike(node) && 'body' in node && node.body ? nameOf(node) : null
    const path = name ? [...outer, name] : outer
    if (name) {
      const start = lineOf(node.getStart(source))
      const length = lineOf(node.getEnd()) - start + 1
      if (length > MAX_FUNCTION_LINES) problems.push(`${file}:${start}: ${path.join(' › ')} is ${length} lines (at most ${MAX_FUNCTION_LINES})`)
    }
    ts.forEachChild(node, (child) => visit(child, path))
  }
  visit(source, [])
  return problems
}

let failed = 0
let waiting = 0
const files = sourceFiles()
for (const file of files) {
  const problems = check(file)
  if (problems.length === 0) continue
  const reason = NOT_YET.get(file)
  for (const problem of problems) {
    if (reason) {
      waiting++
      console.log(`not yet: ${problem} (${reason})`)
    } else {
      failed++
      console.log(`✗ ${problem}`)
    }
  }
}
for (const file of NOT_YET.keys()) {
  if (!files.includes(file)) console.log(`not yet: ${file} is on the allow-list but no longer exists; take it off`)
  else if (check(file).length === 0) console.log(`not yet: ${file} passes now; take it off the allow-list`)
}
console.log(`\nrooms: ${files.length} files, ${failed} over the limits${waiting ? `, ${waiting} not yet (allow-listed)` : ''}`)
process.exit(failed === 0 ? 0 : 1)
