// `npm run pack`: the packages as installable tarballs, for a shop that installs Palate from this
// repository (the packages are not on the npm registry yet).
//
//   node scripts/pack.mjs                builds, then writes every package's tarball into tarballs/
//   node scripts/pack.mjs --out DIR      writes them into DIR instead
//   node scripts/pack.mjs --no-build     packs what is already built
//
// Prints the tarballs and the `npm install` line that installs them. Also importable: pack-check
// calls `packAll` so that it tests exactly what this script hands a shop.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Every workspace package, in the order a shop installs them (the engine first). */
export function workspacePackages() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return workspaces
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
}

/** `@palate/core` 0.1.0 packs as `palate-core-0.1.0.tgz`: npm's own naming. */
export const tarballName = (manifest) => `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`

/**
 * Packs every package into `out`. Returns `{ name, dir, file, files, size }` per package, or
 * throws with npm's output when a pack fails.
 */
export function packAll(out) {
  mkdirSync(out, { recursive: true })
  return workspacePackages().map(({ dir, manifest }) => {
    const result = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: join(root, dir), encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`npm pack ${manifest.name} failed:\n${result.stdout}${result.stderr}`)
    const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))
    return { name: manifest.name, dir, file: join(out, info.filename), files: info.files.map((f) => f.path), size: info.size }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const at = args.indexOf('--out')
  const out = resolve(at === -1 ? join(root, 'tarballs') : args[at + 1] ?? '')
  if (!args.includes('--no-build')) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) process.exit(1)
  }
  try {
    const packed = packAll(out)
    const shown = relative(process.cwd(), out) || '.'
    console.log(`\nTarballs in ${shown}/:`)
    for (const p of packed) console.log(`  ${relative(out, p.file)}  ${p.name}, ${p.files.length} files, ${(p.size / 1024).toFixed(1)} KB`)
    console.log(`\nIn your shop's folder, install the ones you use (the engine always), e.g.:`)
    console.log(`  npm install ${packed.map((p) => p.file).join(' ')}`)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}
