// The commands a developer types first, run for real (a step of `npm test`):
//   1. `npm start` serves every demo it prints (building first if something changed);
//   2. a second run in a row skips the build and serves within 3 s;
//   3. with its port taken, it serves on another one and says which, with no stack trace;
//   4. a changed source file is noticed (its time is put back afterwards);
//   5. the evaluation without its data file says where it looked and how to pass --data, and
//      exits non-zero without a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { statSync, utimesSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { root } from './setup.mjs'
import { staleReason } from './start.mjs'

const failures = []
const ok = (message) => console.log(`✓ ${message}`)
const fail = (message, detail = '') => {
  failures.push(message)
  console.log(`✗ ${message}${detail ? '\n' + detail.trim().replace(/^/gm, '    ') : ''}`)
}

/** A port nobody listens on right now, and a server holding one. */
function holdPort(port = 0) {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}
async function freePort() {
  const server = await holdPort()
  const { port } = server.address()
  await new Promise((done) => server.close(done))
  return port
}

/**
 * Runs `npm start`'s script with PORT until it prints its demo list (or `timeout` ms pass), then
 * stops it. Returns the output, the demo URLs and how long until the index page answered.
 */
function start(port, timeout) {
  return new Promise((resolve) => {
    const started = performance.now()
    // `npm start` itself, in its own process group so that stopping it stops the server too.
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, PORT: String(port) }, detached: true })
    let output = ''
    let done = false
    const finish = async (result) => {
      if (done) return
      done = true
      clearTimeout(timer)
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      resolve({ output, ...result })
    }
    const timer = setTimeout(() => finish({ error: `no demo list within ${timeout} ms` }), timeout)
    child.on('exit', (code) => finish({ error: `exited with ${code} before serving` }))
    const collect = async (chunk) => {
      output += chunk
      if (!/Ctrl\+C/.test(output) || done) return
      const urls = [...output.matchAll(/http:\/\/127\.0\.0\.1:\d+\/\S*/g)].map((m) => m[0])
      try {
        const index = await fetch(urls[0])
        const ms = performance.now() - started
        const statuses = []
        for (const url of urls.slice(1)) statuses.push([url, (await fetch(url)).status])
        finish({ ms, urls, status: index.status, statuses })
      } catch (error) {
        finish({ error: `fetch failed: ${error.message}` })
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
  })
}

const noStack = (output) => !/EADDRINUSE|^\s+at /m.test(output)

// 1. First run: may build (after a change), must serve every demo it lists.
const first = await start(await freePort(), 180_000)
if (first.error) fail('npm start serves the demos', `${first.error}\n${first.output}`)
else {
  const bad = first.statuses.filter(([, status]) => status !== 200)
  if (first.status !== 200 || bad.length || first.urls.length < 4) fail('npm start serves every demo it prints', first.output + bad.map(([u, s]) => `${u}: ${s}`).join('\n'))
  else ok(`npm start serves the index and ${first.statuses.length} demos it prints, each 200 (${(first.ms / 1000).toFixed(1)} s)`)
}

// 2. Second run in a row: nothing changed, so no build, serving within 3 s.
const second = await start(await freePort(), 30_000)
if (second.error) fail('a second npm start serves', `${second.error}\n${second.output}`)
else if (!/up to date/.test(second.output)) fail('a second npm start skips the build', second.output)
else if (second.ms > 3000) fail(`a second npm start serves within 3 s (took ${(second.ms / 1000).toFixed(2)} s)`, second.output)
else ok(`a second npm start skips the build and serves in ${(second.ms / 1000).toFixed(2)} s (limit 3 s)`)

// 3. Its port taken: another port, said so, no stack trace.
const holder = await holdPort(await freePort())
const taken = holder.address().port
const third = await start(taken, 30_000)
holder.close()
const said = third.output.match(/Port (\d+) \(PORT\) is in use, so the demos are on port (\d+) instead/)
if (third.error) fail('npm start with its port taken still serves', `${third.error}\n${third.output}`)
else if (!said || Number(said[1]) !== taken || Number(said[2]) === taken || !third.urls[0].includes(`:${said[2]}/`)) fail('npm start says which port it took instead of a busy one', third.output)
else if (!noStack(third.output)) fail('npm start prints no EADDRINUSE stack trace', third.output)
else ok(`with port ${taken} taken, npm start serves on ${said[2]} and says so (status ${third.status}), no stack trace`)

// 4. A source file newer than the build is noticed. Its time is restored right after.
const source = join(root, 'packages/core/src/index.ts')
const { atime, mtime } = statSync(source)
try {
  utimesSync(source, atime, new Date(Date.now() + 60_000))
  const reason = staleReason()
  if (!reason?.includes('packages/core/src/index.ts')) fail('a changed source file makes npm start build again', `staleReason() = ${reason}`)
  else ok(`a changed source file makes npm start build again ("${reason}")`)
} finally {
  utimesSync(source, atime, mtime)
}

// 5. The evaluation's data set is not in the repository.
const missing = join(root, 'test-results', 'no-such-dir', 'events.csv')
const evaluation = spawnSync(process.execPath, ['scripts/eval/eval.mjs', '--data', missing], { cwd: root, encoding: 'utf8' })
const said5 = `${evaluation.stdout}${evaluation.stderr}`
if (evaluation.status === 0) fail('the evaluation without data exits non-zero', said5)
else if (!said5.includes(missing) || !said5.includes('--data')) fail('the evaluation without data names the path and --data', said5)
else if (/^\s+at |ENOENT/m.test(said5)) fail('the evaluation without data prints no stack trace', said5)
else ok(`the evaluation without its data exits ${evaluation.status}, naming the path it looked at and --data`)

if (failures.length) {
  console.log(`\ncli-check FAILED (${failures.length}):\n${failures.map((f) => `- ${f}`).join('\n')}`)
  process.exit(1)
}
console.log('\ncli-check passed')
