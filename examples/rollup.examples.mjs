// Builds of the demo storefronts, imported by the root rollup.config.mjs. Owned by examples/.
//
// - examples/build/react-store.js: the React store (examples/react-store/), React included, built
//   from the workspace sources (the same paths tsconfig.json maps), so the demo never runs a stale
//   dist/ of a package, and React, core and the binding each exist once in the bundle.
// - examples/build/vue-store.js: the Vue store (examples/vue-store/), the same way, with Vue's
//   runtime-only build: the store renders with h(), so no template compiler (which needs eval,
//   refused by the demo server's CSP) is shipped.
// - The plain store's examples/build/palate.min.js is the script-tag file itself: the root config
//   writes it next to packages/browser/dist/palate.min.js.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { build } from 'esbuild'
import esbuild from 'rollup-plugin-esbuild'

// As rollup.config.mjs: class fields stay fields.
const target = 'es2022'
const root = fileURLToPath(new URL('..', import.meta.url))
const production = { 'process.env.NODE_ENV': '"production"' }

/** The workspace packages, by import name, as tsconfig.json's `paths` map them. */
const sources = {
  '@palate/core': 'packages/core/src/index.ts',
  '@palate/react': 'packages/react/src/index.ts',
  '@palate/vue': 'packages/vue/src/index.ts',
  palate: 'packages/browser/src/index.ts',
}

function workspaceSources() {
  return {
    name: 'palate-workspace-sources',
    resolveId(id) {
      return sources[id] ? root + sources[id] : null
    },
  }
}

/**
 * React ships CommonJS only, which rollup cannot read without @rollup/plugin-commonjs (not a
 * dependency here). esbuild reads it: it bundles the React entry points the app imports into one
 * ES module (one React, shared by react-dom), and each of them becomes a module that re-exports
 * its part of it. `syntheticNamedExports` lets `import { useState } from 'react'` read the
 * property of the CommonJS `module.exports`.
 */
const REACT_ENTRIES = ['react', 'react/jsx-runtime', 'react-dom/client']
const VENDOR = '\0react-vendor'

function reactFromCommonJs() {
  const require = createRequire(root + 'package.json')
  const name = (entry) => entry.replace(/\W/g, '_')
  return {
    name: 'react-from-commonjs',
    resolveId(id) {
      if (id === VENDOR) return VENDOR
      return REACT_ENTRIES.includes(id) ? `\0vendor:${id}` : null
    },
    async load(id) {
      if (id === VENDOR) {
        const entry = REACT_ENTRIES.map((e) => `export const ${name(e)} = require(${JSON.stringify(require.resolve(e))});`).join('\n')
        const result = await build({
          stdin: { contents: entry, resolveDir: root, loader: 'js' },
          bundle: true,
          write: false,
          format: 'esm',
          target,
          minify: true,
          legalComments: 'none',
          define: production,
          logLevel: 'silent',
        })
        return result.outputFiles[0].text
      }
      if (id.startsWith('\0vendor:')) {
        const entry = id.slice('\0vendor:'.length)
        return { code: `import { ${name(entry)} } from ${JSON.stringify(VENDOR)};\nexport default ${name(entry)};\n`, syntheticNamedExports: 'default' }
      }
      return null
    },
  }
}

/**
 * Vue's runtime-only ES build, and the compile-time flags it expects a bundler to set: no Options
 * API (the store uses setup() only), no devtools, no hydration-mismatch details in production.
 */
const VUE_RUNTIME = 'node_modules/vue/dist/vue.runtime.esm-bundler.js'
const vueFlags = { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' }

function vueRuntime() {
  return {
    name: 'vue-runtime-only',
    resolveId(id) {
      return id === 'vue' ? root + VUE_RUNTIME : null
    },
  }
}

/** `'use client'` in @palate/react's entry means nothing in a browser bundle; rollup only warns that it drops it. */
function onwarn(warning, warn) {
  if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
  if (warning.code === 'SOURCEMAP_ERROR' && /\/src\/index\.ts$/.test(warning.id ?? '')) return
  warn(warning)
}

export default [
  {
    input: 'examples/react-store/main.tsx',
    onwarn,
    plugins: [
      workspaceSources(),
      reactFromCommonJs(),
      nodeResolve({ browser: true }),
      esbuild({ target, jsx: 'automatic', define: production }),
    ],
    output: { file: 'examples/build/react-store.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
  },
  {
    input: 'examples/vue-store/main.ts',
    onwarn,
    plugins: [
      workspaceSources(),
      vueRuntime(),
      nodeResolve({ browser: true }),
      esbuild({ target, define: { ...production, ...vueFlags }, minify: true }),
    ],
    output: { file: 'examples/build/vue-store.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
  },
]
