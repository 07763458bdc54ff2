// Checks that every package works once installed the way the README tells a shop to, from the
// tarballs `npm run pack` writes, in a project that is not this repo:
//   1. builds (skip with --no-build), packs every package with scripts/pack.mjs;
//   2. every tarball holds a README.md whose relative links resolve inside the package, and the
//      LICENSE; every tarball the READMEs name (`tarballs/palate-core-0.1.0.tgz`) is one it wrote;
//   3. lints each tarball with publint: any error or warning fails;
//   4. installs the tarballs by file name (`npm install ./palate-core-0.1.0.tgz …`, plus React and
//      its types at the repo's versions, preferring npm's cache) into a scratch shop in a temp
//      dir; nothing of ours may come from a registry; the script file is where the README says;
//   5. imports each package as ESM and requires it as CJS with Node;
//   6. type-checks a small consumer against the packages with the repo's TypeScript, under
//      `--module nodenext` (an .mts and a .cts file) and `--moduleResolution bundler`.
// Exits 1 with a list of what failed. Nothing is written inside the repo except `npm run build`'s
// output; the temp dir is removed afterwards (keep it with --keep).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, join, normalize } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { root, run, scratchShop } from './consumer.mjs'
import { tarballName, workspacePackages } from './pack.mjs'

const argv = new Set(process.argv.slice(2))

/** What each package must export at runtime, in both formats. */
const EXPORTS = {
  '@palate/core': ['createPalate', 'DEFAULT_WEIGHTS', 'itemKeys', 'labelOf'],
  '@palate/react': ['PalateProvider', 'usePalate', 'useRanked', 'useTrack'],
  '@palate/vue': ['providePalate', 'createPalatePlugin', 'usePalate', 'useRanked', 'useTrack'],
  palate: ['wire', 'definePreferences', 'createPalate'],
}

const failures = []
const ok = (message) => console.log(`✓ ${message}`)
function fail(step, detail) {
  failures.push(step)
  console.log(`✗ ${step}${detail ? '\n' + detail.trim().replace(/^/gm, '    ') : ''}`)
}

// ---- 1. build and pack ----------------------------------------------------------------------------
if (!argv.has('--no-build')) {
  const build = run('npm', ['run', 'build', '--silent'], { cwd: root })
  if (!build.ok) {
    fail('npm run build', build.output.split('\n').slice(-30).join('\n'))
    process.exit(1)
  }
  ok('npm run build')
}

const shop = scratchShop({ prefix: 'palate-pack-' })
const consumer = shop.dir
const packed = shop.packed.map((p) => ({ ...p, exports: EXPORTS[p.name] ?? [] }))
for (const p of packed) ok(`npm run pack: ${basename(p.file)} (${p.name}), ${p.files.length} files, ${(p.size / 1024).toFixed(1)} KB`)

// ---- 2. what a shop reads in the package, and the README's install lines ---------------------------
const license = readFileSync(join(root, 'LICENSE'), 'utf8')
for (const p of packed) {
  const list = new Set(p.files)
  if (!list.has('README.md')) fail(`${p.name} packs a README.md`, `packed files: ${[...list].join(', ')}`)
  if (!list.has('LICENSE')) fail(`${p.name} packs the LICENSE`)
  else if (readFileSync(join(root, p.dir, 'LICENSE'), 'utf8') !== license) fail(`${p.dir}/LICENSE is the repository's LICENSE`)
  if (!list.has('README.md')) continue
  const readme = readFileSync(join(root, p.dir, 'README.md'), 'utf8')
  // Links that leave the package (../../README.md) are dead on a shop's disk and on npm.
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((href) => !/^[a-z]+:|^#/.test(href))
  const broken = links.filter((href) => {
    const path = normalize(href.split('#')[0])
    return path.startsWith('..') || !(list.has(path) || [...list].some((f) => f.startsWith(path.replace(/\/$/, '') + '/')))
  })
  if (broken.length) fail(`${p.name} README links resolve inside the package`, broken.join('\n'))
  else ok(`${p.name}: README.md and LICENSE packed; its ${links.length} relative links resolve inside the package`)
}
const produced = new Set(workspacePackages().map(({ manifest }) => tarballName(manifest)))
const docs = ['README.md', ...workspacePackages().map((p) => `${p.dir}/README.md`), ...(existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).map((f) => `docs/${f}`) : [])]
const named = new Map()
for (const doc of docs.filter((d) => existsSync(join(root, d)))) {
  for (const m of readFileSync(join(root, doc), 'utf8').matchAll(/tarballs\/([\w.@-]+\.tgz)/g)) named.set(m[1], doc)
}
const stale = [...named].filter(([file]) => !produced.has(file))
if (stale.length) fail('every tarball the docs name is one npm run pack writes', stale.map(([file, doc]) => `${doc}: ${file} (npm run pack writes ${[...produced].join(', ')})`).join('\n'))
else ok(`the docs name ${named.size} tarballs, each one npm run pack writes`)

