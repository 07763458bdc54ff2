// Serves the demo storefronts (examples/) on 127.0.0.1 with a strict Content-Security-Policy:
// scripts from this origin only, no eval, no inline scripts, and no connections anywhere.
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const examples = fileURLToPath(new URL('../examples', import.meta.url))

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
}

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  // Same-origin frames only: a test page embeds a sandboxed storefront (examples/testing/sandbox).
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ')

function resolve(urlPath) {
  const path = normalize(decodeURIComponent(urlPath.split('?')[0]))
  const file = join(examples, path)
  if (file !== examples && !file.startsWith(examples + sep)) return null
  try {
    const stat = statSync(file)
    if (stat.isDirectory()) return statSync(join(file, 'index.html')).isFile() ? join(file, 'index.html') : null
    return stat.isFile() ? file : null
  } catch {
    return null
  }
}

/**
 * `cache`: let the browser keep what it fetched for ten minutes, as a storefront's static files
 * are (the benchmark's page loads must not fetch and compile every script anew; the demo and the
 * tests are served with `no-store`, so an edit shows at once). `files`: URL paths served from
 * memory (generated scripts and pages; JavaScript unless the path ends in another known
 * extension), with the same headers.
 */
function createHandler({ cache = false, files = {} } = {}) {
  const caching = cache ? 'public, max-age=600' : 'no-store'
  return createServer((req, res) => {
    const url = req.url ?? '/'
    const bare = url.split('?')[0]
    const generated = files[bare]
    if (generated !== undefined) {
      res.writeHead(200, { 'content-type': types[extname(bare)] ?? types['.js'], 'content-security-policy': CSP, 'cache-control': caching, 'x-content-type-options': 'nosniff' })
      res.end(generated)
      return
    }
    // Directories are served with a trailing slash so that relative links inside them resolve.
    if (!bare.endsWith('/') && !extname(bare) && resolve(bare + '/')) {
      res.writeHead(301, { location: bare + '/' })
      res.end()
      return
    }
    const file = resolve(url)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('Not found')
      return
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': caching,
      'x-content-type-options': 'nosniff',
    })
    createReadStream(file).pipe(res)
  })
}

/** `npm start`'s port when PORT is not set. Not 4173, which Vite's preview server takes. */
export const DEFAULT_PORT = 4310

/** The port PORT asks for, or the default; a PORT that is not a port is caller misuse. */
export function requestedPort(env = process.env) {
  if (env.PORT === undefined || env.PORT === '') return DEFAULT_PORT
  const port = Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PORT must be a port number (0-65535), got ${JSON.stringify(env.PORT)}`)
  return port
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (error) => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve(server)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

/**
 * Serves examples/ on `host:port`. With `tries` above 1, a port already in use is not an error:
 * the next ones are tried in turn (`port + 1`, …) and the server says which it took through
 * `server.address()`. `cache` and `files`: see `createHandler`. Rejects with an Error whose `code` is `EADDRINUSE` when none was free.
 */
export async function startServer(port = requestedPort(), host = '127.0.0.1', { tries = 1, cache = false, files = {} } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(createHandler({ cache, files }), port + attempt, host)
    } catch (error) {
      if (error?.code !== 'EADDRINUSE' || attempt + 1 >= tries || port === 0 || port + attempt >= 65535) throw error
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Used by the end-to-end tests, which need exactly the port they asked for.
  try {
    const server = await startServer()
    const { address, port } = server.address()
    console.log(`Palate demo storefronts: http://${address}:${port}/`)
  } catch (error) {
    console.error(error?.code === 'EADDRINUSE' ? `Port ${requestedPort()} is already in use: stop what runs there, or set PORT to another port.` : String(error?.message ?? error))
    process.exit(1)
  }
}
