// Server rendering with vue/server-renderer, in Node with no DOM (the default environment of the unit project).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createPalate, type Item, type Palate } from '@palate/core'
import * as vue from '@palate/vue'

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

const Storefront = defineComponent({
  setup() {
    const { useRanked, useInterests, useConsent, useShift, useSurprise, useTrack, useSnapshot } = vue
    const ranked = useRanked(products)
    const interests = useInterests({ dimension: 'category' })
    const { consent } = useConsent()
    const shift = useShift()
    const [surprise] = useSurprise()
    const snapshot = useSnapshot()
    useTrack()
    return () =>
      h('main', { 'data-status': snapshot.value.status, 'data-consent': consent.value, 'data-surprise': String(surprise.value), 'data-shift': shift.value?.to ?? 'none' }, [
        h('ol', interests.value.map((i) => h('li', { key: i.key }, i.label))),
        h('ul', ranked.value.map(({ item, reason }) => h('li', { key: item.id, title: reason.text }, item.name))),
      ])
  },
})

/** The storefront below `providePalate(palate, options)`, as a server app. */
function app(palate: Palate | null, options?: vue.PalateProvideOptions) {
  return createSSRApp(
    defineComponent({
      setup() {
        vue.providePalate(palate, options)
        return () => h(Storefront)
      },
    }),
  )
}

const storefrontHtml =
  '<main data-status="loading" data-consent="pending" data-surprise="false" data-shift="none"><ol></ol><ul>' +
  '<li title="Picked by the store">Kettlebell</li><li title="Picked by the store">Trail boots</li>' +
  '<li title="Picked by the store">Dutch oven</li></ul></main>'

describe('server rendering', () => {
  beforeAll(() => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('importing @palate/vue reads no browser global', async () => {
    vi.resetModules()
    watchGlobals()
    const fresh = await import('@palate/vue')
    expect(fresh).not.toBe(vue)
    expect(typeof fresh.providePalate).toBe('function')
    expect(touched).toEqual([])
    // The watch itself works.
    void globalThis.indexedDB
    expect(touched).toEqual(['indexedDB'])
  })

  it('renders the storefront order without an instance, touching no browser global', async () => {
    // Vue's own app creation looks for a devtools hook on `window`: watched from the render on.
    const server = app(null)
    watchGlobals()
    const html = await renderToString(server)
    expect(html).toBe(storefrontHtml)
    expect(touched).toEqual([])
  })

  it('renders the storefront order even when given an instance that prefers other items, and never subscribes', async () => {
    const palate: Palate = createPalate({ storage: 'memory', name: 'vue-ssr-test' })
    await palate.ready
    for (let i = 0; i < 5; i++) palate.track('add_to_cart', products[2]!)
    expect(palate.rank(products)[0]?.item.id).toBe('cook-1')
    await palate.setSurprise(true)
    const rank = vi.spyOn(palate, 'rank')
    const interests = vi.spyOn(palate, 'interests')
    const getSnapshot = vi.spyOn(palate, 'getSnapshot')
    const subscribe = vi.spyOn(palate, 'subscribe')

    const server = app(palate)
    watchGlobals()
    const html = await renderToString(server)
    expect(html).toBe(storefrontHtml)
    expect(touched).toEqual([])
    // The live profile is not read on the server: the hydrating render must match this HTML. And
    // nothing is subscribed, so a request leaves nothing behind.
    expect(rank).not.toHaveBeenCalled()
    expect(interests).not.toHaveBeenCalled()
    expect(getSnapshot).not.toHaveBeenCalled()
    expect(subscribe).not.toHaveBeenCalled()
    palate.close()
  })

  it('the plugin renders the same', async () => {
    const html = await renderToString(createSSRApp(Storefront).use(vue.createPalatePlugin(null)))
    expect(html).toBe(storefrontHtml)
  })

  it('serverConsent is what the server renders', async () => {
    const html = await renderToString(app(null, { serverConsent: 'granted' }))
    expect(html).toContain('data-consent="granted"')
  })
})
