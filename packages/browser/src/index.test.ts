// Node, no DOM: what server rendering and bundlers see when they import the package.
import { afterEach, describe, expect, it } from 'vitest'

const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'indexedDB', 'localStorage', 'sessionStorage', 'BroadcastChannel', 'customElements', 'HTMLElement', 'IntersectionObserver', 'MutationObserver'] as const
const saved = BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const)
afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    else delete (globalThis as Record<string, unknown>)[name]
  }
})

describe('importing palate without a DOM', () => {
  it('touches no browser global, and exports core with the wiring', async () => {
    const touched: string[] = []
    for (const name of BROWSER_GLOBALS) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name)
          return undefined
        },
      })
    }
    const palate = await import('./index.js')
    expect(touched).toEqual([])
    const core = await import('@palate/core')
    expect(palate.createPalate).toBe(core.createPalate)
    expect(typeof palate.wire).toBe('function')
    expect(typeof palate.definePreferences).toBe('function')
    expect(palate.PREFERENCES_TAG).toBe('palate-preferences')
  })
})
