// Server rendering imports the package in Node, with no DOM: module code must not touch a browser
// global. Every one of them is replaced by a getter that records the access.
import { afterEach, describe, expect, it } from 'vitest'

const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'indexedDB', 'localStorage', 'sessionStorage', 'BroadcastChannel', 'IDBKeyRange'] as const

function trapBrowserGlobals(): { touched: string[]; restore: () => void } {
  const touched: string[] = []
  const saved = BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const)
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name)
        return undefined
      },
    })
  }
  return {
    touched,
    restore() {
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(globalThis, name, descriptor)
        else delete (globalThis as Record<string, unknown>)[name]
      }
    },
  }
}

let trap: ReturnType<typeof trapBrowserGlobals> | undefined
afterEach(() => trap?.restore())

describe('importing @palate/core on a server', () => {
  it('touches neither window nor indexedDB nor any other browser global', async () => {
    trap = trapBrowserGlobals()
    const core = await import('./index.js')
    expect(typeof core.createPalate).toBe('function')
    expect(trap.touched).toEqual([])
  })
})
