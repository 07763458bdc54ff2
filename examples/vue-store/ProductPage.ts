import { defineComponent, h, onMounted, type PropType } from 'vue'
import { useTrack } from '@palate/vue'
import { categoryById, formatPrice, productById, sectionLabel, type Product } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { NotFound } from './NotFound.js'
import { useNotice } from './notice.js'
import { pictureOf } from './ProductCard.js'
import { href } from './route.js'

const Detail = defineComponent({
  props: { product: { type: Object as PropType<Product>, required: true } },
  setup(props) {
    const track = useTrack()
    const cart = useCart()
    const notice = useNotice()
    // Opening a product page is a view. The page is keyed by product, so this runs once per product.
    onMounted(() => track('view', props.product))
    return () => {
      const { product } = props
      const department = categoryById(product.category.split('/')[0]!)
      return [
        h('p', { class: 'breadcrumbs' }, [h('a', { href: href.home }, 'Home'), ' › ', department && h('a', { href: href.category(department.id) }, department.label)]),
        h('article', { class: 'product-detail', 'data-product-id': product.id }, [
          h('img', { src: pictureOf(product), alt: '', width: 320, height: 320 }),
          h('div', [
            h('h1', { tabindex: -1 }, product.name),
            h('p', { class: 'meta' }, `by ${product.brand} · ${sectionLabel(product.category)}`),
            h('p', { class: 'price' }, formatPrice(product.price)),
            h('p', { class: 'tags' }, product.tags.join(' · ')),
            h('div', { class: 'actions' }, [
              h(
                'button',
                {
                  type: 'button',
                  onClick: () => {
                    track('add_to_cart', product)
                    cart.add(product)
                    notice(`Added ${product.name} to your cart.`)
                  },
                },
                'Add to cart',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onClick: () => {
                    track('purchase', product)
                    notice(`Thank you! Your order for ${product.name} is placed.`)
                  },
                },
                'Buy now',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'quiet',
                  onClick: () => {
                    track('dismiss', product)
                    notice(`Got it: you’ll see less like ${product.name}.`)
                  },
                },
                'Not interested',
              ),
            ]),
          ]),
        ]),
      ]
    }
  },
})

export const ProductPage = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    return () => {
      const product = productById(props.id)
      // Keyed by id: going from one product to another is a new page, and a new view.
      return product ? h(Detail, { key: product.id, product }) : h(NotFound)
    }
  },
})
