// Checks that every package works once published, from its packed tarball, in a project that is
// not this repo:
//   1. builds (skip with --no-build), packs each package (`npm pack`) into a temp dir;
//   2. lints each tarball with publint: any error or warning fails;
//   3. installs the tarballs (plus react, react-dom and their types, and vue, at the repo's
//      versions, preferring npm's cache) into a scratch consumer project in a temp dir;
//   4. imports each package as ESM and requires it as CJS with Node;
//   5. type-checks a small consumer against the packages with the repo's TypeScript, under
//      `--module nodenext` (an .mts and a .cts file) and `--moduleResolution bundler`.
// Exits 1 with a list of what failed. Nothing is written inside the repo except `npm run build`'s
// output; the temp dir is removed afterwards (keep it with --keep).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const root = fileURLToPath(new URL('..', import.meta.url))
const argv = new Set(process.argv.slice(2))

/** What each package must export at runtime, in both formats. */
const PACKAGES = [
  { dir: 'packages/core', exports: ['createPalate', 'DEFAULT_WEIGHTS', 'itemKeys'] },
  { dir: 'packages/react', exports: ['PalateProvider', 'usePalate', 'useRanked', 'useTrack'] },
  { dir: 'packages/vue', exports: ['providePalate', 'createPalatePlugin', 'usePalate', 'useRanked', 'useTrack'] },
  { dir: 'packages/browser', exports: ['wire', 'definePreferences', 'createPalate'] },
].filter((p) => existsSync(join(root, p.dir, 'package.json')))

const failures = []
const ok = (message) => console.log(`✓ ${message}`)
function fail(step, detail) {
  failures.push(step)
  console.log(`✗ ${step}${detail ? '\n' + detail.trim().replace(/^/gm, '    ') : ''}`)
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .split('\n')
    // npm's note about a user setting of this machine, not about anything checked here.
    .filter((line) => !/Unknown user config "nodedir"/.test(line))
    .join('\n')
  return { ok: result.status === 0, status: result.status, output: result.error ? String(result.error) : output, stdout: result.stdout ?? '' }
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version

// ---- 1. build and pack ----------------------------------------------------------------------------
if (!argv.has('--no-build')) {
  const build = run('npm', ['run', 'build', '--silent'], { cwd: root })
  if (!build.ok) {
    fail('npm run build', build.output.split('\n').slice(-30).join('\n'))
    process.exit(1)
  }
  ok('npm run build')
}

const work = mkdtempSync(join(tmpdir(), 'palate-pack-'))
const tarballs = join(work, 'tarballs')
const consumer = join(work, 'consumer')
mkdirSync(tarballs)
mkdirSync(consumer)

const packed = []
for (const pkg of PACKAGES) {
  const manifest = JSON.parse(readFileSync(join(root, pkg.dir, 'package.json'), 'utf8'))
  const result = run('npm', ['pack', '--json', '--pack-destination', tarballs], { cwd: join(root, pkg.dir) })
  if (!result.ok) {
    fail(`npm pack ${manifest.name}`, result.output)
    continue
  }
  const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))
  packed.push({ ...pkg, name: manifest.name, file: join(tarballs, info.filename), files: info.files.length, size: info.size })
  ok(`npm pack ${manifest.name}: ${info.files.length} files, ${(info.size / 1024).toFixed(1)} KB packed`)
}

// ---- 2. publint, on what is actually published -----------------------------------------------------
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

// ---- 3. a scratch consumer --------------------------------------------------------------------------
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'palate-consumer', private: true, version: '0.0.0' }, null, 2))
const thirdParty = ['react', 'react-dom', '@types/react', '@types/react-dom', 'vue'].map((name) => `${name}@${versionOf(name)}`)
const install = run(
  'npm',
  ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...packed.map((p) => p.file), ...thirdParty],
  { cwd: consumer },
)
if (!install.ok) {
  fail('npm install (consumer)', install.output)
} else {
  ok(`npm install in a scratch consumer: ${packed.map((p) => p.name).join(', ')} from tarballs; ${thirdParty.join(', ')}`)
  // Every @palate package must come from a tarball, never from a registry.
  for (const pkg of packed) {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8'))
    const entries = Object.entries(lock.packages).filter(([path]) => path.endsWith(`node_modules/${pkg.name}`))
    const foreign = entries.filter(([, entry]) => !String(entry.resolved ?? '').startsWith('file:'))
    if (foreign.length) fail(`consumer resolves ${pkg.name} from a registry`, foreign.map(([path, e]) => `${path}: ${e.resolved}`).join('\n'))
  }

  // ---- 4. Node: ESM import and CJS require ------------------------------------------------------------
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

  // ---- 5. types -------------------------------------------------------------------------------------
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
    imports.push(`import { createPalatePlugin, providePalate, useRanked as useRankedVue, useTrack as useTrackVue, type PalateProvideOptions } from '@palate/vue'`)
    imports.push(`import { createSSRApp, defineComponent, h, type ComputedRef } from 'vue'`)
    body.push(
      `const vueOptions: PalateProvideOptions = { serverConsent: 'pending' }`,
      `export const VueShelf = defineComponent({`,
      `  setup() {`,
      `    providePalate(null, vueOptions)`,
      `    const ranked: ComputedRef<Ranked<Product>[]> = useRankedVue(products, { limit: 4 })`,
      `    const track = useTrackVue()`,
      `    return () => h('ul', ranked.value.map(({ item }) => h('li', { key: item.id, onClick: () => track('click', item) }, item.title)))`,
      `  },`,
      `})`,
      `createSSRApp(VueShelf).use(createPalatePlugin(palate))`,
    )
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

if (argv.has('--keep')) console.log(`\nScratch files kept in ${work}`)
else rmSync(work, { recursive: true, force: true })

if (failures.length) {
  console.log(`\npack-check FAILED (${failures.length}):\n${failures.map((f) => `- ${f}`).join('\n')}`)
  process.exit(1)
}
console.log(`\npack-check passed: ${packed.map((p) => p.name).join(', ')}`)
