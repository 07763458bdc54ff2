// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { useConsent, useInterests, useRanked } from './index.js'
import { acting, cleanup, mount, products, storeOrder, testPalate, texts } from './testing.js'

afterEach(cleanup)

const PrivacyPanel = defineComponent({
  setup() {
    const { consent, optOut, optIn, setConsent } = useConsent()
    const interests = useInterests()
    const ranked = useRanked(products)
    return () => [
      h('p', consent.value),
      h('button', { id: 'out', onClick: () => void optOut() }),
      h('button', { id: 'in', onClick: () => void optIn() }),
      h('button', { id: 'deny', onClick: () => void setConsent('denied') }),
      h('button', { id: 'grant', onClick: () => void setConsent('granted') }),
      h('ol', interests.value.map((i) => h('li', { key: i.key }, i.key))),
      h('ul', ranked.value.map((r) => h('li', { key: r.item.id }, r.item.id))),
    ]
  },
})

const click = (root: HTMLElement, id: string) => acting(() => root.querySelector<HTMLButtonElement>(`#${id}`)!.click())

describe('useConsent', () => {
  it('optOut empties the interests and puts the shelf back in the storefront order', async () => {
    const palate = await testPalate()
    palate.track('add_to_cart', products[4]!)
    const page = mount(PrivacyPanel, palate)
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    expect(texts(page.container, 'ol li').length).toBeGreaterThan(0)
    expect(texts(page.container, 'ul li')[0]).toBe('cook-1')

    await click(page.container, 'out')
    expect(page.container.querySelector('p')?.textContent).toBe('denied')
    expect(texts(page.container, 'ol li')).toEqual([])
    expect(texts(page.container, 'ul li')).toEqual(storeOrder)
    expect((await palate.export()).keys).toEqual([])

    // Nothing is learned while opted out.
    await acting(() => palate.track('add_to_cart', products[4]!))
    expect(texts(page.container, 'ul li')).toEqual(storeOrder)

    await click(page.container, 'in')
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    await acting(() => palate.track('add_to_cart', products[3]!))
    expect(texts(page.container, 'ul li')[0]).toBe('hike-2')
  })

  it('setConsent answers a pending banner either way', async () => {
    const palate = await testPalate('pending')
    const page = mount(PrivacyPanel, palate)
    expect(page.container.querySelector('p')?.textContent).toBe('pending')
    await click(page.container, 'grant')
    expect(palate.consent()).toBe('granted')
    expect(page.container.querySelector('p')?.textContent).toBe('granted')
    await click(page.container, 'deny')
    expect(palate.consent()).toBe('denied')
    expect(page.container.querySelector('p')?.textContent).toBe('denied')
  })
})
