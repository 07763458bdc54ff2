// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, onMounted, ref } from 'vue'
import type { Item } from '@palate/core'
import { useRanked, useTrack } from './index.js'
import { acting, cleanup, mount, products, testPalate, texts } from './testing.js'

afterEach(cleanup)

describe('useTrack', () => {
  it('records views and clicks, and the shelf follows', async () => {
    const palate = await testPalate()
    const ProductPage = defineComponent({
      props: { product: { type: Object as () => Item, required: true } },
      setup(props) {
        const track = useTrack()
        onMounted(() => track('view', props.product))
        return () => h('button', { onClick: () => track('add_to_cart', props.product) }, 'Add')
      },
    })
    const Shelf = defineComponent({
      setup() {
        const ranked = useRanked(products)
        return () => h('ul', ranked.value.map((r) => h('li', { key: r.item.id }, r.item.id)))
      },
    })
    const page = mount(defineComponent({ setup: () => () => [h(ProductPage, { product: products[3]! }), h(Shelf)] }), palate)
    await acting()
    expect(texts(page.container)[0]).toBe('hike-2')
    await acting(() => page.container.querySelector('button')!.click())
    expect((await palate.export()).events.map((e) => e.type)).toEqual(['view', 'add_to_cart'])
  })

  it('does not re-render a component that only tracks', async () => {
    const palate = await testPalate()
    let renders = 0
    const n = ref(0)
    const page = mount(
      defineComponent({
        setup() {
          const track = useTrack()
          return () => {
            renders++
            return h('button', { onClick: () => track('click', products[0]!) }, n.value)
          }
        },
      }),
      palate,
    )
    n.value++
    await acting()
    expect(renders).toBe(2)
    await acting(() => page.container.querySelector('button')!.click())
    expect(palate.interests().map((i) => i.key)).toContain('category:sports/gym')
    expect(renders).toBe(2)
  })

  it('throws for bad input, as palate.track does', async () => {
    const palate = await testPalate()
    let track: ReturnType<typeof useTrack> = () => {}
    mount(
      defineComponent({
        setup() {
          track = useTrack()
          return () => null
        },
      }),
      palate,
    )
    expect(() => track('like' as never, products[0]!)).toThrow(/\[palate\] track\(\): unknown event type "like"/)
    expect(() => track('view', { id: '' })).toThrow(TypeError)
    expect(await palate.export()).toMatchObject({ events: [] })
  })
})
