// Real Chromium: the script tag's <palate-preferences> loads the panel file on first connect.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PREFERENCES_TAG } from './definePreferences.js'
import { lazyPreferences, PANEL_FILE, panelUrl } from './lazyPreferences.js'

/** A script element whose src is `url`: the panel file is looked for in its directory. */
function scriptAt(url: string): HTMLScriptElement {
  const script = document.createElement('script')
  script.src = url
  return script
}

const loaded = () => [...document.head.querySelectorAll('script')].filter((script) => script.src.includes('panel-test'))

afterEach(() => {
  for (const node of [...document.querySelectorAll(`${PREFERENCES_TAG}, script[src*=panel-test]`)]) node.remove()
})

describe('lazyPreferences', () => {
  it('finds the panel file next to the script, whatever the base URL says', () => {
    const script = document.createElement('script')
    script.src = 'https://shop.example/assets/js/palate.min.js?v=3'
    expect(panelUrl(script, document)).toBe(`https://shop.example/assets/js/${PANEL_FILE}`)
    // Without a script element (loaded as a module), the document's base is all there is.
    expect(panelUrl(null, document)).toBe(new URL(PANEL_FILE, document.baseURI).href)
  })

  it('loads nothing until a panel connects, then the file once, from next to the script', async () => {
    const appended: string[] = []
    const append = document.head.append.bind(document.head)
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      for (const node of nodes) if (node instanceof HTMLScriptElement) appended.push(node.src)
      append(...nodes)
    })
    const define = lazyPreferences(document, scriptAt(new URL('/panel-test/js/palate.min.js', location.href).href), () => undefined)
    // Two callers waiting (init() and the page, say) share one download.
    const waiting = [define(), define()].map((promise) => promise.catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(appended).toEqual([])
    document.body.append(document.createElement(PREFERENCES_TAG))
    await Promise.all(waiting)
    expect(appended.map((src) => new URL(src).pathname)).toEqual([`/panel-test/js/${PANEL_FILE}`])
  })

  it('reports a file that does not load, and tries again on the next call', async () => {
    const url = new URL(`/panel-test/missing/${PANEL_FILE}`, location.href).href
    const report = vi.fn()
    const define = lazyPreferences(document, scriptAt(url), report)
    document.body.append(document.createElement(PREFERENCES_TAG))
    await expect(define()).rejects.toThrow(`the preferences panel could not be loaded from ${url}`)
    expect(report).toHaveBeenCalledTimes(1)
    expect(loaded()).toHaveLength(0)
    await expect(define()).rejects.toThrow(/could not be loaded/)
    expect(report).toHaveBeenCalledTimes(2)
  })
})
