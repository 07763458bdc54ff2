import { defineComponent, h } from 'vue'
import { useTrack } from '@palate/vue'
import { formatPrice } from '../catalog/catalog.js'
import { useCart } from './cart.js'
import { useNotice } from './notice.js'
import { pictureOf } from './ProductCard.js'
import { href } from './route.js'

export const CartPage = defineComponent({
  setup() {
    const cart = useCart()
    const track = useTrack()
    const notice = useNotice()
    return () => {
      const items = cart.items.value
      const total = items.reduce((sum, product) => sum + product.price, 0)
      return [
        h('h1', { tabindex: -1 }, 'Your cart'),
        items.length === 0
          ? h('p', ['Your cart is empty. ', h('a', { href: href.home }, 'Keep shopping')])
          : [
              h(
                'ul',
                { class: 'cart', 'aria-label': 'Items in your cart' },
                items.map((product, i) =>
                  h('li', { key: `${product.id}-${i}` }, [
                    h('img', { src: pictureOf(product), alt: '', width: 48, height: 48 }),
                    h('a', { href: href.product(product.id) }, product.name),
                    h('span', formatPrice(product.price)),
                    h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${product.name}`, onClick: () => cart.remove(product) }, 'Remove'),
                  ]),
                ),
              ),
              h('p', ['Total: ', h('strong', formatPrice(total))]),
              h(
                'button',
                {
                  type: 'button',
                  onClick: () => {
                    for (const product of items) track('purchase', product)
                    cart.clear()
                    notice('Thank you! Your order is placed.')
                  },
                },
                'Place order',
              ),
            ],
      ]
    }
  },
})
