// `npm start`: installs what is missing, builds what changed, serves the demos and prints their
// addresses. PORT picks the port (default 4310); when it is taken, the next free one is used and
// the message says so.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDependencies, root, run } from './setup.mjs'

/** What the build reads: when any of it is newer than the oldest output, the build runs again. */
const INPUTS = ['rollup.config.mjs', 'examples/rollup.examples.mjs', 'tsconfig.base.json', 'package-lock.json', 'examples/react-store', 'examples/catalog']

/** Every package's sources and manifest, and what the build writes for it. */
function packageDirs() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return workspaces.filter((dir) => existsSync(join(root, dir, 'package.json')))
}

function files(path) {
  if (!existsSync(path)) return []
  const stat = statSync(path)
  if (!stat.isDirectory()) return [{ path, mtime: stat.mtimeMs }]
  return readdirSync(path).flatMap((name) => (name === 'node_modules' || name.endsWith('.spec.ts') ? [] : files(join(path, name))))
}

/**
 * Why the build must run, or null when every output is newer than every input. Outputs are the
 * entry files each package's build writes and the demos' bundles.
 */
export function staleReason() {
  const dirs = packageDirs()
  const inputs = [...INPUTS, ...dirs.flatMap((dir) => [`${dir}/src`, `${dir}/package.json`])].flatMap((p) => files(join(root, p)))
  const outputs = [
    ...dirs.flatMap((dir) => ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((f) => `${dir}/dist/${f}`)),
    'packages/browser/dist/palate.min.js',
    'packages/browser/dist/palate-preferences.min.js',
    'examples/build/palate.min.js',
    'examples/build/palate-preferences.min.js',
    'examples/build/core.js',
    'examples/build/react-store.js',
  ]
  const missing = outputs.find((o) => !existsSync(join(root, o)))
  if (missing) return `${missing} is not built yet`
  const oldest = Math.min(...outputs.map((o) => statSync(join(root, o)).mtimeMs))
  const newer = inputs.find((i) => i.mtime > oldest)
  return newer ? `${relative(root, newer.path)} changed since the last build` : null
}

/** The demos the index page links to, as `{ path, title }`: the list `npm start` prints. */
export function demos() {
  const index = readFileSync(join(root, 'examples/index.html'), 'utf8')
  return [...index.matchAll(/<a href="(\/[^"]*)">([^<]+)<\/a>/g)].map((m) => ({ path: m[1], title: m[2] }))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { requestedPort, startServer } = await import('./serve.mjs')
  let wanted
  try {
    wanted = requestedPort()
  } catch (error) {
    console.error(`npm start: ${error.message}`)
    process.exit(1)
  }

  ensureDependencies()
  const reason = staleReason()
  if (reason) {
    console.log(`Building (${reason})…`)
    if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1)
  } else {
    console.log('Build is up to date: nothing changed since the last one.')
  }

  let server
  try {
    server = await startServer(wanted, '127.0.0.1', { tries: 20 })
  } catch (error) {
    console.error(
      error?.code === 'EADDRINUSE'
        ? `npm start: ports ${wanted}–${wanted + 19} are all in use. Set PORT to a free port, e.g. PORT=5000 npm start`
        : `npm start: could not serve the demos: ${error?.message ?? error}`,
    )
    process.exit(1)
  }
  const { address, port } = server.address()
  const base = `http://${address}:${port}`
  const from = process.env.PORT ? 'PORT' : 'the default port'
  if (port !== wanted) console.log(`Port ${wanted} (${from}) is in use, so the demos are on port ${port} instead.`)
  console.log(`\nPalate demos on ${base}/`)
  const list = demos()
  const width = Math.max(...list.map((d) => d.title.length))
  for (const demo of list) console.log(`  ${demo.title.padEnd(width)}  ${base}${demo.path}`)
  console.log(`\nCtrl+C to stop. Another port: PORT=${port === 5000 ? 5001 : 5000} npm start`)
}
