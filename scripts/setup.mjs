// Set-up shared by `npm start` and `npm test`: install what is missing, nothing more.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs a command in the repository, streaming its output; returns its exit status. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  return result.status ?? 1
}

/** `npm ci` when node_modules is missing (a fresh clone) or older than the lock file. */
export function ensureDependencies() {
  if (existsSync(`${root}/node_modules/.package-lock.json`)) return
  console.log('[setup] installing dependencies (npm ci)…')
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) throw new Error('npm ci failed')
}

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Every browser test runs in Debian's Chromium; Playwright never downloads one here. As root we
 * install it from Debian's packages, otherwise we say how.
 */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return
  if (typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('[setup] installing Chromium from Debian packages…')
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (existsSync(chromiumPath)) return
  }
  console.error(
    `[setup] Chromium was not found at ${chromiumPath}.\n` +
      '  Install it with:  sudo apt-get install -y --no-install-recommends chromium\n' +
      '  or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
  )
  process.exit(1)
}