// ---- 3. publint, on what is actually published -----------------------------------------------------
for (const pkg of packed) {
  const data = readFileSync(pkg.file)
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
  const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: 'suggestion' })
  const format = (m) => `${m.type}: ${formatMessage(m, manifest, { color: false })}`
  const blocking = messages.filter((m) => m.type === 'error' || m.type === 'warning')
  const suggestions = messages.filter((m) => m.type === 'suggestion')
  if (blocking.length) fail(`publint ${pkg.name}`, [...blocking, ...suggestions].map(format).join('\n'))
  else ok(`publint ${pkg.name}${suggestions.length ? ` (suggestions, not failing:\n${suggestions.map((m) => '    ' + format(m)).join('\n')})` : ''}`)
}

// ---- 4. the scratch shop --------------------------------------------------------------------------
const install = shop.install
if (!install.ok) {
  fail('npm install (scratch shop)', install.output)
} else {
  ok(`npm install ${shop.files.map((f) => './' + f).join(' ')} in a scratch shop, with ${shop.thirdParty.join(', ')}`)
  // Every @palate package must come from a tarball, never from a registry.
  for (const pkg of packed) {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'))
    const entries = Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${pkg.name}`))
    const foreign = entries.filter(([, entry]) => !String(entry.resolved ?? '').startsWith('file:'))
    if (foreign.length) fail(`consumer resolves ${pkg.name} from a registry`, foreign.map(([path, e]) => `${path}: ${e.resolved}`).join('\n'))
  }

  // The script file for plain pages, where the README says the installed package has it.
  const script = join(consumer, 'node_modules/palate/dist/palate.min.js')
  if (!existsSync(script)) fail('node_modules/palate/dist/palate.min.js is installed')
  else if (!readFileSync(script).equals(readFileSync(join(root, 'packages/browser/dist/palate.min.js')))) fail('the installed palate.min.js is packages/browser/dist/palate.min.js')
  else ok('node_modules/palate/dist/palate.min.js is the built script file')
  // Its preferences panel, which it loads from the same directory.
  const panel = join(consumer, 'node_modules/palate/dist/palate-preferences.min.js')
  if (!existsSync(panel)) fail('node_modules/palate/dist/palate-preferences.min.js is installed next to palate.min.js')
  else if (!readFileSync(panel).equals(readFileSync(join(root, 'packages/browser/dist/palate-preferences.min.js')))) fail('the installed palate-preferences.min.js is the built panel file')
  else ok('node_modules/palate/dist/palate-preferences.min.js is the built panel file, next to palate.min.js')

  // ---- 5. Node: ESM import and CJS require ------------------------------------------------------------
  for (const pkg of packed) {
    const names = JSON.stringify(pkg.exports)
    const check = (m) => `const missing = ${names}.filter((n) => typeof ${m}[n] === 'undefined'); if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(1) }`
    const esm = run(process.execPath, ['--input-type=module', '-e', `import * as m from '${pkg.name}'; ${check('m')}`], { cwd: consumer })
    if (esm.ok) ok(`import '${pkg.name}' (ESM)`)
    else fail(`import '${pkg.name}' (ESM)`, esm.output)
    const cjs = run(process.execPath, ['--input-type=commonjs', '-e', `const m = require('${pkg.name}'); ${check('m')}`], { cwd: consumer })
    if (cjs.ok) ok(`require('${pkg.name}') (CJS)`)
    else fail(`require('${pkg.name}') (CJS)`, cjs.output)
  }
  // The engine itself, from both builds (idb and nanoid are bundled into the CJS one).
  if (packed.some((p) => p.name === '@palate/core')) {
    const smoke = `const p = createPalate({ storage: 'memory' }); await p.ready;
      p.track('view', { id: 'a', category: 'hiking/boots', tags: ['waterproof'] });
      const shelf = p.rank([{ id: 'b', category: 'gym' }, { id: 'c', category: 'hiking/boots' }]);
      if (shelf[0].item.id !== 'c') { console.error('unexpected ranking ' + JSON.stringify(shelf)); process.exit(1) }
      p.close()`
    const esm = run(process.execPath, ['--input-type=module', '-e', `import { createPalate } from '@palate/core'; ${smoke}`], { cwd: consumer })
    if (esm.ok) ok('@palate/core works from ESM (createPalate, track, rank)')
    else fail('@palate/core smoke test (ESM)', esm.output)
    const cjs = run(process.execPath, ['--input-type=commonjs', '-e', `const { createPalate } = require('@palate/core'); (async () => { ${smoke} })().catch((e) => { console.error(e); process.exit(1) })`], { cwd: consumer })
    if (cjs.ok) ok('@palate/core works from CJS (createPalate, track, rank)')
    else fail('@palate/core smoke test (CJS)', cjs.output)
  }

  // ---- 6. types -------------------------------------------------------------------------------------
  const has = (name) => packed.some((p) => p.name === name)
  // One consumer, written three times: the file extension decides the module format under nodenext.
  const imports = []
  const body = []
  if (has('@palate/core')) {
    imports.push(`import { createPalate, type Item, type Palate, type Ranked, type Snapshot } from '@palate/core'`)
    body.push(
      `const palate: Palate = createPalate({ name: 'shop', consent: 'pending', sensitive: ['health'], now: () => 0 })`,
      `interface Product extends Item { title: string }`,
      `const products: Product[] = [{ id: 'sku-1', title: 'Boots', category: 'hiking/boots', tags: ['waterproof'], price: 129 }]`,
      `const shelf: Ranked<Product>[] = palate.rank(products, { limit: 12, surprise: true })`,
      `const title: string = shelf[0]!.item.title`,
      `const status: Snapshot['status'] = palate.getSnapshot().status`,
      `palate.track('add_to_cart', products[0]!)`,
      `// @ts-expect-error: not an event type (fails as unused if the types were missing or any)`,
      `palate.track('like', products[0]!)`,
      `void title, status`,
    )
  }
  if (has('@palate/react')) {
    imports.push(`import { PalateProvider, useRanked, useTrack, type PalateProviderProps } from '@palate/react'`)
    body.push(
      `const props: PalateProviderProps = { palate: null, children: null }`,
      `export function Shelf(): string | undefined {`,
      `  const ranked = useRanked(products, { limit: 4 })`,
      `  const track = useTrack()`,
      `  track('view', ranked[0]!.item)`,
      `  return ranked[0]?.item.title`,
      `}`,
      `void PalateProvider, props`,
    )
  }
  if (has('@palate/vue')) {
    imports.push(`import { providePalate, useRanked as useRankedRef } from '@palate/vue'`)
    body.push(`const rankedRef = (): string | undefined => useRankedRef(products, { limit: 4 }).value[0]?.item.title`, `void providePalate, rankedRef`)
  }
  if (has('palate')) {
    imports.push(`import { wire, definePreferences } from 'palate'`)
    body.push(`const unwire: () => void = wire(palate, document)`, `const element: CustomElementConstructor = definePreferences()`, `void unwire, element`)
  }
  const source = [...imports, '', ...body, ''].join('\n')
  writeFileSync(join(consumer, 'consumer.mts'), source)
  writeFileSync(join(consumer, 'consumer.cts'), source)
  writeFileSync(join(consumer, 'consumer.ts'), source)
  const tsc = join(root, 'node_modules/.bin/tsc')
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'react', '--skipLibCheck', 'false', '--exactOptionalPropertyTypes', '--noUncheckedIndexedAccess']
  const modes = [
    { label: '--module nodenext (consumer.mts: ESM, consumer.cts: CJS)', args: ['--module', 'nodenext', 'consumer.mts', 'consumer.cts'] },
    { label: '--module esnext --moduleResolution bundler', args: ['--module', 'esnext', '--moduleResolution', 'bundler', 'consumer.ts'] },
  ]
  for (const mode of modes) {
    const result = run(tsc, [...common, ...mode.args], { cwd: consumer })
    if (result.ok) ok(`tsc ${mode.label}`)
    else fail(`tsc ${mode.label}`, result.output)
  }
  // Which declaration file each condition picks, so a `require` never gets ESM-flavoured types.
  const trace = run(tsc, [...common, '--module', 'nodenext', '--traceResolution', 'consumer.cts'], { cwd: consumer })
  for (const pkg of packed) {
    const match = trace.stdout.match(new RegExp(`Module name '${pkg.name.replace('/', '\\/')}' was successfully resolved to '([^']+)'`))
    if (!match) fail(`resolve types of '${pkg.name}' from a .cts file`, 'not found in tsc --traceResolution')
    else if (!match[1].endsWith('.d.cts')) fail(`types of '${pkg.name}' for require`, `resolved to ${match[1]}: a CommonJS consumer gets ESM-flavoured types; expected a .d.cts file`)
    else ok(`require types of '${pkg.name}' resolve to ${match[1].slice(match[1].indexOf('node_modules/'))}`)
  }
}

if (argv.has('--keep')) console.log(`\nScratch files kept in ${shop.work}`)
else shop.remove()

if (failures.length) {
  console.log(`\npack-check FAILED (${failures.length}):\n${failures.map((f) => `- ${f}`).join('\n')}`)
  process.exit(1)
}
console.log(`\npack-check passed: ${packed.map((p) => p.name).join(', ')}`)
