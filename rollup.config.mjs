// One config builds every package: ESM + CJS + one bundled .d.ts each, with source maps.
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'

const target = 'es2020'

/** Dependencies stay external in ESM (the consumer's bundler dedupes them)... */
const external = (deps) => (id) => deps.some((dep) => id === dep || id.startsWith(dep + '/'))

/**
 * ...but are bundled into CJS: idb and nanoid 5 ship ESM only, and a `require` of them only
 * works on the newest Node versions. Their browser builds need nothing but Web Crypto, which Node
 * has had globally since 19.
 */
function library(dir, { deps = [], bundleIntoCjs = [] } = {}) {
  const input = `packages/${dir}/src/index.ts`
  return [
    {
      input,
      external: external(deps),
      plugins: [esbuild({ target })],
      output: { file: `packages/${dir}/dist/index.js`, format: 'es', sourcemap: true },
    },
    {
      input,
      external: external(deps.filter((dep) => !bundleIntoCjs.includes(dep))),
      plugins: [nodeResolve({ browser: true }), esbuild({ target })],
      output: { file: `packages/${dir}/dist/index.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
    },
    {
      input,
      external: external(deps),
      plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
      output: { file: `packages/${dir}/dist/index.d.ts`, format: 'es' },
    },
  ]
}

/** A self-contained ES module of core for the demo pages, which have no bundler or import map. */
const demoCore = {
  input: 'packages/core/src/index.ts',
  plugins: [nodeResolve({ browser: true }), esbuild({ target })],
  output: { file: 'examples/build/core.js', format: 'es', sourcemap: true },
}

export default [...library('core', { deps: ['idb', 'nanoid'], bundleIntoCjs: ['idb', 'nanoid'] }), demoCore]
