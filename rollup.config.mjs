// One config builds every package: ESM + CJS + bundled .d.ts and .d.cts each, with source maps,
// plus the script-tag file and self-contained modules for the demo pages.
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'
import { buildSync } from 'esbuild'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import examples from './examples/rollup.examples.mjs'

// ES2022: class fields stay fields (an older target compiles each into a call on a helper that
// esbuild emits once per module); class fields, public and #private, are read by every browser
// since Safari 15, Chrome 84 and Firefox 90 (2021).
const target = 'es2022'

/** Dependencies stay external in ESM (the consumer's bundler dedupes them)... */
const external = (deps) => (id) => deps.some((dep) => id === dep || id.startsWith(dep + '/'))

/**
 * `'use client'` is re-added as a banner; rollup would only warn that it drops it from the source
 * (and that esbuild's source map cannot place the dropped directive).
 */
function onwarn(warning, warn) {
  if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
  if (warning.code === 'SOURCEMAP_ERROR' && (warning.loc?.line ?? 99) <= 2 && /\/src\/index\.ts$/.test(warning.id ?? '')) return
  warn(warning)
}

/**
 * ...but are bundled into CJS: idb and nanoid 5 ship ESM only, and a `require` of them only
 * works on the newest Node versions. Their browser builds need nothing but Web Crypto, which Node
 * has had globally since 19.
 */
function library(dir, { deps = [], bundleIntoCjs = [], banner } = {}) {
  const input = `packages/${dir}/src/index.ts`
  return [
    {
      input,
      external: external(deps),
      onwarn,
      plugins: [esbuild({ target, jsx: 'automatic' })],
      // Rarely used parts stay separate chunks next to index.js, loaded with import() (see docs/architecture.md).
      output: { dir: `packages/${dir}/dist`, entryFileNames: 'index.js', chunkFileNames: '[name].js', format: 'es', sourcemap: true, banner },
    },
    {
      input,
      external: external(deps.filter((dep) => !bundleIntoCjs.includes(dep))),
      onwarn,
      plugins: [nodeResolve({ browser: true }), esbuild({ target, jsx: 'automatic' })],
      // One file for require(): CommonJS consumers get the lazy parts inlined.
      output: { file: `packages/${dir}/dist/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named', banner, inlineDynamicImports: true },
    },
    {
      input,
      external: external(deps),
      plugins: [dts({ tsconfig: 'tsconfig.base.json', compilerOptions: { paths: {} } })],
      // The same declarations twice: TypeScript reads a `.d.ts` next to `"type": "module"` as ESM,
      // so a `require` of the package needs its own `.d.cts` or its types claim the wrong format.
      output: [
        { file: `packages/${dir}/dist/index.d.ts`, format: 'es' },
        { file: `packages/${dir}/dist/index.d.cts`, format: 'es' },
      ],
    },
  ]
}

/** A self-contained browser module (everything bundled), for pages with no bundler or import map. */
function standalone(input, files, { minify = false, format = 'es', globals } = {}) {
  return {
    input,
    onwarn,
    ...(globals ? { external: Object.keys(globals) } : {}),
    plugins: [
      nodeResolve({ browser: true }),
      esbuild({ target, jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' } }),
      ...(minify ? [terser({ format: { comments: false }, compress: { passes: 2 } })] : []),
    ],
    output: [files].flat().map((file) => ({ file, format, sourcemap: true, inlineDynamicImports: true, globals })),
  }
}

/**
 * The script tag, `palate.min.js`: a classic script, which cannot import chunks. It is built as AMD
 * modules: the entry, with everything the page needs to start, is palate.min.js, behind the small
 * loader of packages/browser/src/partLoader.ts; each lazy part of the engine is a file of its own
 * next to it (`palate-<part>.min.js`), fetched with a <script> on first use. The loader is global as
 * `palateDefine`, the one name besides `Palate` the script tag defines.
 */
function scriptTag(input, dirs) {
  const loader = buildSync({
    stdin: { contents: "import { createPartLoader } from './partLoader.ts'\nself.palateDefine = createPartLoader(document.currentScript, document)", resolveDir: 'packages/browser/src', loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target,
  }).outputFiles[0].text
  return {
    input,
    onwarn,
    plugins: [
      nodeResolve({ browser: true }),
      esbuild({ target, define: { 'process.env.NODE_ENV': '"production"' } }),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
      {
        // A part that is no longer lazy must not linger next to palate.min.js from an earlier build.
        name: 'stale-parts',
        writeBundle({ dir }, bundle) {
          if (!dir || !existsSync(dir)) return
          for (const file of readdirSync(dir)) {
            const part = file.replace(/\.map$/, '')
            if (/^palate-.+\.min\.js$/.test(part) && part !== 'palate-preferences.min.js' && !(part in bundle)) rmSync(join(dir, file))
          }
        },
      },
    ],
    output: dirs.map((dir) => ({
      dir,
      format: 'amd',
      amd: { autoId: true, define: 'palateDefine' },
      // Names that only the parts use between themselves: short ones.
      minifyInternalExports: true,
      entryFileNames: 'palate.min.js',
      // The chunk with idb in it (the parts that write share it) is named after idb.
      chunkFileNames: (chunk) => `palate-${chunk.moduleIds.some((id) => id.includes('/node_modules/idb/')) ? 'idb' : '[name]'}.min.js`,
      banner: (chunk) => (chunk.isEntry ? loader : ''),
      sourcemap: true,
    })),
  }
}

export default [
  ...library('core', { deps: ['idb', 'nanoid'], bundleIntoCjs: ['idb', 'nanoid'] }),
  ...library('react', { deps: ['react', '@palate/core'], banner: "'use client';" }),
  ...library('vue', { deps: ['vue', '@palate/core'] }),
  ...library('browser', { deps: ['@palate/core', 'idb', 'nanoid'], bundleIntoCjs: ['idb', 'nanoid'] }),
  // The script tag: defines window.Palate; core included, its lazy parts in files next to it. The
  // plain-HTML demo store serves the very same files.
  scriptTag('packages/browser/src/global.ts', ['packages/browser/dist', 'examples/build']),
  // Its preferences panel, loaded next to it when the first <palate-preferences> connects; core is
  // read from the window.Palate the script defined, not shipped twice.
  standalone('packages/browser/src/preferencesPanel.ts', ['packages/browser/dist/palate-preferences.min.js', 'examples/build/palate-preferences.min.js'], {
    minify: true,
    format: 'iife',
    globals: { '@palate/core': 'Palate' },
  }),
  standalone('packages/core/src/index.ts', 'examples/build/core.js'),
  ...examples,
]
