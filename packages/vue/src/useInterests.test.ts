// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref, type Ref } from 'vue'
import type { Interest, InterestsOptions } from '@palate/core'
import { useInterests } from './index.js'
import { acting, cleanup, mount, products, testPalate, texts } from './testing.js'

afterEach(cleanup)

function list(options?: InterestsOptions | Ref<InterestsOptions>, seen?: Interest[][]) {
  return defineComponent({
    setup() {
      const interests = useInterests(options)
      return () => {
        seen?.push(interests.value)
        return h('ul', interests.value.map((i) => h('li', { key: i.key }, i.key)))
      }
    },
  })
}

describe('useInterests', () => {
  it('lists what the shopper has been looking at, strongest first, as it happens', async () => {
    const palate = await testPalate()
    const page = mount(list(), palate)
    expect(texts(page.container)).toEqual([])

    await acting(() => {
      palate.track('add_to_cart', products[2]!)
      palate.track('view', products[4]!)
    })
    const keys = texts(page.container)
    expect(keys).toContain('category:sports/hiking/boots')
    expect(keys).toContain('tag:waterproof')
    expect(keys).toEqual(palate.interests().map((i) => i.key))
    expect(keys.indexOf('category:sports/hiking/boots')).toBeLessThan(keys.indexOf('category:kitchen/cookware'))
  })

  it('honours dimension and limit, follows them as a ref, and keeps its identity across unrelated re-renders', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[2]!)
    palate.track('view', products[4]!)
    const seen: Interest[][] = []
    const options = ref<InterestsOptions>({ dimension: 'tag', limit: 1 })
    const n = ref(0)
    const List = list(options, seen)
    const page = mount(defineComponent({ setup: () => () => [h('p', n.value), h(List, { n: n.value })] }), palate)
    expect(texts(page.container, 'li')).toEqual(['tag:waterproof'])
    n.value++
    await acting()
    expect(page.container.querySelector('p')?.textContent).toBe('1')
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])

    options.value = { dimension: 'category', limit: 2 }
    await acting()
    expect(texts(page.container, 'li')).toEqual(palate.interests({ dimension: 'category', limit: 2 }).map((i) => i.key))
  })

  it('is empty after an opt-out', async () => {
    const palate = await testPalate()
    palate.track('view', products[0]!)
    const All = list()
    const Categories = list({ dimension: 'category' })
    const page = mount(defineComponent({ setup: () => () => [h(All), h(Categories)] }), palate)
    expect(texts(page.container).length).toBeGreaterThan(0)
    await acting(() => palate.optOut())
    expect(texts(page.container)).toEqual([])
  })
})
