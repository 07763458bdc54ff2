// Server rendering, in Node with no DOM (the default environment of the unit project).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { renderToString } from 'react-dom/server'
import { createPalate, type Item, type Palate } from '@palate/core'
import * as react from '@palate/react'

/** Browser globals a server render must not read. fake-indexeddb has put an `indexedDB` here. */
const BROWSER_GLOBALS = ['window', 'document', 'indexedDB', 'localStorage', 'sessionStorage', 'BroadcastChannel'] as const

const touched: string[] = []
const restores: (() => void)[] = []

/** Records every read of the browser globals from now on (values are passed through). */
function watchGlobals(): void {
  for (const name of BROWSER_GLOBALS) {
    const own = Object.getOwnPropertyDescriptor(globalThis, name)
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name)
        return own ? (own.get ? own.get.call(globalThis) : own.value) : undefined
      },
    })
    restores.push(() => {
      if (own) Object.defineProperty(globalThis, name, own)
      else delete (globalThis as Record<string, unknown>)[name]
    })
  }
}

afterEach(() => {
  for (const restore of restores.splice(0)) restore()
  touched.length = 0
  vi.restoreAllMocks()
})

interface Product extends Item {
  name: string
}
const products: Product[] = [
  { id: 'gym-1', name: 'Kettlebell', category: 'sports/gym' },
  { id: 'hike-1', name: 'Trail boots', category: 'sports/hiking/boots' },
  { id: 'cook-1', name: 'Dutch oven', category: 'kitchen/cookware' },
]

describe('server rendering', () => {
  beforeAll(() => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('importing @palate/react reads no browser global', async () => {
    vi.resetModules()
    watchGlobals()
    const fresh = await import('@palate/react')
    expect(fresh).not.toBe(react)
    expect(typeof fresh.PalateProvider).toBe('function')
    expect(touched).toEqual([])
    // The watch itself works.
    void globalThis.indexedDB
    expect(touched).toEqual(['indexedDB'])
  })

  function Storefront() {
    const { useRanked, useInterests, useConsent, useShift, useSurprise, useTrack, useSnapshot } = react
    const ranked = useRanked(products)
    const interests = useInterests({ dimension: 'category' })
    const { consent } = useConsent()
    const shift = useShift()
    const [surprise] = useSurprise()
    useTrack()
    return (
      <main data-status={useSnapshot().status} data-consent={consent} data-surprise={String(surprise)} data-shift={shift?.to ?? 'none'}>
        <ol>
          {interests.map((i) => (
            <li key={i.key}>{i.label}</li>
          ))}
        </ol>
        <ul>
          {ranked.map(({ item, reason }) => (
            <li key={item.id} title={reason.text}>
              {item.name}
            </li>
          ))}
        </ul>
      </main>
    )
  }

  const storefrontHtml =
    '<main data-status="loading" data-consent="pending" data-surprise="false" data-shift="none"><ol></ol><ul>' +
    '<li title="Picked by the store">Kettlebell</li><li title="Picked by the store">Trail boots</li>' +
    '<li title="Picked by the store">Dutch oven</li></ul></main>'

  it('renders the storefront order without an instance, touching no browser global', () => {
    watchGlobals()
    const html = renderToString(
      <react.PalateProvider palate={null}>
        <Storefront />
      </react.PalateProvider>,
    )
    expect(html).toBe(storefrontHtml)
    expect(touched).toEqual([])
  })

  it('renders the storefront order even when given an instance that prefers other items', async () => {
    const palate: Palate = createPalate({ storage: 'memory', name: 'ssr-test' })
    await palate.ready
    for (let i = 0; i < 5; i++) palate.track('add_to_cart', products[2]!)
    expect(palate.rank(products)[0]?.item.id).toBe('cook-1')
    palate.setSurprise(true)
    const rank = vi.spyOn(palate, 'rank')
    const interests = vi.spyOn(palate, 'interests')

    watchGlobals()
    const html = renderToString(
      <react.PalateProvider palate={palate}>
        <Storefront />
      </react.PalateProvider>,
    )
    expect(html).toBe(storefrontHtml)
    expect(touched).toEqual([])
    // The live profile is not read on the server: the hydrating render must match this HTML.
    expect(rank).not.toHaveBeenCalled()
    expect(interests).not.toHaveBeenCalled()
    palate.close()
  })

  it('serverConsent is what the server renders', () => {
    const html = renderToString(
      <react.PalateProvider palate={null} serverConsent="granted">
        <Storefront />
      </react.PalateProvider>,
    )
    expect(html).toContain('data-consent="granted"')
  })
})
