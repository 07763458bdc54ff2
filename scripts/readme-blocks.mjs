// The documented examples work as pasted. Every code block of README.md, docs/*.md and the
// package READMEs that follows a `<!-- runnable -->` line is written, verbatim, into a scratch shop
// that installed Palate from its tarballs (scripts/consumer.mjs), and type-checked there under
// `strict` and the flags of Vite's TypeScript templates. A block marked `<!-- runnable: node -->`
// is then also run with Node and must exit 0.
//
//   <!-- runnable -->          type-check it
//   <!-- runnable: node -->    type-check it, then run it
//
// How each fence language is checked is the table LANGUAGES below: a binding for another framework
// adds its blocks' language there (its file extension, and the packages the shop needs come from
// the packages' peer dependencies on their own). Fails on a marked block of a language it does not
// know, so nothing marked is ever skipped.
//
//   node scripts/readme-blocks.mjs [--no-build] [--keep]
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'esbuild'
import { root, run, scratchShop } from './consumer.mjs'
import { workspacePackages } from './pack.mjs'

const argv = new Set(process.argv.slice(2))

/** Fence language → how its blocks are checked. */
const LANGUAGES = {
  ts: { ext: 'ts', loader: 'ts' },
  tsx: { ext: 'tsx', loader: 'tsx' },
}

/** The compiler options of Vite's `react-ts` / `vanilla-ts` templates (tsconfig.app.json), plus the DOM. */
const VITE_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    useDefineForClassFields: true,
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    types: [],
    skipLibCheck: true,
    moduleResolution: 'bundler',
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    moduleDetection: 'force',
    noEmit: true,
    jsx: 'react-jsx',
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
    noUncheckedSideEffectImports: true,
  },
  include: ['blocks'],
}

/** The documents whose blocks are checked: the README, docs/, and every package's README. */
export function documents() {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : []
  return ['README.md', ...docs.sort(), ...workspacePackages().map((p) => `${p.dir}/README.md`)].filter((file) => existsSync(join(root, file)))
}

/**
 * The marked blocks of one Markdown text: `{ line, lang, mode, code }`, `line` being the 1-based
 * line of the first line of code. The marker is an HTML comment alone on its line, right before
 * the opening fence (blank lines between are allowed), so it never shows on a rendered page.
 */
export function runnableBlocks(text) {
  const lines = text.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].trim().match(/^<!--\s*runnable(?::\s*([\w-]+))?\s*-->$/)
    if (!marker) continue
    let j = i + 1
    while (j < lines.length && lines[j].trim() === '') j++
    const fence = lines[j]?.match(/^(`{3,}|~{3,})\s*([\w-]*)/)
    if (!fence) {
      blocks.push({ line: i + 1, error: 'a runnable marker not followed by a code block' })
      continue
    }
    let k = j + 1
    while (k < lines.length && !lines[k].startsWith(fence[1])) k++
    blocks.push({ line: j + 2, lang: fence[2], mode: marker[1] ?? 'typecheck', code: lines.slice(j + 1, k).join('\n') + '\n' })
    i = k
  }
  return blocks
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const failures = []
  const ok = (message) => console.log(`✓ ${message}`)
  const fail = (what, detail) => {
    failures.push(what)
    console.log(`✗ ${what}${detail ? '\n' + detail.trim().replace(/^/gm, '    ') : ''}`)
  }

  if (!argv.has('--no-build')) {
    const build = run('npm', ['run', 'build', '--silent'], { cwd: root })
    if (!build.ok) {
      fail('npm run build', build.output.split('\n').slice(-30).join('\n'))
      process.exit(1)
    }
  }

  // Every marked block, named after where it stands: README.md:57 → blocks/README.md-57.tsx.
  const blocks = []
  for (const doc of documents()) {
    for (const block of runnableBlocks(readFileSync(join(root, doc), 'utf8'))) {
      const where = `${doc}:${block.line}`
      if (block.error) fail(where, block.error)
      else if (!LANGUAGES[block.lang]) fail(where, `a runnable \`\`\`${block.lang || '(no language)'} block: only ${Object.keys(LANGUAGES).join(', ')} can be checked (add the language to LANGUAGES in scripts/readme-blocks.mjs)`)
      else if (!['typecheck', 'node'].includes(block.mode)) fail(where, `unknown marker "runnable: ${block.mode}" (use "runnable" or "runnable: node")`)
      else blocks.push({ ...block, doc, where, file: `blocks/${doc.replace(/[/\\]/g, '_')}-${block.line}.${LANGUAGES[block.lang].ext}` })
    }
  }
  if (blocks.length === 0) fail('runnable blocks', 'no block is marked <!-- runnable --> in any README')

  const shop = scratchShop({ prefix: 'palate-blocks-' })
  if (!shop.install.ok) fail('npm install (scratch shop)', shop.install.output)
  else if (blocks.length) {
    mkdirSync(join(shop.dir, 'blocks'))
    for (const block of blocks) writeFileSync(join(shop.dir, block.file), block.code)
    writeFileSync(join(shop.dir, 'tsconfig.json'), JSON.stringify(VITE_TSCONFIG, null, 2))

    // One compile for all: each block is its own module (moduleDetection: force).
    const tsc = run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: shop.dir })
    const errors = tsc.output.split('\n').filter((line) => /error TS\d+/.test(line))
    for (const block of blocks) {
      // tsc reports `blocks/x.tsx(3,5): error …`: shown as the README's own line.
      const own = errors
        .filter((line) => line.startsWith(block.file + '('))
        .map((line) => line.replace(/^[^(]+\((\d+),(\d+)\)/, (_, l, c) => `${block.doc}:${block.line + Number(l) - 1}:${c}`))
      if (own.length) fail(`${block.where} type-checks (${block.lang}, strict + Vite's flags)`, own.join('\n'))
      else ok(`${block.where} type-checks (${block.lang}, strict + Vite's flags)`)
    }
    const stray = errors.filter((line) => !blocks.some((b) => line.startsWith(b.file + '(')))
    if (!tsc.ok && (stray.length || errors.length === 0)) fail('tsc -p tsconfig.json', stray.join('\n') || tsc.output)

    for (const block of blocks.filter((b) => b.mode === 'node')) {
      const js = transformSync(block.code, { loader: LANGUAGES[block.lang].loader, format: 'esm', target: 'node18', jsx: 'automatic' }).code
      const script = join(shop.dir, block.file.replace(/\.\w+$/, '.run.mjs'))
      writeFileSync(script, js)
      const result = run(process.execPath, [script], { cwd: shop.dir, timeout: 30_000 })
      if (result.ok) ok(`${block.where} runs with Node${result.stdout.trim() ? `: ${result.stdout.trim().split('\n')[0]}` : ''}`)
      else fail(`${block.where} runs with Node`, result.output)
    }
  }

  if (argv.has('--keep')) console.log(`\nScratch shop kept in ${shop.dir}`)
  else shop.remove()
  if (failures.length) {
    console.log(`\nreadme-blocks FAILED (${failures.length}):\n${failures.map((f) => `- ${f}`).join('\n')}`)
    process.exit(1)
  }
  console.log(`\nreadme-blocks passed: ${blocks.length} blocks in ${[...new Set(blocks.map((b) => b.doc))].join(', ')}`)
}
