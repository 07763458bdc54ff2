// How the script tag loads its lazy parts. The script tag is one classic script, which cannot
// import chunks, so the build writes the engine's lazy parts (export and import, forget, the
// memory store, connection recovery…) as files of their own next to
// palate.min.js, each a `palateDefine(id, deps, factory)` call, and puts this loader in front of
// palate.min.js (see rollup.config.mjs). A part is fetched with a <script> from the directory the
// script tag itself came from (same origin, so `script-src 'self'` lets it in) on first use; a file
// that does not load rejects the call that needed it, which reports it to onError (core's
// live/lazy.ts), and a later call tries again.

/** A module's exports, as the build's AMD output hands them around. */
type Exports = Record<string, unknown>
type Factory = (...deps: unknown[]) => void
export type Define = (id: string, deps: string[], factory: Factory) => void

/**
 * Returns the `define` the part files call. `script` is palate.min.js's own element (read while it
 * runs): the parts are looked for next to it, not from the page's base URL (`about:srcdoc` in an
 * srcdoc frame).
 */
export function createPartLoader(script: Element | null, doc: Document): Define {
  const base = (script as HTMLScriptElement | null)?.src || doc.baseURI
  const defined: Record<string, Exports> = {}
  const loading: Record<string, Promise<Exports>> = {}
  /** A part file that has been added and not yet defined: what its define settles. */
  const started = new Set<string>()
  const waiting: Record<string, [(exports: Exports) => void, (error: unknown) => void]> = {}

  /** A dependency as the build names it, `./palate-forget.min`, fetched once. */
  function load(dep: string): Promise<Exports> {
    const id = dep.slice(2)
    if (defined[id]) return Promise.resolve(defined[id])
    return (loading[id] ??= new Promise<Exports>((resolve, reject) => {
      const tag = doc.createElement('script')
      tag.src = new URL(`${id}.js`, base).href
      const fail = (error: unknown): void => {
        tag.remove()
        delete loading[id]
        delete waiting[id]
        reject(error)
      }
      waiting[id] = [resolve, fail]
      // A file that ran without defining the part (a server's error page served as 200, say).
      tag.onload = () => void (waiting[id] && !started.has(id) && fail(new Error(`[palate] ${tag.src} is not a part of palate.min.js`)))
      tag.onerror = () => fail(new Error(`[palate] ${id}.js could not be loaded from ${tag.src}`))
      doc.head.append(tag)
    }))
  }

  /** The AMD `require` a chunk receives: what its import() calls. */
  function require(deps: string[], resolve: (exports: Exports) => void, reject: (error: unknown) => void): void {
    Promise.all(deps.map(load)).then((parts) => resolve(parts[0]!), reject)
  }

  return (id, deps, factory) => {
    started.add(id)
    const exports: Exports = {}
    const named = (dep: string): unknown => (dep === 'exports' ? exports : dep === 'require' ? require : defined[dep.slice(2)])
    const run = (values: unknown[]): void => {
      factory(...values)
      defined[id] = exports
      waiting[id]?.[0](exports)
      delete waiting[id]
    }
    const ready = deps.map(named)
    // palate.min.js itself needs nothing more, and runs at once: its script is still the current one.
    if (ready.every((value) => value !== undefined)) return run(ready)
    Promise.all(deps.map((dep) => named(dep) ?? load(dep))).then(run, (error: unknown) => waiting[id]?.[1](error))
  }
}
