import { computed, defineComponent, h, type PropType } from 'vue'
import { useRanked, useTrack } from '@palate/vue'
import { categoryById, productsIn, type Category } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { NotFound } from './NotFound.js'
import { useNotice } from './notice.js'
import { NotInterestedButton, ProductCard } from './ProductCard.js'
import { href } from './route.js'

const Department = defineComponent({
  props: { category: { type: Object as PropType<Category>, required: true } },
  setup(props) {
    // A computed list: useRanked recomputes when it changes, not on every render.
    const products = computed(() => productsIn(props.category.id))
    const ranked = useRanked(products)
    const track = useTrack()
    const cart = useCart()
    const notice = useNotice()
    return () => {
      const { category } = props
      return [
        h('p', { class: 'breadcrumbs' }, [h('a', { href: href.home }, 'Home'), ` › ${category.label}`]),
        h('div', { class: 'section-head' }, [h('h1', { id: 'category-title', tabindex: -1 }, category.label), h('p', category.blurb)]),
        h(
          'ol',
          { class: 'grid', 'aria-labelledby': 'category-title' },
          ranked.value.map(({ item, reason }) =>
            h(ProductCard, { key: item.id, product: item, reason }, () => [
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `Add ${item.name} to cart`,
                  onClick: () => {
                    track('add_to_cart', item)
                    cart.add(item)
                    notice(`Added ${item.name} to your cart.`)
                  },
                },
                'Add to cart',
              ),
              h(NotInterestedButton, { product: item }),
            ]),
          ),
        ),
      ]
    }
  },
})

export const CategoryPage = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    return () => {
      const category = categoryById(props.id)
      return category ? h(Department, { category }) : h(NotFound)
    }
  },
})
