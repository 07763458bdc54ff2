// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, effectScope, h, nextTick, onMounted, shallowRef } from 'vue'
import type { Palate } from '@palate/core'
import {
  createPalatePlugin,
  useConsent,
  useInterests,
  usePalate,
  useRanked,
  useShift,
  useSnapshot,
  useSurprise,
  useTrack,
} from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts } from './testing.js'

afterEach(() => {
  vi.restoreAllMocks()
  cleanup()
})

const composables = {
  usePalate: () => usePalate(),
  useSnapshot: () => useSnapshot(),
  useRanked: () => useRanked(products),
  useInterests: () => useInterests(),
  useSurprise: () => useSurprise(),
  useConsent: () => useConsent(),
  useShift: () => useShift(),
  useTrack: () => useTrack(),
}

/** A shelf of ids that tracks an add to cart of the Dutch oven once mounted. */
const Shelf = defineComponent({
  setup() {
    const ranked = useRanked(products)
    const track = useTrack()
    onMounted(() => track('add_to_cart', products[4]!))
    return () => h('ul', ranked.value.map((r) => h('li', { key: r.item.id }, r.item.id)))
  },
})

describe('providePalate', () => {
  it.each(Object.entries(composables))('%s() without a provider throws an error naming the composable', (name, use) => {
    let thrown: unknown
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    mount(
      defineComponent({
        setup() {
          try {
            use()
          } catch (error) {
            thrown = error
          }
          return () => null
        },
      }),
    )
    expect(String(thrown)).toBe(`Error: [palate] ${name}() must be used in setup() below providePalate() or app.use(createPalatePlugin())`)
  })

  it('gives usePalate() the instance, and useSnapshot() its snapshot', async () => {
    const palate = await testPalate()
    let got: unknown
    const page = mount(
      defineComponent({
        setup() {
          got = usePalate().value
          const snapshot = useSnapshot()
          return () => h('p', snapshot.value.status)
        },
      }),
      palate,
    )
    expect(got).toBe(palate)
    expect(page.container.querySelector('p')?.textContent).toBe('memory')
  })

  it('with no instance, every composable gives sensible defaults and its setters do nothing', async () => {
    const results: Record<string, unknown> = {}
    const done: Promise<void>[] = []
    const page = mount(
      defineComponent({
        setup() {
          results['palate'] = usePalate().value
          results['snapshot'] = useSnapshot().value
          const ranked = useRanked(products, { limit: 3, surprise: true })
          results['interests'] = useInterests({ dimension: 'tag' }).value
          const [surprise, setSurprise] = useSurprise()
          const consent = useConsent()
          results['shift'] = useShift().value
          const track = useTrack()
          results['surprise'] = surprise.value
          results['consent'] = consent.consent.value
          results['reasons'] = ranked.value.map((r) => r.reason)
          onMounted(() => {
            track('view', products[2]!)
            done.push(setSurprise(true), consent.optOut(), consent.optIn(), consent.setConsent('granted'))
          })
          return () => h('ul', ranked.value.map((r) => h('li', { key: r.item.id }, r.item.id)))
        },
      }),
      null,
    )
    expect(texts(page.container)).toEqual(storeOrder.slice(0, 3))
    expect(results).toEqual({
      palate: null,
      snapshot: { status: 'loading', consent: 'pending', surprise: false, muted: [], interests: [], shift: null },
      interests: [],
      shift: null,
      surprise: false,
      consent: 'pending',
      reasons: [1, 2, 3].map(() => ({ kind: 'default', text: 'Picked by the store' })),
    })
    expect(done).toHaveLength(4)
    await expect(Promise.all(done)).resolves.toEqual([undefined, undefined, undefined, undefined])
  })

  it('serverConsent sets the consent reported without an instance', () => {
    const page = mount(
      defineComponent({
        setup() {
          const { consent } = useConsent()
          return () => h('p', consent.value)
        },
      }),
      null,
      { serverConsent: 'granted' },
    )
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
  })

  it('follows an instance given as a ref, created after mounting', async () => {
    const instance = shallowRef<Palate | null>(null)
    const page = mount(Shelf, instance)
    expect(texts(page.container)).toEqual(storeOrder)
    const palate = await testPalate()
    instance.value = palate
    await acting()
    expect(texts(page.container)).toEqual(storeOrder)
    await acting(() => palate.track('add_to_cart', products[3]!))
    await acting(() => palate.track('add_to_cart', products[3]!))
    expect(texts(page.container)[0]).toBe('hike-2')
  })

  it('works as a plugin for the whole app', async () => {
    const palate = await testPalate()
    const container = document.createElement('div')
    const app = createApp(Shelf).use(createPalatePlugin(palate))
    app.mount(container)
    await acting()
    expect(texts(container)[0]).toBe('cook-1')
    app.unmount()
  })

  it('subscribes once per composable and lets go when the component or the effect scope is disposed', async () => {
    const palate = await testPalate()
    const unsubscribed = vi.fn()
    const subscribe = palate.subscribe.bind(palate)
    vi.spyOn(palate, 'subscribe').mockImplementation((listener) => {
      const stop = subscribe(listener)
      return () => {
        unsubscribed()
        stop()
      }
    })
    const page = mount(Shelf, palate)
    expect(palate.subscribe).toHaveBeenCalledTimes(1)
    page.unmount()
    expect(unsubscribed).toHaveBeenCalledTimes(1)

    // Outside a component: an effect scope inside the app's context (a store, a composable of composables).
    const app = createApp({ render: () => null }).use(createPalatePlugin(palate))
    const scope = effectScope()
    const shelf = app.runWithContext(() => scope.run(() => useRanked(products))!)
    expect(palate.subscribe).toHaveBeenCalledTimes(2)
    await acting(() => palate.track('add_to_cart', products[2]!))
    expect(shelf.value[0]?.item.id).toBe('hike-1')
    scope.stop()
    expect(unsubscribed).toHaveBeenCalledTimes(2)
    await nextTick()
  })
})
