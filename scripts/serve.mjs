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

export function startServer(port = Number(process.env.PORT) || 4173, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    // Directories are served with a trailing slash so that relative links inside them resolve.
    const bare = url.split('?')[0]
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
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    createReadStream(file).pipe(res)
  })
  return new Promise((done) => server.listen(port, host, () => done(server)))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startServer()
  const { address, port } = server.address()
  console.log(`Palate demo storefronts: http://${address}:${port}/`)
}
