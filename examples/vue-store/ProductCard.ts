import { defineComponent, h, type PropType } from 'vue'
import type { Reason } from '@palate/core'
import { useTrack } from '@palate/vue'
import { formatPrice, type Product } from '../catalog/catalog.js'
import { useNotice } from './notice.js'
import { href } from './route.js'

/** The department's picture: one small SVG per department, from this origin. */
export function pictureOf(product: Product): string {
  return `/assets/icons/${product.category.split('/')[0]}.svg`
}

/**
 * A product in a grid. Everything from the catalog is rendered as text by h(); `reason` is why
 * Palate put it here ("Because you've been looking at Hiking", "Something different: Surf").
 * The default slot holds the card's buttons.
 */
export const ProductCard = defineComponent({
  props: {
    product: { type: Object as PropType<Product>, required: true },
    reason: { type: Object as PropType<Reason>, default: undefined },
  },
  setup(props, { slots }) {
    const track = useTrack()
    return () => {
      const { product, reason } = props
      const actions = slots.default?.()
      return h('li', { class: 'card', 'data-product-id': product.id, 'data-reason-kind': reason?.kind }, [
        h('img', { src: pictureOf(product), alt: '', width: 190, height: 119 }),
        h('a', { class: 'name', href: href.product(product.id), onClick: () => track('click', product) }, product.name),
        h('p', { class: 'meta' }, `${product.brand} · ${formatPrice(product.price)}`),
        reason && h('p', { class: 'reason' }, reason.text),
        actions && h('div', { class: 'actions' }, actions),
      ])
    }
  },
})

/** A card's "Not interested" button: negative feedback on the product and what it is (`dismiss`). */
export const NotInterestedButton = defineComponent({
  props: { product: { type: Object as PropType<Product>, required: true } },
  setup(props) {
    const track = useTrack()
    const notice = useNotice()
    return () =>
      h(
        'button',
        {
          type: 'button',
          class: 'quiet',
          'aria-label': `Not interested in ${props.product.name}`,
          onClick: () => {
            track('dismiss', props.product)
            notice(`Hidden ${props.product.name}. You’ll see less like it.`)
          },
        },
        'Not interested',
      )
  },
})
