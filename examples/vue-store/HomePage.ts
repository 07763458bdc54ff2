import { defineComponent, h } from 'vue'
import { labelOf } from '@palate/core'
import { useRanked, useShift } from '@palate/vue'
import { bestSellers, categories, categoryById } from '../catalog/catalog.js'
import { NotInterestedButton, ProductCard } from './ProductCard.js'
import { href } from './route.js'

/** "New to hiking? Start here": shown while a new interest has displaced the shopper's long-time one. */
const ShiftBanner = defineComponent({
  setup() {
    const shift = useShift()
    return () => {
      const current = shift.value
      const department = current ? categoryById(current.to.replace(/^category:/, '').split('/')[0]!) : undefined
      if (!current || !department) return null
      return h('aside', { class: 'banner', 'aria-label': 'Something new' }, [
        h('strong', `New to ${department.label}? Start here.`),
        h('span', { class: 'muted' }, `Lately more ${labelOf(current.to)} than ${labelOf(current.from)}.`),
        h('a', { href: href.category(department.id) }, `Shop ${department.label} essentials`),
      ])
    }
  },
})

export const HomePage = defineComponent({
  setup() {
    // The store's own order (best sellers) re-ranked for the shopper; 8 slots.
    const shelf = useRanked(bestSellers, { limit: 8 })
    return () => [
      h('section', { class: 'hero' }, [
        h('h1', { tabindex: -1 }, 'Gear for what you’re into now'),
        h('p', 'This shop learns from what you look at, in your browser only. Nothing is sent anywhere.'),
      ]),
      h(ShiftBanner),
      h('section', { 'aria-labelledby': 'for-you-title' }, [
        h('div', { class: 'section-head' }, [
          h('h2', { id: 'for-you-title' }, 'For you'),
          h('p', ['Ranked on this device. ', h('a', { href: href.preferences }, 'Your preferences')]),
        ]),
        h(
          'ol',
          { class: 'grid', 'aria-labelledby': 'for-you-title' },
          shelf.value.map(({ item, reason }) => h(ProductCard, { key: item.id, product: item, reason }, () => h(NotInterestedButton, { product: item }))),
        ),
      ]),
      h('section', { 'aria-labelledby': 'departments-title' }, [
        h('h2', { id: 'departments-title' }, 'Shop by sport'),
        h(
          'ul',
          { class: 'departments-grid' },
          categories.map((category) =>
            h('li', { key: category.id }, [
              h('a', { href: href.category(category.id) }, [h('img', { src: `/assets/icons/${category.id}.svg`, alt: '', width: 40, height: 40 }), category.label]),
            ]),
          ),
        ),
      ]),
    ]
  },
})
