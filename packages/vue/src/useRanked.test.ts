// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref, shallowRef, type Ref } from 'vue'
import type { Palate, Ranked, RankOptions, Snapshot } from '@palate/core'
import { useRanked } from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts, type Product } from './testing.js'

afterEach(() => {
  vi.restoreAllMocks()
  cleanup()
})

/** A shelf over `items` and `options` (plain values or refs); every result it rendered goes to `seen`. */
function shelf(items: Product[] | Ref<Product[]> = products, options?: RankOptions | Ref<RankOptions>, seen?: Ranked<Product>[][]) {
  return defineComponent({
    setup() {
      const ranked = useRanked(items, options)
      return () => {
        seen?.push(ranked.value)
        return h('ul', ranked.value.map(({ item, reason }) => h('li', { key: item.id, title: reason.text }, item.id)))
      }
    },
  })
}

describe('useRanked', () => {
  it('shows the storefront order for a new shopper, then follows what they track', async () => {
    const palate = await testPalate()
    const page = mount(shelf(), palate)
    expect(texts(page.container)).toEqual(storeOrder)
    expect(page.container.querySelector('li')?.title).toBe('Picked by the store')

    await acting(() => {
      palate.track('view', products[2]!)
      palate.track('add_to_cart', products[3]!)
    })
    const order = texts(page.container)
    expect(order.slice(0, 2).sort()).toEqual(['hike-1', 'hike-2'])
    expect(order).toEqual(palate.rank(products).map((r) => r.item.id))
    expect(page.container.querySelector('li')?.title).toMatch(/Because you've been looking at/)

    await acting(() => {
      for (let i = 0; i < 5; i++) palate.track('add_to_cart', products[4]!)
    })
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('keeps the same array across unrelated re-renders, and a new one when the profile changes', async () => {
    const palate = await testPalate()
    palate.track('view', products[2]!)
    const seen: Ranked<Product>[][] = []
    const n = ref(0)
    const Shelf = shelf(products, { limit: 3 }, seen)
    const page = mount(defineComponent({ setup: () => () => [h('p', n.value), h(Shelf, { n: n.value })] }), palate)
    n.value++
    await acting()
    n.value++
    await acting()
    expect(page.container.querySelector('p')?.textContent).toBe('2')
    // The shelf re-rendered twice for its attribute, with the very same result.
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(1)
    expect(texts(page.container)).toHaveLength(3)

    await acting(() => palate.track('add_to_cart', products[4]!))
    expect(seen.at(-1)).not.toBe(seen[0])
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('recomputes when the items or the options, given as refs, change', async () => {
    const palate = await testPalate()
    palate.track('view', products[2]!)
    const items = shallowRef(products)
    const options = ref<RankOptions>({ limit: 2 })
    const page = mount(shelf(items, options), palate)
    expect(texts(page.container)).toHaveLength(2)
    expect(texts(page.container)[0]).toBe('hike-1')

    options.value = { limit: 4 }
    await acting()
    expect(texts(page.container)).toHaveLength(4)

    items.value = products.filter((p) => p.category?.startsWith('kitchen'))
    await acting()
    expect(texts(page.container)).toEqual(['cook-1'])
  })

  it('falls back to the storefront order after an opt-out', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[4]!)
    palate.track('view', products[2]!)
    const page = mount(shelf(), palate)
    expect(texts(page.container)).not.toEqual(storeOrder)

    await acting(() => palate.optOut())
    expect(texts(page.container)).toEqual(storeOrder)
    for (const li of page.container.querySelectorAll('li')) expect(li.getAttribute('title')).toBe('Picked by the store')
  })

  it('shows the storefront order while the stored profile is loading', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[4]!)
    // An instance still reading its stored profile (memory storage loads too fast to catch): the
    // live profile may already know things, but the page must not jump before the profile is in.
    let status: 'loading' | 'memory' = 'loading'
    let last: Snapshot | null = null
    const loading: Palate = {
      ...palate,
      getSnapshot() {
        const real = palate.getSnapshot()
        if (last?.interests !== real.interests || last.status !== status) last = { ...real, status }
        return last
      },
    }
    const page = mount(shelf(products, { limit: 3 }), loading)
    expect(texts(page.container)).toEqual(storeOrder.slice(0, 3))

    status = 'memory'
    await acting(() => palate.track('view', products[4]!))
    expect(texts(page.container)[0]).toBe('cook-1')
  })

  it('lets rank() errors for bad items reach the caller', async () => {
    const palate = await testPalate()
    const errors: unknown[] = []
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const page = mount(
      defineComponent({
        setup() {
          const ranked = useRanked([{ id: '' } as Product])
          return () => {
            try {
              return h('p', ranked.value.length)
            } catch (error) {
              errors.push(error)
              return h('p', 'failed')
            }
          }
        },
      }),
      palate,
    )
    expect(page.container.textContent).toBe('failed')
    expect(String(errors[0])).toMatch(/TypeError: \[palate\] rank\(\)/)
  })
})
