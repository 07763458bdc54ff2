// An opt-out holds after a reload when localStorage refuses the marker: full, throwing, or missing.
// Node (fake-indexeddb, a stand-in localStorage) and Chromium (its real localStorage, stubbed).
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closedAfterEach, databaseExists, ensureLocalStorage, uniqueName } from '../testing.js'
import { deniedDbName } from './consent.js'

beforeAll(ensureLocalStorage)
const make = closedAfterEach()
const boots = { id: 'boots', category: 'hiking/boots', tags: ['waterproof'], brand: 'Summit' }

type Fault = 'full' | 'throws' | 'missing'
let restore: (() => void) | null = null
afterEach(() => {
  restore?.()
  restore = null
})

/** localStorage as a storefront that filled it, a sandboxed frame, or a browser without it, give it. */
function fault(kind: Fault): void {
  const owner = Object.getOwnPropertyDescriptor(globalThis, 'localStorage') ? globalThis : Object.getPrototypeOf(globalThis)
  const descriptor = Object.getOwnPropertyDescriptor(owner, 'localStorage')!
  const real = globalThis.localStorage
  if (kind === 'full') {
    const setItem = Storage.prototype.setItem
    const stub = function (this: Storage, key: string, value: string) {
      if (this === real) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      return setItem.call(this, key, value)
    }
    // Node's stand-in is a plain object; Chromium's is a Storage.
    if (real instanceof Storage) Storage.prototype.setItem = stub
    const own = Object.getOwnPropertyDescriptor(real, 'setItem')
    if (own) Object.defineProperty(real, 'setItem', { value: stub, configurable: true, writable: true })
    restore = () => {
      Storage.prototype.setItem = setItem
      if (own) Object.defineProperty(real, 'setItem', own)
    }
    return
  }
  Object.defineProperty(globalThis, 'localStorage', {
    configurable: true,
    get() {
      if (kind === 'throws') throw new DOMException('The document is sandboxed.', 'SecurityError')
      return undefined
    },
  })
  restore = () => {
    if (owner === globalThis) Object.defineProperty(globalThis, 'localStorage', descriptor)
    else delete (globalThis as { localStorage?: unknown }).localStorage
  }
}

// `Storage` does not exist in Node; the stand-in localStorage is then a plain object.
if (typeof (globalThis as { Storage?: unknown }).Storage === 'undefined') (globalThis as { Storage?: unknown }).Storage = class {}

describe.each<Fault>(['full', 'throws', 'missing'])('opt-out with localStorage %s', (kind) => {
  it('holds after a reload, reaches onError, records nothing meanwhile', async () => {
    const name = uniqueName('optout')
    // An earlier visit opted in: the 'granted' marker must not win after the opt-out.
    localStorage.setItem(`palate:${name}:consent`, 'granted')
    const errors: Error[] = []
    const palate = make({ name, onError: (error) => errors.push(error) })
    await palate.ready
    palate.track('view', boots)
    await palate.flush()
    expect(await databaseExists(name)).toBe(true)

    fault(kind)
    await palate.optOut()
    expect(palate.consent()).toBe('denied')
    expect(errors.map((e) => e.message).join('\n')).toMatch(/opt-out marker/)
    palate.close()
    expect(await databaseExists(name)).toBe(false)

    // A reload with localStorage as refusing as before, then one where it works again.
    for (const phase of ['still refusing', 'working again'] as const) {
      if (phase === 'working again') {
        restore?.()
        restore = null
      }
      const again = make({ name })
      again.track('view', boots)
      await again.ready
      expect(again.consent(), phase).toBe('denied')
      again.track('purchase', boots)
      await again.flush()
      expect((await again.export()).events, phase).toEqual([])
      again.close()
      expect(await databaseExists(name), phase).toBe(false)
    }

    // An opt-in undoes it, and takes the second marker away.
    const back = make({ name })
    await back.ready
    await back.optIn()
    expect(back.consent()).toBe('granted')
    back.close()
    expect(await databaseExists(deniedDbName(name))).toBe(false)
    const after = make({ name })
    await after.ready
    expect(after.consent()).toBe('granted')
    localStorage.removeItem(`palate:${name}:consent`)
  })
})

it('with localStorage working, the opt-out leaves no second marker', async () => {
  const name = uniqueName('optout')
  const palate = make({ name })
  await palate.ready
  await palate.optOut()
  expect(await databaseExists(deniedDbName(name))).toBe(false)
  localStorage.removeItem(`palate:${name}:consent`)
})
