// A scratch shop outside the repository with Palate installed from its tarballs, the way the
// README tells a shop to do it. Shared by pack-check (does the install work?) and readme-blocks
// (do the documented examples compile and run against what gets installed?).
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packAll, workspacePackages } from './pack.mjs'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs a command and returns its status and output (npm's note about this machine's user config dropped). */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    .split('\n')
    .filter((line) => !/Unknown user config "nodedir"/.test(line))
    .join('\n')
  return { ok: result.status === 0, status: result.status, output: result.error ? String(result.error) : output, stdout: result.stdout ?? '' }
}

export const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version

/**
 * What a shop installs beside our packages: their peer dependencies (React, and any framework a
 * new binding names), react-dom with React, and each one's `@types/…` package where the repo uses
 * one, all at the versions this repo is tested with.
 */
export function thirdPartyPackages() {
  const names = new Set()
  const ours = new Set(workspacePackages().map((p) => p.manifest.name))
  for (const { manifest } of workspacePackages()) {
    for (const name of Object.keys(manifest.peerDependencies ?? {})) if (!ours.has(name)) names.add(name)
  }
  if (names.has('react')) names.add('react-dom')
  for (const name of [...names]) if (existsSync(join(root, 'node_modules/@types', name, 'package.json'))) names.add(`@types/${name}`)
  return [...names].sort().map((name) => `${name}@${versionOf(name)}`)
}

/**
 * Packs every package, copies the tarballs into a new scratch shop and installs them there by
 * file name (`npm install ./palate-core-0.1.0.tgz …`), with `thirdPartyPackages()`.
 * Returns `{ work, dir, packed, install, thirdParty, remove }`; `install.ok` is false (with npm's
 * output) when the install failed.
 */
export function scratchShop({ prefix = 'palate-shop-', tarballs: only } = {}) {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const dir = join(work, 'shop')
  mkdirSync(dir)
  const packed = packAll(join(work, 'tarballs'))
  for (const p of packed) copyFileSync(p.file, join(dir, basename(p.file)))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-shop', private: true, version: '0.0.0', type: 'module' }, null, 2))
  const files = only ?? packed.map((p) => basename(p.file))
  const thirdParty = thirdPartyPackages()
  const install = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...files.map((f) => `./${f}`), ...thirdParty],
    { cwd: dir },
  )
  return { work, dir, packed, install, files, thirdParty, remove: () => rmSync(work, { recursive: true, force: true }) }
}
