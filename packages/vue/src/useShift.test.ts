// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { useShift } from './index.js'
import { acting, cleanup, clock, mount, testPalate } from './testing.js'

// A shift is between top-level categories: in this shop, gym and hiking.
const products = [
  { id: 'w1', category: 'gym/weights' },
  { id: 'w2', category: 'gym/mats' },
  { id: 'b1', category: 'hiking/boots' },
  { id: 'b2', category: 'hiking/packs' },
]

afterEach(cleanup)

const HOUR = 3_600_000
const DAY = 24 * HOUR

const ShiftBanner = defineComponent({
  setup() {
    const shift = useShift()
    return () => (shift.value ? h('p', { 'data-from': shift.value.from, 'data-to': shift.value.to }, 'New to hiking? Start here') : null)
  },
})

describe('useShift', () => {
  it('shows nothing for a steady shopper, and the shift once recent interest moves elsewhere', async () => {
    const start = clock.t
    try {
      const palate = await testPalate()
      // A month of gym, on the injected clock: steady, no shift.
      for (let day = 0; day < 30; day++) {
        clock.t = start + day * DAY
        palate.track('view', products[0]!)
        palate.track('view', products[1]!)
      }
      const page = mount(ShiftBanner, palate)
      expect(page.container.querySelector('p')).toBeNull()

      // Then two days of hiking.
      await acting(() => {
        for (let i = 0; i < 12; i++) {
          clock.t = start + 30 * DAY + i * 4 * HOUR
          palate.track(i % 2 ? 'view' : 'add_to_cart', products[2 + (i % 2)]!)
        }
      })
      const banner = page.container.querySelector('p')
      expect(banner?.dataset['from']).toBe('category:gym')
      expect(banner?.dataset['to']).toBe('category:hiking')
    } finally {
      clock.t = start
    }
  })
})
