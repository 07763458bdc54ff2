// What the script tag carries of <palate-preferences>: not the panel, but where to find it. When
// the first such element connects, the panel file is loaded with a <script> from the directory the
// script tag itself came from (same origin, so `script-src 'self'` lets it in), and it defines the
// element; the browser then upgrades the elements already on the page. A failed download reaches
// onError (or one console warning) and the storefront goes on without the panel.
import { PREFERENCES_TAG } from './definePreferences.js'

/** The panel file, built next to palate.min.js. */
export const PANEL_FILE = 'palate-preferences.min.js'

/**
 * The panel file's address, from the script element's own src: a page's base URL may be anything
 * (`about:srcdoc` in an srcdoc frame, a `<base>` elsewhere); the script's address is where it is.
 */
export function panelUrl(script: Element | null, doc: Document): string {
  return new URL(PANEL_FILE, (script as HTMLScriptElement | null)?.src || doc.baseURI).href
}

/**
 * Returns the script tag's `definePreferences`: it waits for the first <palate-preferences> on
 * `doc`, then loads the panel file (see {@link panelUrl}) once. Resolves when the file has run;
 * rejects, after reporting, when it could not be loaded (a later call tries again).
 */
export function lazyPreferences(doc: Document, script: Element | null, report: (error: Error) => void): () => Promise<void> {
  let loading: Promise<void> | null = null
  const present = doc.getElementsByTagName(PREFERENCES_TAG)

  const load = (): Promise<void> =>
    (loading ??= new Promise<void>((resolve, reject) => {
      const url = panelUrl(script, doc)
      const tag = doc.createElement('script')
      tag.src = url
      tag.onload = () => resolve()
      tag.onerror = () => {
        tag.remove()
        reject(new Error(`[palate] the preferences panel could not be loaded from ${url}`))
      }
      doc.head.append(tag)
    }).catch((error: Error) => {
      loading = null
      report(error)
      throw error
    }))

  return () => {
    if (customElements.get(PREFERENCES_TAG)) return Promise.resolve()
    if (present.length) return load()
    return new Promise<void>((resolve, reject) => {
      const watch = new MutationObserver(() => {
        if (!present.length) return
        watch.disconnect()
        load().then(resolve, reject)
      })
      watch.observe(doc.documentElement, { childList: true, subtree: true })
    })
  }
}
