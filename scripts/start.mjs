// `npm start`: installs what is missing, builds every package and demo, serves the demos.
import { ensureDependencies, run } from './setup.mjs'

ensureDependencies()
if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1)
await import('./serve.mjs').then(async ({ startServer }) => {
  const server = await startServer()
  const { address, port } = server.address()
  console.log(`\nPalate demo storefronts: http://${address}:${port}/\n(Ctrl+C to stop)`)
})
